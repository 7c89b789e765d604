"""TensorBoard-projector TSV files: `vectors.tsv` (N rows of D tab-separated numbers, no header)
and `metadata.tsv` (one row per vector; the TensorBoard rule: a single column has no header,
several columns have a header row). Also plain tables with a header (coordinates, selections).

Every problem raises InputError naming the file (and the line) and what to do.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from engine.errors import InputError
from engine.progress import NullState, State, check
from engine.records.embeddings import Embeddings

_LINES = 20_000            # lines parsed per chunk (a progress report and a cancel point each)


def _read_lines(path: str | os.PathLike, what: str) -> list[str]:
    p = Path(path).expanduser()
    if not p.is_file():
        raise InputError(f"{what} file '{p}' does not exist; give the path of a {what} TSV file.")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"'{p}' is not UTF-8 text (byte {exc.start}); save the {what} TSV as UTF-8.") from None
    except OSError as exc:
        raise InputError(f"cannot read '{p}': {exc.strerror or exc}.") from None
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise InputError(f"'{p}' is empty; a {what} TSV needs one row per point.")
    return lines


def _parse_chunk(lines: list[str], first: int, p: Path, width: int) -> np.ndarray:
    try:
        block = np.loadtxt(lines, delimiter="\t", dtype=np.float32, ndmin=2)
    except ValueError:
        for j, line in enumerate(lines):
            fields = line.split("\t")
            try:
                [float(f) for f in fields]
            except ValueError:
                bad = next(f for f in fields if not _is_number(f))
                raise InputError(f"'{p}' line {first + j + 1}: '{bad[:40]}' is not a number; vectors.tsv holds "
                                 f"only numbers (labels go in metadata.tsv).") from None
            if len(fields) != width:
                raise InputError(f"'{p}' line {first + j + 1} has {len(fields)} values where line 1 has {width}; "
                                 f"every vector needs the same number of values.") from None
        raise InputError(f"'{p}' could not be read as tab-separated numbers near line {first + 1}.") from None
    if block.shape[1] != width:
        raise InputError(f"'{p}' has rows of {block.shape[1]} values where line 1 has {width}; "
                         f"every vector needs the same number of values.")
    return block


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def read_vectors_tsv(path: str | os.PathLike, state: State | None = None) -> np.ndarray:
    """(N, D) float32 from a TensorBoard vectors.tsv."""
    state = state or NullState()
    p = Path(path).expanduser()
    lines = _read_lines(p, "vectors")
    width = len(lines[0].split("\t"))
    out = np.empty((len(lines), width), np.float32)
    for s in range(0, len(lines), _LINES):
        check(state)
        out[s:s + _LINES] = _parse_chunk(lines[s:s + _LINES], s, p, width)
        state.progress(min(s + _LINES, len(lines)) / len(lines), f"reading {p.name}: {min(s + _LINES, len(lines)):,} rows")
    if not np.isfinite(out).all():
        bad = int(np.flatnonzero(~np.isfinite(out).all(axis=1))[0])
        raise InputError(f"'{p}' line {bad + 1} has a NaN or infinite value; fix or remove that row.")
    return out


def read_metadata_tsv(path: str | os.PathLike, n_rows: int | None = None) -> tuple[list[str], dict[str, list[str]]]:
    """(labels, columns). One column: no header, labels only (columns = {}). Several: the first
    row is the header, labels = the first column, columns = every column by name."""
    p = Path(path).expanduser()
    lines = _read_lines(p, "metadata")
    if "\t" not in lines[0]:
        labels, columns = lines, {}
    else:
        header = lines[0].split("\t")
        names = _column_names(header)
        rows = lines[1:]
        columns = {name: [] for name in names}
        for i, line in enumerate(rows):
            fields = line.split("\t")
            if len(fields) != len(names):
                raise InputError(f"'{p}' line {i + 2} has {len(fields)} fields where the header has {len(names)}; "
                                 f"every row needs one value per column.")
            for name, value in zip(names, fields):
                columns[name].append(value)
        labels = list(columns[names[0]])
    if n_rows is not None and len(labels) != n_rows:
        extra = " (the first line is the header, since it has several columns)" if columns else ""
        raise InputError(f"'{p}' has {len(labels)} rows for {n_rows} vectors{extra}; give one metadata row per vector.")
    return labels, columns


def _column_names(header: list[str]) -> list[str]:
    names: list[str] = []
    for i, h in enumerate(header):
        name = h.strip() or f"column {i + 1}"
        while name in names:
            name += "'"
        names.append(name)
    return names


def read_projector(vectors_path: str | os.PathLike, metadata_path: str | os.PathLike | None = None,
                   state: State | None = None) -> Embeddings:
    """Embeddings from vectors.tsv (+ metadata.tsv); without metadata the labels are row numbers."""
    vectors = read_vectors_tsv(vectors_path, state)
    if metadata_path is None:
        labels, columns = [str(i) for i in range(len(vectors))], {}
    else:
        labels, columns = read_metadata_tsv(metadata_path, len(vectors))
    return Embeddings(labels=labels, vectors=vectors, kind="tsv", model=Path(vectors_path).name, metadata=columns)


def _clean(value: object) -> str:
    """TSV cells cannot hold tabs or line breaks: they become spaces."""
    return str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def write_vectors_tsv(path: str | os.PathLike, vectors: np.ndarray, state: State | None = None) -> None:
    """N lines of D tab-separated numbers (9 significant digits: float32 round-trips exactly)."""
    state = state or NullState()
    v = np.asarray(vectors, np.float32)
    if v.ndim != 2:
        raise InputError(f"vectors must be (N, D), got shape {v.shape}.")
    row = "\t".join(["%.9g"] * v.shape[1]) + "\n"
    with _atomic(path) as f:
        for s in range(0, len(v), _LINES):
            check(state)
            f.write("".join(row % tuple(r) for r in v[s:s + _LINES].tolist()))
            state.progress(min(s + _LINES, len(v)) / max(len(v), 1), "writing vectors")


def metadata_columns(labels: Sequence[str], metadata: dict[str, Sequence[str]]) -> dict[str, list[str]]:
    """The columns metadata.tsv gets: the labels first (as "label", unless a column already holds
    them), then every metadata column."""
    cols = {name: [str(v) for v in values] for name, values in metadata.items()}
    same = [name for name, values in cols.items() if values == [str(x) for x in labels]]
    if same:
        first = same[0]
        return {first: cols.pop(first), **cols}
    name = "label" if "label" not in cols else "label'"
    return {name: [str(x) for x in labels], **cols}


def write_metadata_tsv(path: str | os.PathLike, labels: Sequence[str], metadata: dict[str, Sequence[str]]) -> None:
    """TensorBoard's rule: labels alone -> one column, no header; with metadata -> header row."""
    cols = metadata_columns(labels, metadata) if metadata else {"label": [str(x) for x in labels]}
    with _atomic(path) as f:
        if len(cols) > 1:
            f.write("\t".join(_clean(c) for c in cols) + "\n")
        values = list(cols.values())
        for i in range(len(labels)):
            f.write("\t".join(_clean(col[i]) for col in values) + "\n")


