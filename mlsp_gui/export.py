"""Export what a view shows: the picture (PNG, SVG) and the numbers behind it (NPZ, CSV).

Every attention view offers `export_table() -> ExportTable`; the ExportBar widget asks for a
file name and calls these functions. Errors come back as one-sentence `InputError`s.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from engine.errors import InputError


@dataclass(frozen=True)
class ExportTable:
    """The numbers behind a view: named arrays for NPZ, a header and rows for CSV
    (`rows` may be a generator for big tables; it is then consumed by one save)."""

    arrays: dict[str, np.ndarray]
    header: list[str]
    rows: Iterable[list] = field(default_factory=list)


def matrix_table(matrix: np.ndarray, rows: list[str], cols: list[str], corner: str = "query \\ key",
                 **extra: np.ndarray) -> ExportTable:
    """A labelled matrix: NPZ `matrix`, `rows`, `cols` (+ extra arrays); CSV one line per row."""
    m = np.asarray(matrix, np.float32)
    arrays = {"matrix": m, "rows": np.array(rows, dtype=str), "cols": np.array(cols, dtype=str)}
    arrays.update({k: np.asarray(v) for k, v in extra.items()})
    body = [[label, *[float(x) for x in line]] for label, line in zip(rows, m)]
    return ExportTable(arrays=arrays, header=[corner, *cols], rows=body)


def _target(path: str | Path, suffix: str) -> Path:
    p = Path(path).expanduser()
    if p.suffix.lower() != suffix:
        p = p.with_name(p.name + suffix)
    if not p.parent.is_dir():
        raise InputError(f"cannot save {p}: the folder {p.parent} does not exist; choose an existing folder.")
    return p


def save_png(widget: QWidget, path: str | Path) -> Path:
    """The widget as it is on screen, as a PNG."""
    p = _target(path, ".png")
    if not widget.grab().save(str(p), "PNG"):
        raise InputError(f"could not write {p}; check that the folder is writable.")
    return p


def save_svg(widget: QWidget, path: str | Path, title: str = "MLSP Explorer") -> Path:
    """The widget rendered through QSvgGenerator: text and lines stay vectors, images are embedded."""
    from PySide6.QtSvg import QSvgGenerator

    p = _target(path, ".svg")
    size = widget.size() if widget.width() > 0 else QSize(800, 600)
    gen = QSvgGenerator()
    gen.setFileName(str(p))
    gen.setSize(size)
    gen.setViewBox(QRect(0, 0, size.width(), size.height()))
    gen.setTitle(title)
    gen.setDescription("Exported from MLSP Explorer")
    painter = QPainter()
    if not painter.begin(gen):
        raise InputError(f"could not write {p}; check that the folder is writable.")
    try:
        QWidget.render(widget, painter, QPoint(0, 0))       # the widget and its children, as on screen
    finally:
        painter.end()
    if not p.is_file() or p.stat().st_size == 0:
        raise InputError(f"could not write {p}; check that the folder is writable.")
    return p


def save_npz(table: ExportTable, path: str | Path) -> Path:
    """The arrays, compressed; strings are stored as unicode arrays (no pickle needed to load)."""
    p = _target(path, ".npz")
    try:
        np.savez_compressed(p, **table.arrays)
    except OSError as exc:
        raise InputError(f"could not write {p}: {exc.strerror or exc}; choose another file.") from None
    return p


def save_csv(table: ExportTable, path: str | Path) -> Path:
    """The table as UTF-8 CSV with a header line."""
    p = _target(path, ".csv")
    try:
        with p.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(table.header)
            writer.writerows(table.rows)
    except OSError as exc:
        raise InputError(f"could not write {p}: {exc.strerror or exc}; choose another file.") from None
    return p
