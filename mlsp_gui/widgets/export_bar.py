"""An "Export" button with a menu: the picture as PNG or SVG, the numbers as NPZ or CSV."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMenu, QToolButton, QWidget

from engine.errors import MlspError
from mlsp_gui import export

FORMATS = {  # format: (menu text, file filter)
    "png": ("Picture as PNG…", "PNG image (*.png)"),
    "svg": ("Picture as SVG…", "SVG drawing (*.svg)"),
    "npz": ("Numbers as NPZ…", "NumPy archive (*.npz)"),
    "csv": ("Numbers as CSV…", "CSV table (*.csv)"),
}


class ExportBar(QToolButton):
    """`picture()` gives the widget to draw, `table()` the ExportTable (None when nothing is shown)."""

    def __init__(self, picture: Callable[[], QWidget], table: Callable[[], export.ExportTable | None],
                 notify: Callable[[str, str], None], basename: str = "attention",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._picture, self._table, self._notify, self.basename = picture, table, notify, basename
        self.setText("Export")
        self.setToolTip("Save this view as a picture (PNG, SVG) or its numbers (NPZ, CSV)")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        for fmt, (text, _filter) in FORMATS.items():
            menu.addAction(text, lambda f=fmt: self._ask(f))
        self.setMenu(menu)

    def export(self, fmt: str, path: str | Path) -> Path:
        """Write one format to `path` (no dialog); raises MlspError with the reason."""
        if fmt == "png":
            return export.save_png(self._picture(), path)
        if fmt == "svg":
            return export.save_svg(self._picture(), path, title=self.basename)
        table = self._table()
        if table is None:
            raise MlspError("there is nothing to export yet; wait for the view to show a result.")
        return export.save_npz(table, path) if fmt == "npz" else export.save_csv(table, path)

    def _ask(self, fmt: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, FORMATS[fmt][0].rstrip("…"),
                                              f"{self.basename}.{fmt}", FORMATS[fmt][1])
        if not path:
            return
        try:
            written = self.export(fmt, path)
        except MlspError as exc:
            self._notify("error", str(exc))
        else:
            self._notify("info", f"saved {written}")
