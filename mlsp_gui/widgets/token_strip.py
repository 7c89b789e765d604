"""A wrapped strip of tokens; click one to choose it. Optional per-token shading (e.g. weights)."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from mlsp_gui.widgets.token_axis import short_token

PAD_X, PAD_Y, GAP = 5.0, 3.0, 3.0


class TokenStrip(QWidget):
    """Tokens as chips laid out in lines; `token_selected(index)` on click."""

    token_selected = Signal(int)
    height_needed = Signal(int)                          # pixels all lines of chips need at the current width

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._font = QFont()
        self._font.setPointSizeF(9)
        self._metrics = QFontMetricsF(self._font)
        self._tokens: list[str] = []
        self._shade: np.ndarray | None = None
        self.selected = -1
        self._rects: list[QRectF] = []
        self.setMouseTracking(True)
        sp = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        sp.setHeightForWidth(True)
        self.setSizePolicy(sp)

    def set_tokens(self, tokens: list[str], selected: int = 0) -> None:
        self._tokens = [short_token(t, 24) for t in tokens]
        self._shade = None
        self.selected = min(max(selected, 0), len(tokens) - 1) if tokens else -1
        self.setMinimumHeight(int(self._layout(max(self.width(), 100))) + 1)
        self.height_needed.emit(self.minimumHeight())
        self.updateGeometry()
        self.update()

    def set_shading(self, values: np.ndarray | None) -> None:
        """Per-token values in [0, 1] drawn as the chip's background (None: no shading)."""
        self._shade = None if values is None else np.clip(np.asarray(values, np.float64), 0, 1)
        self.update()

    def select(self, index: int) -> None:
        if 0 <= index < len(self._tokens) and index != self.selected:
            self.selected = index
            self.update()
            self.token_selected.emit(index)

    def chip_rect(self, index: int) -> QRectF:
        return self._rects[index]

    def _layout(self, width: int) -> float:
        """Place the chips for a given width; returns the height they need."""
        x = y = 0.0
        h = self._metrics.height() + 2 * PAD_Y
        self._rects = []
        for tok in self._tokens:
            w = self._metrics.horizontalAdvance(tok) + 2 * PAD_X
            if x > 0 and x + w > width:
                x, y = 0.0, y + h + GAP
            self._rects.append(QRectF(x, y, w, h))
            x += w + GAP
        return y + h + 1 if self._tokens else h

    def heightForWidth(self, width: int) -> int:         # noqa: N802 (Qt API; the size policy enables it)
        return int(self._layout(width)) + 1

    def sizeHint(self) -> QSize:                         # noqa: N802
        return QSize(400, self.heightForWidth(max(self.width(), 400)))

    def resizeEvent(self, event) -> None:                # noqa: N802
        need = int(self._layout(self.width())) + 1
        if need != self.minimumHeight():
            self.setMinimumHeight(need)                   # all lines of chips, whatever the layout offers
            self.height_needed.emit(need)
        super().resizeEvent(event)

    def paintEvent(self, event) -> None:                 # noqa: N802
        p = QPainter(self)
        p.setFont(self._font)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for i, (tok, rect) in enumerate(zip(self._tokens, self._rects)):
            a = 0.0 if self._shade is None or i >= len(self._shade) else float(self._shade[i])
            p.setBrush(QColor(int(255 - a * 200), int(255 - a * 140), 255))
            p.setPen(QPen(QColor("#D55E00"), 2.5) if i == self.selected else QPen(QColor("#9aa5b1"), 1))
            p.drawRoundedRect(rect, 4, 4)
            p.setPen(QColor("#101010") if a < 0.6 else QColor("white"))
            p.drawText(rect, int(Qt.AlignCenter), tok)
        p.end()

    def mousePressEvent(self, event) -> None:            # noqa: N802
        pos = event.position()
        for i, rect in enumerate(self._rects):
            if rect.contains(pos):
                self.select(i)
                return
