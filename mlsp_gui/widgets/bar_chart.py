"""A labelled bar chart (pyqtgraph): one bar per token, its number written on it when there is room."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QVBoxLayout, QWidget

from mlsp_gui.widgets.heatmap import format_value
from mlsp_gui.widgets.token_axis import TokenAxis

MAX_NUMBERS = 64               # bars beyond this never get their value written on them
PIXELS_PER_NUMBER = 46         # values are written only when each bar has this much width
NUMBER_ROOM = 16.0             # pixels kept above the tallest bar for its number


def percent(p: float) -> str:
    """A probability as a percentage a reader can compare at a glance: 95.0%, 2.5%, 0.1%, <0.1%."""
    if not np.isfinite(p):
        return format_value(p)
    return f"{100 * p:.1f}%" if p >= 0.0005 else "<0.1%"


class BarChart(QWidget):
    """`set_bars(values, labels)`: bars at x = 0..n-1, token labels below, values above."""

    def __init__(self, title: str = "", color: str = "#0072B2", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.color = color
        self.axis = TokenAxis("bottom", rotate=True)
        self.axis.setPen(pg.mkPen("#404040"))
        self.axis.setTextPen(pg.mkPen("#202020"))
        self.view = pg.PlotWidget(axisItems={"bottom": self.axis}, background="w")
        self.view.setMenuEnabled(False)
        self.view.setMouseEnabled(x=True, y=False)
        self.view.getAxis("left").setPen(pg.mkPen("#404040"))
        self.view.getAxis("left").setTextPen(pg.mkPen("#202020"))
        if title:
            self.view.setTitle(title, color="#202020", size="9pt")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.values = np.zeros(0)
        self.texts: list[pg.TextItem] = []
        self._font = QFont()
        self._font.setPointSizeF(8)
        self.view.plotItem.vb.sigResized.connect(self._resized)

    def _show_numbers(self) -> None:
        """Write the values only when every bar has room for its number (the table has them all)."""
        room = self.view.plotItem.vb.width() / max(len(self.values), 1) >= PIXELS_PER_NUMBER
        for text in self.texts:
            text.setVisible(room)

    def resizeEvent(self, event) -> None:               # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._show_numbers()

    def _resized(self, *_args) -> None:
        """The plot area changed size (after the widget's own resize): keep room for the numbers."""
        if len(self.values):
            self._fit_y()

    def set_bars(self, values: np.ndarray, labels: list[str], highlight: int = -1,
                 fmt: Callable[[float], str] = format_value) -> None:
        """Bars for `values` (non-finite values, e.g. masked keys, are drawn as 0 and written as such);
        `fmt` writes a value (`percent` for probabilities)."""
        self.view.clear()
        self.values = np.asarray(values, np.float64)
        shown = np.where(np.isfinite(self.values), self.values, 0.0)
        brushes = [pg.mkBrush("#D55E00" if i == highlight else self.color) for i in range(len(shown))]
        self.view.addItem(pg.BarGraphItem(x=np.arange(len(shown)), height=shown, width=0.7, brushes=brushes, pen=None))
        self.axis.set_tokens(labels)
        self.texts = []
        if len(shown) <= MAX_NUMBERS:
            for i, (v, raw) in enumerate(zip(shown, self.values)):
                text = pg.TextItem(fmt(raw), color="#202020", anchor=(0.5, 1.0 if v >= 0 else 0.0))
                text.setFont(self._font)
                text.setPos(i, v)
                self.view.addItem(text)
                self.texts.append(text)
        self._show_numbers()
        self.view.setXRange(-0.9, len(shown) - 0.1, padding=0)
        self._fit_y()

    def _fit_y(self) -> None:
        """The value range with room for the numbers above (below) the tallest (lowest) bar: at least
        NUMBER_ROOM pixels, so a short chart (a 1280 x 720 window) does not cut them off."""
        shown = np.where(np.isfinite(self.values), self.values, 0.0)
        lo, hi = min(0.0, float(shown.min(initial=0))), max(0.0, float(shown.max(initial=0)))
        span = (hi - lo) or 1.0
        frac = min(max(0.15, NUMBER_ROOM / max(self.view.plotItem.vb.height(), 1.0)), 0.6)
        pad = span * frac / (1.0 - frac)
        self.view.setYRange(lo - (pad if lo < 0 else 0), hi + pad, padding=0)

    def numbers(self) -> list[str]:
        """The value texts of the bars (written on them when there is room)."""
        return [t.textItem.toPlainText() for t in self.texts]
