"""`mlsp project VECTORS.tsv`: PCA, t-SNE or UMAP coordinates of projector vectors.

The projector window's projections, headless: reads TensorBoard-projector TSV (vectors.tsv and,
optionally, metadata.tsv), writes a coordinates table (header: label, x, y[, z], then the
metadata columns) or prints it; `--json` prints one document with the coordinates."""
from __future__ import annotations

import argparse
import sys

import numpy as np

from engine.cli.common import add_command, add_json, print_json
from engine.records.projection import METHODS, METRICS, Projection, ProjectionParams


def register(subparsers) -> None:
    p = add_command(subparsers, "project", "PCA / t-SNE / UMAP coordinates of projector vectors (TSV)", __doc__, run,
                    description="Project the vectors of a TensorBoard-projector vectors.tsv (as written by `mlsp "
                                "embed`) to 2-D or 3-D with PCA, t-SNE or UMAP, and write the coordinates as TSV.")
    p.add_argument("vectors", metavar="VECTORS.tsv", help="tab-separated vectors, one row per point, no header")
    p.add_argument("--metadata", metavar="M.tsv", help="labels (one column, no header) or columns with a header row")
    p.add_argument("--method", choices=METHODS, default="pca", help="projection (default pca)")
    p.add_argument("--dims", type=int, choices=(2, 3), default=2, help="output dimensions (default 2)")
    p.add_argument("--perplexity", type=float, default=30.0, metavar="P", help="t-SNE perplexity (default 30)")
    p.add_argument("--iterations", type=int, default=1000, metavar="N", help="t-SNE gradient steps, at least 251 (default 1000)")
    p.add_argument("--neighbors", type=int, default=15, metavar="N", help="UMAP n_neighbors (default 15)")
    p.add_argument("--min-dist", type=float, default=0.1, metavar="D", help="UMAP min_dist (default 0.1)")
    p.add_argument("--epochs", type=int, default=0, metavar="N", help="UMAP epochs (default 0: umap-learn's choice)")
    p.add_argument("--metric", choices=METRICS, default="euclidean",
                   help="distance in the original space for t-SNE and UMAP (default euclidean)")
    p.add_argument("--seed", type=int, default=0, metavar="N", help="random seed for UMAP (default 0)")
    p.add_argument("--out", metavar="coords.tsv", help="write the coordinates table here (default: print it)")
    add_json(p)


class _StderrProgress:
    """Progress on stderr, every tenth, when stderr is a terminal; never cancels."""

    def __init__(self) -> None:
        self.shown = -1
        self.tty = sys.stderr.isatty()

    def progress(self, fraction: float, message: str = "") -> None:
        tenth = int(fraction * 10)
        if self.tty and tenth > self.shown:
            self.shown = tenth
            print(f"\r{fraction:4.0%} {message[:60]:<60}", end="" if tenth < 10 else "\n", file=sys.stderr, flush=True)

    def cancelled(self) -> bool:
        return False


def params_from_args(args: argparse.Namespace) -> ProjectionParams:
    return ProjectionParams(method=args.method, dims=args.dims, perplexity=args.perplexity,
                            iterations=args.iterations, neighbors=args.neighbors, min_dist=args.min_dist,
                            epochs=args.epochs, metric=args.metric, seed=args.seed)


def coords_table(labels: list[str], metadata: dict[str, list[str]], coords: np.ndarray) -> dict[str, list]:
    """label, x, y[, z], then every metadata column that is not the labels again."""
    table: dict[str, list] = {"label": list(labels)}
    for axis, name in enumerate("xyz"[:coords.shape[1]]):
        table[name] = coords[:, axis].astype(np.float64).tolist()
    for name, values in metadata.items():
        if list(values) != list(labels) and name not in table:
            table[name] = list(values)
    return table


def _summary(proj: Projection) -> dict:
    doc = {"method": proj.method, "dims": proj.dims, "seconds": round(proj.seconds, 3),
           "params": dict(vars(proj.params))}
    if proj.explained_variance is not None:
        doc["explained_variance"] = [float(v) for v in proj.explained_variance]
    if proj.kl_divergence is not None:
        doc["kl_divergence"] = proj.kl_divergence
    if proj.method != "pca":
        doc["iterations_done"] = proj.iterations_done
    if proj.note:
        doc["note"] = proj.note
    return doc


def run(args: argparse.Namespace) -> int:
    from engine.data.projector_tsv import read_projector, write_table_tsv
    from engine.projection.project import check_params, project

    params = params_from_args(args)
    check_params(params)
    emb = read_projector(args.vectors, args.metadata)
    proj = project(emb.vectors, params, _StderrProgress())
    table = coords_table(emb.labels, emb.metadata, proj.coords)
    doc = {"count": len(emb.labels), "dim": emb.dim, **_summary(proj)}
    if args.out:
        write_table_tsv(args.out, table)
        doc["out"] = args.out
    if args.json:
        if not args.out:
            doc.update(labels=emb.labels, coords=proj.coords)
        print_json(doc)
    elif args.out:
        extra = ""
        if proj.explained_variance is not None:
            extra = " (explained variance " + ", ".join(f"{v:.1%}" for v in proj.explained_variance) + ")"
        print(f"wrote {proj.method} coordinates of {len(emb.labels)} points in {proj.dims}-D to {args.out}{extra}")
    else:
        names = list(table)
        print("\t".join(names))
        for i in range(len(emb.labels)):
            print("\t".join(format(table[n][i], ".9g") if isinstance(table[n][i], float) else
                            str(table[n][i]).replace("\t", " ") for n in names))
    return 0