def write_projector(emb: Embeddings, vectors_path: str | os.PathLike, metadata_path: str | os.PathLike,
                    state: State | None = None) -> None:
    """Write vectors.tsv and metadata.tsv that TensorBoard's projector (and `read_projector`) load."""
    write_vectors_tsv(vectors_path, emb.vectors, state)
    write_metadata_tsv(metadata_path, emb.labels, emb.metadata)


def write_table_tsv(path: str | os.PathLike, columns: dict[str, Sequence]) -> None:
    """A table with a header row: one column per entry (numbers written with 9 significant digits)."""
    names = list(columns)
    cols = [np.asarray(c).tolist() if isinstance(c, np.ndarray) else list(c) for c in columns.values()]
    n = len(cols[0]) if cols else 0
    if any(len(c) != n for c in cols):
        raise InputError("every column of a table needs the same number of rows.")
    with _atomic(path) as f:
        f.write("\t".join(_clean(c) for c in names) + "\n")
        for i in range(n):
            f.write("\t".join(_cell(col[i]) for col in cols) + "\n")


def _cell(value: object) -> str:
    return format(value, ".9g") if isinstance(value, float) else _clean(value)


class _atomic:
    """Write to a temporary file beside `path`, then rename it over `path` (no half-written file).
    Every OS error (a folder given as the file, no permission, disk full) becomes one InputError."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path).expanduser()
        self.tmp = self.path.with_name(self.path.name + ".tmp")

    def _error(self, exc: OSError) -> InputError:
        return InputError(f"cannot write '{self.path}': {exc.strerror or exc}; choose a folder you can write to.")

    def __enter__(self):
        if self.path.is_dir():
            raise InputError(f"'{self.path}' is a folder; give the name of a .tsv file to write.")
        try:
            self.f = open(self.tmp, "w", encoding="utf-8", newline="\n")
        except OSError as exc:
            raise self._error(exc) from None
        return self.f

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            self.f.close()
            if exc_type is None:
                os.replace(self.tmp, self.path)
                return
        except OSError as err:
            self.tmp.unlink(missing_ok=True)
            raise self._error(err) from None
        self.tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise self._error(exc) from None
