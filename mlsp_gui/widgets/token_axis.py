"""An axis that labels integer positions with tokens, thinning the labels to what fits.

Used by the heatmap: token i sits at view coordinate i. Bottom axes can draw their labels
rotated (reading upwards) so long inputs stay legible when zoomed in.
"""
from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF


def short_token(token: str, limit: int = 14) -> str:
    """A token as shown on an axis: whitespace made visible, long ones cut with an ellipsis."""
    text = token.replace("\n", "⏎").replace("\t", "⇥")
    if text.startswith(" ") or text.startswith("Ġ"):
        text = "·" + text[1:]
    return text if len(text) <= limit else text[: limit - 1] + "…"


class TokenAxis(pg.AxisItem):
    """Axis whose ticks are token positions; labels every k-th token so none overlap."""

    def __init__(self, orientation: str, rotate: bool = False, point_size: float = 8.0, limit: int = 14) -> None:
        super().__init__(orientation)
        self._limit = limit                              # longer labels are cut with an ellipsis
        self._tokens: list[str] = []
        self._widest = 20.0
        self._rotate = rotate and orientation in ("bottom", "top")
        self._font = QFont()
        self._font.setPointSizeF(point_size)
        self._metrics = QFontMetricsF(self._font)
        self.setTickFont(self._font)
        self.enableAutoSIPrefix(False)
        if self._rotate:
            self.setStyle(showValues=False)

    def set_tokens(self, tokens: list[str]) -> None:
        self._tokens = [short_token(t, self._limit) for t in tokens]
        widest = self._widest = max((self._metrics.horizontalAdvance(t) for t in self._tokens), default=20.0)
        room = int(math.ceil(widest)) + 12 + (int(self._metrics.height()) + 6 if self.labelText else 0)
        if self._rotate:
            self.setHeight(room)
        elif self.orientation in ("left", "right"):
            self.setWidth(room)
        self.picture = None
        self.update()

    def labelled(self, lo: float, hi: float, pixels: float) -> list[int]:
        """Positions that get a label when [lo, hi] spans `pixels` screen pixels."""
        n = len(self._tokens)
        first, last = max(0, math.ceil(lo)), min(n - 1, math.floor(hi))
        if n == 0 or pixels <= 0 or last < first:
            return []
        per_token = pixels / max(hi - lo, 1e-9)
        across = self.orientation in ("bottom", "top") and not self._rotate      # labels side by side
        extent = self._widest + 8 if across else self._metrics.height() + 1
        step = max(1, math.ceil(extent / per_token))
        start = first + (-first) % step                              # multiples of step stay put when panning
        return list(range(start, last + 1, step))

    def tickValues(self, minVal, maxVal, size):                     # noqa: N802 (pyqtgraph API)
        values = self.labelled(min(minVal, maxVal), max(minVal, maxVal), size)   # inverted axes swap them
        return [(1.0, values)] if values else []

    def tickStrings(self, values, scale, spacing):                  # noqa: N802
        return [self._tokens[int(round(v))] if 0 <= int(round(v)) < len(self._tokens) else "" for v in values]

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):       # noqa: N802
        super().drawPicture(p, axisSpec, tickSpecs, textSpecs)
        if not self._rotate or not tickSpecs:
            return
        bounds = self.mapRectFromParent(self.geometry())
        lo, hi = self.range
        p.setFont(self._font)
        p.setPen(self.textPen())
        h = self._metrics.height()
        for _pen, p1, p2 in tickSpecs:
            x = p1.x()
            value = lo + (x - bounds.left()) / max(bounds.width(), 1e-9) * (hi - lo)
            idx = int(round(value))
            if not 0 <= idx < len(self._tokens):
                continue
            p.save()
            p.translate(QPointF(x, max(p1.y(), p2.y()) + 2))
            p.rotate(-90)
            p.drawText(QRectF(-self.height(), -h / 2, self.height() - 2, h),
                       int(Qt.AlignRight | Qt.AlignVCenter), self._tokens[idx])
            p.restore()
