"""The legend of a colouring: a swatch, the value and its count per category, or a viridis bar
with its range for a numeric column."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QLinearGradient, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from mlsp_gui.widgets.palettes import Coloring


def _swatch(color: str, size: int = 12) -> QIcon:
    pm = QPixmap(size, size)
    pm.fill(QColor(color))
    return QIcon(pm)


class ColorLegend(QWidget):
    """`set_coloring(Coloring)`; `rows()` gives the shown (text, colour) pairs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("")
        self.list = QListWidget()
        self.list.setMaximumHeight(190)
        self.bar = QLabel()
        self.bar.setFixedHeight(16)
        self.range = QLabel("")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.title, self.list, self.bar, self.range):
            layout.addWidget(w)
        self.coloring: Coloring | None = None
        self.set_coloring(None)

    def set_coloring(self, coloring: Coloring | None) -> None:
        self.coloring = coloring
        self.list.clear()
        numeric = coloring is not None and coloring.numeric_range is not None
        categorical = coloring is not None and coloring.numeric_range is None and bool(coloring.entries)
        self.title.setText(f"Colour: <b>{coloring.column}</b>" if coloring and coloring.column else "")
        self.list.setVisible(categorical)
        self.bar.setVisible(numeric)
        self.range.setVisible(numeric)
        if categorical:
            for e in coloring.entries:
                item = QListWidgetItem(_swatch(e.color), f"{e.label}  ({e.count:,})")
                item.setData(Qt.ItemDataRole.UserRole, e.label)
                self.list.addItem(item)
        if numeric:
            lo, hi = coloring.numeric_range
            self.range.setText(f"{lo:.4g}  …  {hi:.4g}  (viridis, 2nd–98th percentile)")
            self._paint_bar([e.color for e in coloring.entries])

    def _paint_bar(self, colors: list[str]) -> None:
        pm = QPixmap(max(self.bar.width(), 200), 14)
        grad = QLinearGradient(0, 0, pm.width(), 0)
        for i, c in enumerate(colors):
            grad.setColorAt(i / max(len(colors) - 1, 1), QColor(c))
        p = QPainter(pm)
        p.fillRect(pm.rect(), grad)
        p.end()
        self.bar.setPixmap(pm)

    def rows(self) -> list[tuple[str, str]]:
        """(label, "#RRGGBB") of every legend row shown."""
        if self.coloring is None:
            return []
        return [(e.label, e.color) for e in self.coloring.entries]
