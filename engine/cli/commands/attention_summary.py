"""`mlsp attention-summary MODEL INPUT`: attention rollout and per-head statistics of a text —
entropy, mean distance attended, mean offset, share on [CLS]/[SEP] — and the heads that stand out
(previous token, next token, special tokens, focused). The same numbers as the GUI's
"Rollout and head summaries" view. With --over-checkpoints (MODEL = a training run folder): one
line per complete checkpoint (step, loss, mean entropy per layer, notable heads)."""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from engine.cli.common import (
    TEXT_MODELS,
    add_command,
    add_device,
    add_json,
    add_model,
    add_text_input,
    print_json,
    read_probe_input,
)
from engine.errors import ConfigError, InputError


def register(subparsers) -> None:
    p = add_command(subparsers, "attention-summary", "attention rollout and per-head entropy/distance of a text",
                    __doc__, run, description="Run MODEL on INPUT, then summarise its attention: rollout across "
                    "layers (Abnar & Zuidema, 0.5·I for the residual path), and per head the entropy, the mean "
                    "distance and offset attended and the share on special tokens; name the heads that stand out.")
    add_model(p, TEXT_MODELS)
    add_text_input(p)
    p.add_argument("--generate", type=int, default=0, metavar="N", help="causal models: generate N tokens first")
    p.add_argument("--stack", type=int, default=0, metavar="N",
                   help="which attention stack (0 = the first; NMT: 1 decoder, 2 cross)")
    p.add_argument("--out", metavar="summary.npz", help="save rollout, entropy, distance, offset, special_share")
    p.add_argument("--csv", metavar="heads.csv", help="save one line per head")
    p.add_argument("--over-checkpoints", action="store_true",
                   help="MODEL is a training run folder: summarise every complete checkpoint (step, loss, mean "
                        "entropy per layer, notable heads)")
    add_device(p)
    add_json(p)


def _target(path: str) -> Path:
    p = Path(path).expanduser()
    if not p.parent.is_dir():
        raise ConfigError(f"cannot write {p}: the folder {p.parent} does not exist; choose an existing folder.")
    return p


def _save(p: Path, write) -> str:
    try:
        write(p)
    except OSError as exc:
        raise ConfigError(f"cannot write {p}: {exc.strerror or exc}; choose another path.") from None
    return str(p)


def _rows(s, roles: dict) -> list[dict]:
    role_of = {lh: role for role, heads in roles.items() for lh in heads}
    return [{"layer": l, "head": h, "entropy": float(s.entropy[l, h]),
             "distance": float(s.distance[l, h]) if s.distance is not None else None,
             "offset": float(s.offset[l, h]) if s.offset is not None else None,
             "special_share": float(s.special_share[l, h]), "role": role_of.get((l, h), "")}
            for l in range(s.layers) for h in range(s.heads)]


def _write_npz(p: Path, s) -> str:
    arrays = {k: v for k, v in {"entropy": s.entropy, "special_share": s.special_share, "rollout": s.rollout,
                                "distance": s.distance, "offset": s.offset}.items() if v is not None}
    arrays.update(tokens_q=np.array(s.tokens_q, dtype=str), tokens_k=np.array(s.tokens_k, dtype=str),
                  kind=np.array(s.kind), residual=np.array(s.residual))

    def write(path: Path) -> None:
        with path.open("wb") as fh:                      # a handle: numpy would add ".npz" to a bare name
            np.savez(fh, **arrays)
    return _save(p, write)


def _write_csv(p: Path, rows: list[dict]) -> str:
    import csv

    def write(path: Path) -> None:
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return _save(p, write)


def _print_table(maps, s, rows: list[dict], files: dict) -> None:
    print(f"{maps.model}: {len(s.tokens_q)} tokens, {s.layers} layers x {s.heads} heads ({s.kind})")
    if maps.note:
        print(f"note: {maps.note}")
    print("layer head  entropy  distance  offset  special  role")
    fmt = lambda v, spec: "-" if v is None else format(v, spec)   # noqa: E731 (cross stacks: no positions)
    for r in rows:
        print(f"{r['layer']:5d} {r['head']:4d} {r['entropy']:8.3f} {fmt(r['distance'], '9.2f'):>9} "
              f"{fmt(r['offset'], '7.2f'):>7} {r['special_share']:8.2f}  {r['role']}")
    for path in files.values():
        print(f"wrote {path}")


def run(args: argparse.Namespace) -> int:
    from engine.probes.attention import attention
    from engine.probes.attention_summary import notable_heads, summarize
    from engine.zoo import load_model, resolve

    if args.generate < 0:
        raise InputError(f"--generate must be 0 or more, not {args.generate}.")
    if args.over_checkpoints:
        from engine.cli.commands._heads_over_checkpoints import run as over_checkpoints

        return over_checkpoints(args)
    out, csv_out = (_target(p) if p else None for p in (args.out, args.csv))     # fail before the model loads
    ref = resolve(args.model)
    inp = read_probe_input(args.input, ref, args.pair)
    maps = attention(load_model(ref, args.device), inp, generate=args.generate)
    s = summarize(maps, args.stack)
    roles = notable_heads(s)
    rows = _rows(s, roles)
    files = {}
    if out is not None:
        files["npz"] = _write_npz(out, s)
    if csv_out is not None:
        files["csv"] = _write_csv(csv_out, rows)
    if args.json:
        print_json({"model": maps.model, "kind": s.kind, "tokens": s.tokens_q, "layers": s.layers, "heads": s.heads,
                    "max_entropy": s.max_entropy, "note": maps.note, "heads_table": rows,
                    "notable": {k: [list(x) for x in v] for k, v in roles.items()}, "files": files})
    else:
        _print_table(maps, s, rows, files)
    return 0
