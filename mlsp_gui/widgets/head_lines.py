"""BertViz-style head view canvas: query tokens on the left, key tokens on the right, one line per
(head, query, key) whose weight passes the threshold, one colour per head.

Built to stay interactive at 512 tokens × 12 heads: the lines above the threshold are found once
with numpy when the data or the filters change; a repaint only draws the lines with at least one
end on a visible row (a line between two scrolled-away tokens is not drawn), clipped to the widget,
in a few batched `drawLines` calls (one per head and opacity level).
"""
from __future__ import annotations

import numpy as np
from pyqtgraph.Qt import internals
from PySide6.QtCore import QLineF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QHBoxLayout, QScrollBar, QWidget

from mlsp_gui.widgets.token_axis import short_token

ROW = 17                      # pixels per token row, at least
MAX_ROW = 64                  # at most: a short sentence spreads over the panel's height, not its top third
ALPHAS = (50, 90, 130, 170, 210, 250)   # opacity levels; a line's level grows with sqrt(weight)
HOVER_FLOOR = 0.005           # a hovered token shows every line above this weight
QUERY, KEY = "q", "k"
AA_LIMIT = 300                # antialias only small line counts (AA costs ~10x per line in Qt raster)
LINE_WIDTH = 1.01             # just above 1: Qt's fast rasterizer path (cosmetic 1 px lines are slower)


def _mix(color: QColor, strength: float) -> QColor:
    """`color` blended over white: strength 1 is the colour itself, 0 is white."""
    a = float(np.clip(strength, 0.0, 1.0))
    return QColor(int(255 - a * (255 - color.red())), int(255 - a * (255 - color.green())),
                  int(255 - a * (255 - color.blue())))


class HeadLinesCanvas(QWidget):
    """Paints the two token columns and the lines; see the module docstring."""

    hovered_token = Signal(str, int)            # side (QUERY | KEY | ""), token index (-1 when none)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setMinimumSize(360, 120)
        self._font = QFont()
        self._font.setPointSizeF(9)
        self._metrics = QFontMetricsF(self._font)
        self._w = np.zeros((0, 0, 0), np.float32)
        self._tq: list[str] = []
        self._tk: list[str] = []
        self._colors: list[QColor] = []
        self._widest = 40.0
        self._heads: set[int] = set()
        self._threshold = 0.1
        self._pair: np.ndarray | None = None
        self._hover: tuple[str, int] = ("", -1)
        self._entries: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._lines = internals.PrimitiveArray(QLineF, 4)
        self.generated_from: int | None = None           # tokens from here on are drawn in italics
        self._italic = QFont(self._font)
        self._italic.setItalic(True)
        self.offset = 0                                  # scrolled pixels
        self.last_drawn = 0                              # lines drawn by the latest paint

    # state -----------------------------------------------------------------------
    def set_data(self, weights: np.ndarray, tokens_q: list[str], tokens_k: list[str], colors: list[QColor]) -> None:
        """weights (H, T, S) of one layer; colors one per head."""
        self._w = np.asarray(weights, np.float32)
        self._tq, self._tk = [short_token(t, 18) for t in tokens_q], [short_token(t, 18) for t in tokens_k]
        self._colors = list(colors)
        widths = [self._metrics.horizontalAdvance(t) for t in (self._tq + self._tk)]
        self._widest = max(widths, default=40.0)
        self._heads &= set(range(self._w.shape[0]))
        self._pair = None if self._pair is None or self._pair.shape != self._w.shape[1:] else self._pair
        self._hover = ("", -1)
        self._rebuild()

    def set_heads(self, heads: set[int]) -> None:
        self._heads = set(heads)
        self.update()

    def set_threshold(self, value: float) -> None:
        self._threshold = float(value)
        self._rebuild()

    def set_pair_mask(self, mask: np.ndarray | None) -> None:
        """(T, S) bool: only these query→key pairs may be drawn (None: all)."""
        self._pair = None if mask is None else np.asarray(mask, bool)
        self._rebuild()

    def set_hover(self, side: str, index: int) -> None:
        if (side, index) != self._hover:
            self._hover = (side, index)
            self.hovered_token.emit(side, index)
            self.update()

    def _rebuild(self) -> None:
        """Find, per head, the (query, key, weight) entries above the threshold and inside the pair filter."""
        self._entries = []
        for h in range(self._w.shape[0]):
            keep = self._w[h] >= max(self._threshold, 1e-12)
            if self._pair is not None:
                keep &= self._pair
            i, j = np.nonzero(keep)
            self._entries.append((i.astype(np.int32), j.astype(np.int32), self._w[h][i, j]))
        self.update()

    # geometry ----------------------------------------------------------------------
    @property
    def row_h(self) -> float:
        """Pixels per token row: the panel's height shared by the rows, between ROW and MAX_ROW."""
        rows = self.rows()
        return float(ROW) if rows == 0 else float(min(MAX_ROW, max(ROW, (self.height() - 8) / rows)))

    def rows(self) -> int:
        return max(len(self._tq), len(self._tk))

    def content_height(self) -> int:
        return int(self.rows() * self.row_h) + 8

    def visible_rows(self) -> tuple[int, int]:
        first = max(0, (self.offset - 4) // self.row_h)
        last = min(self.rows() - 1, (self.offset + self.height() - 4) // self.row_h)
        return int(first), int(last)

    def _columns(self) -> tuple[float, float, float]:
        """(text width, x of the left column's edge, x of the right column's edge)."""
        text_w = min(max(self._widest + 10, 50.0), self.width() * 0.3)
        return text_w, text_w + 4, self.width() - text_w - 4

    def row_y(self, index: int) -> float:
        return 4 + index * self.row_h + self.row_h / 2 - self.offset

    def token_at(self, x: float, y: float) -> tuple[str, int]:
        text_w, _, right = self._columns()
        idx = int((y + self.offset - 4) // self.row_h)
        if x <= text_w and 0 <= idx < len(self._tq):
            return QUERY, idx
        if x >= right and 0 <= idx < len(self._tk):
            return KEY, idx
        return "", -1

    # what to draw ----------------------------------------------------------------------
    def visible_lines(self) -> dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Per enabled head, the (query, key, weight) lines a paint draws now."""
        side, index = self._hover
        first, last = self.visible_rows()
        out = {}
        for h in sorted(self._heads):
            if not 0 <= h < len(self._entries):
                continue
            if index >= 0:
                line = self._w[h, index, :] if side == QUERY else self._w[h, :, index]
                allowed = line > HOVER_FLOOR
                if self._pair is not None:
                    allowed &= self._pair[index, :] if side == QUERY else self._pair[:, index]
                other = np.nonzero(allowed)[0].astype(np.int32)
                fixed = np.full_like(other, index)
                i, j = (fixed, other) if side == QUERY else (other, fixed)
                out[h] = (i, j, line[other])
                continue
            i, j, w = self._entries[h]
            keep = ((i >= first) & (i <= last)) | ((j >= first) & (j <= last))   # an end is on screen
            out[h] = (i[keep], j[keep], w[keep])
        return out

    # painting --------------------------------------------------------------------------
    def paintEvent(self, event) -> None:                 # noqa: N802 (Qt API)
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("white"))
        p.setFont(self._font)
        text_w, left, right = self._columns()
        self._paint_tokens(p, text_w, right)
        lines = self.visible_lines()
        total = sum(len(v[0]) for v in lines.values())
        # Qt's raster engine draws thin opaque non-antialiased lines ~20x faster than translucent or
        # antialiased ones, so many lines get opaque colours pre-mixed with white (weak = pale).
        p.setRenderHint(QPainter.RenderHint.Antialiasing, total <= AA_LIMIT)
        width = 1.6 if self._hover[1] >= 0 else LINE_WIDTH
        batches = []
        for h, (i, j, w) in lines.items():
            level = np.minimum((np.sqrt(w) * len(ALPHAS)).astype(np.int32), len(ALPHAS) - 1)
            batches += [(int(lv), h, i[level == lv], j[level == lv]) for lv in np.unique(level)]
        drawn = 0
        for lv, h, i, j in sorted(batches, key=lambda b: b[0]):          # strong lines end on top
            p.setPen(QPen(_mix(self._colors[h % len(self._colors)], ALPHAS[lv] / 255.0), width))
            drawn += self._draw_lines(p, left, right, i, j)
        self.last_drawn = drawn
        p.end()

    def _draw_lines(self, p: QPainter, left: float, right: float, i: np.ndarray, j: np.ndarray) -> int:
        """Draw query i -> key j lines, clipped to the widget in numpy first (Qt rasterizes long
        off-screen stretches of a line before clipping them, which dominated the repaint time)."""
        n = int(i.size)
        if n == 0:
            return 0
        y0 = 4 + i * self.row_h + self.row_h / 2.0 - self.offset
        y1 = 4 + j * self.row_h + self.row_h / 2.0 - self.offset
        dy = np.where(y1 == y0, 1e-9, y1 - y0)
        lo, hi = -1.0, self.height() + 1.0
        t0 = np.clip(np.minimum((lo - y0) / dy, (hi - y0) / dy), 0.0, 1.0)
        t1 = np.clip(np.maximum((lo - y0) / dy, (hi - y0) / dy), 0.0, 1.0)
        flat = y1 == y0
        t0, t1 = np.where(flat, 0.0, t0), np.where(flat, 1.0, t1)
        self._lines.resize(n)
        arr = self._lines.ndarray()
        arr[:, 0] = left + t0 * (right - left)
        arr[:, 1] = y0 + t0 * (y1 - y0)
        arr[:, 2] = left + t1 * (right - left)
        arr[:, 3] = y0 + t1 * (y1 - y0)
        p.drawLines(*self._lines.drawargs())
        return n

    def _paint_tokens(self, p: QPainter, text_w: float, right: float) -> None:
        first, last = self.visible_rows()
        side, index = self._hover
        for col, tokens, x, align in ((QUERY, self._tq, 0.0, Qt.AlignRight), (KEY, self._tk, right + 4, Qt.AlignLeft)):
            for r in range(first, min(last, len(tokens) - 1) + 1):
                rect = QRectF(x, 4 + r * self.row_h - self.offset, text_w, self.row_h)
                if side == col and index == r:
                    p.fillRect(rect, QColor("#dde8f6"))
                generated = self.generated_from is not None and r >= self.generated_from
                p.setFont(self._italic if generated else self._font)
                p.setPen(QColor("#0072B2") if generated else QColor("#202020"))
                p.drawText(rect.adjusted(2, 0, -2, 0), int(align | Qt.AlignVCenter), tokens[r])

    # mouse -----------------------------------------------------------------------------
    def mouseMoveEvent(self, event) -> None:             # noqa: N802
        pos = event.position()
        self.set_hover(*self.token_at(pos.x(), pos.y()))

    def leaveEvent(self, event) -> None:                 # noqa: N802
        self.set_hover("", -1)


class HeadLinesWidget(QWidget):
    """The canvas plus its scroll bar (wheel scrolls too)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = HeadLinesCanvas(self)
        self.scrollbar = QScrollBar(Qt.Orientation.Vertical, self)
        self.scrollbar.setSingleStep(ROW)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.canvas, 1)
        row.addWidget(self.scrollbar)
        self.scrollbar.valueChanged.connect(self._scrolled)

    def set_data(self, weights, tokens_q, tokens_k, colors) -> None:
        self.canvas.set_data(weights, tokens_q, tokens_k, colors)
        self._update_range()

    def scroll_to_row(self, row: int) -> None:
        self.scrollbar.setValue(int(row * self.canvas.row_h))

    def _update_range(self) -> None:
        self.scrollbar.setRange(0, max(0, self.canvas.content_height() - self.canvas.height()))
        self.scrollbar.setPageStep(max(ROW, self.canvas.height()))
        self._scrolled(self.scrollbar.value())

    def _scrolled(self, value: int) -> None:
        self.canvas.offset = int(value)
        self.canvas.update()

    def resizeEvent(self, event) -> None:                # noqa: N802
        super().resizeEvent(event)
        self._update_range()

    def wheelEvent(self, event) -> None:                 # noqa: N802
        self.scrollbar.setValue(self.scrollbar.value() - event.angleDelta().y() // 120 * 3 * ROW)
