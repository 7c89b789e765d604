"""A pyqtgraph item that draws every one of up to millions of points, fast.

pyqtgraph's ScatterPlotItem draws one symbol per point and slows down past about 10k points.
This item instead rasterises the points that fall in the view, at the view's pixel resolution,
on every paint: numpy maps them to pixels and writes the colour of every pixel of each
point's round footprint (`point_size` pixels across; the last point written wins), and Qt
draws that one image. Points are kept sorted by y so the visible band is a slice.
Markers (selection, neighbours, hover) and text labels are painted on top in screen space.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPen

SELECT_PEN = ("#D62728", 2.5)
NEIGHBOR_PEN = ("#FF7F0E", 2.0)
HOVER_PEN = ("#000000", 1.5)
MATCH_PEN = ("#0072B2", 1.5)
MAX_MATCH_RINGS = 500          # search matches get a ring when there are at most this many


def splat_offsets(size: float) -> list[tuple[int, int]]:
    """Pixel offsets of a round point `size` pixels across (pixel centres inside a circle of
    diameter `size`), the centre last so that it is drawn on top."""
    r2 = (size / 2.0) ** 2 - 0.25
    ri = int(np.ceil(size / 2.0))
    offs = [(dx, dy) for dy in range(-ri, ri + 1) for dx in range(-ri, ri + 1)
            if (dx or dy) and dx * dx + dy * dy < r2]
    return offs + [(0, 0)]


SPLAT_WRITES = 400_000      # up to this many pixel writes numpy draws the discs; beyond, Qt blits them


def rasterize(x: np.ndarray, y: np.ndarray, colors: np.ndarray, sx: float, ox: float, sy: float, oy: float,
              width: int, height: int, out: np.ndarray | None = None, size: float = 1.0) -> np.ndarray:
    """(height * width,) uint32 ARGB image of the points, each a disc `size` pixels across
    (size 1 when called with many points: the caller blits the image at `splat_offsets`).

    Point i lands on pixel (floor(sx*x+ox), floor(sy*y+oy)); pixels no point covers are
    transparent (0); where points overlap, the later one in the arrays wins."""
    img = np.zeros(width * height, np.uint32) if out is None else out
    if out is not None:
        img.fill(0)
    offsets = splat_offsets(size)
    pad = max(max(abs(dx), abs(dy)) for dx, dy in offsets)
    px = x * np.float32(sx)
    px += np.float32(ox)
    py = y * np.float32(sy)
    py += np.float32(oy)
    keep = (px >= -pad) & (px < width + pad) & (py >= -pad) & (py < height + pad)
    if not keep.all():
        px, py, colors = px[keep], py[keep], colors[keep]
    ix = np.floor(px).astype(np.int32)
    iy = np.floor(py).astype(np.int32)
    if pad == 0:
        img[iy * width + ix] = colors
        return img
    inner = (ix >= pad) & (ix < width - pad) & (iy >= pad) & (iy < height - pad)
    flat = iy[inner] * width + ix[inner]                   # away from the edges: no per-offset checks
    inner_colors = colors[inner]
    edge = ~inner
    ex, ey, ec = ix[edge], iy[edge], colors[edge]
    for dx, dy in offsets:
        img[flat + (dy * width + dx)] = inner_colors
        cx, cy = ex + dx, ey + dy
        ok = (cx >= 0) & (cx < width) & (cy >= 0) & (cy < height)
        img[cy[ok] * width + cx[ok]] = ec[ok]
    return img


class PointCloudItem(pg.GraphicsObject):
    """Every point of (N, 2) coordinates with a colour each; see the module docstring."""

    def __init__(self) -> None:
        super().__init__()
        self.point_size = 3.0
        self.order = np.zeros(0, np.int64)            # sorted position -> original index
        self.xs = self.ys = np.zeros(0, np.float32)   # coordinates in y order
        self.cs = np.zeros(0, np.uint32)              # colours in y order
        self.base_colors = np.zeros(0, np.uint32)     # colours by original index
        self.top = np.zeros(0, np.int64)              # emphasised points (original indices), drawn last
        self.top_faded: np.ndarray | None = None      # faded colours (y order) while emphasis is on
        self.bounds = QRectF(0, 0, 1, 1)
        self.selected, self.hovered = -1, -1
        self.neighbors = self.matches = np.zeros(0, np.int64)
        self.label_idx = np.zeros(0, np.int64)
        self.label_text: list[str] = []
        self.font = QFont()
        self.font.setPointSizeF(8.5)
        self.metrics = QFontMetrics(self.font)
        self.last_drawn = 0                           # points written into the last frame
        self._buf: np.ndarray | None = None
        self.blits: list[tuple[int, int]] = [(0, 0)]
        self._n = 0

    # data ---------------------------------------------------------------------------------------
    def set_points(self, xy: np.ndarray, colors: np.ndarray) -> None:
        """(N, 2) coordinates and (N,) uint32 colours; clears emphasis, markers and labels."""
        xy = np.asarray(xy, np.float32)
        self.prepareGeometryChange()
        self._n = len(xy)
        self.order = np.argsort(xy[:, 1], kind="stable") if len(xy) else np.zeros(0, np.int64)
        self.xs = np.ascontiguousarray(xy[self.order, 0])
        self.ys = np.ascontiguousarray(xy[self.order, 1])
        self.base_colors = np.asarray(colors, np.uint32)
        self.cs = self.base_colors[self.order]
        self.top, self.top_faded = np.zeros(0, np.int64), None
        self.selected, self.hovered = -1, -1
        self.neighbors = self.matches = np.zeros(0, np.int64)
        self.set_labels(np.zeros(0, np.int64), [], np.zeros(0, np.int8))
        self.bounds = self._data_bounds(xy)
        self.update()

    def set_colors(self, colors: np.ndarray, faded: np.ndarray | None = None) -> None:
        """New per-point colours (original order); `faded` replaces them under an emphasis."""
        self.base_colors = np.asarray(colors, np.uint32)
        self.cs = self.base_colors[self.order]
        self.top_faded = None if faded is None else np.asarray(faded, np.uint32)[self.order]
        self.update()

    def set_emphasis(self, indices: np.ndarray | None, faded: np.ndarray | None = None) -> None:
        """Draw `indices` in full colour on top and every other point in `faded` colours (None: off)."""
        if indices is None:
            self.top, self.top_faded = np.zeros(0, np.int64), None
        else:
            self.top = np.asarray(indices, np.int64)
            self.top_faded = np.asarray(faded, np.uint32)[self.order]
        self.update()

    def set_markers(self, selected: int = -1, neighbors: np.ndarray | None = None,
                    matches: np.ndarray | None = None) -> None:
        """Rings: the selected point, its neighbours, and search matches (when few)."""
        self.selected = int(selected)
        self.neighbors = np.zeros(0, np.int64) if neighbors is None else np.asarray(neighbors, np.int64)
        m = np.zeros(0, np.int64) if matches is None else np.asarray(matches, np.int64)
        self.matches = m if len(m) <= MAX_MATCH_RINGS else np.zeros(0, np.int64)
        self.update()

    def set_hovered(self, index: int) -> None:
        if index != self.hovered:
            self.hovered = int(index)
            self.update()

    def set_labels(self, indices: np.ndarray, texts: list[str], sides: np.ndarray | None = None) -> None:
        """Labels of `indices`; side +1 draws a label right of its point, -1 left of it."""
        self.label_idx = np.asarray(indices, np.int64)
        self.label_text = list(texts)
        self.label_width = [self.metrics.horizontalAdvance(t) for t in self.label_text]
        self.label_side = np.ones(len(self.label_idx), np.int8) if sides is None else np.asarray(sides, np.int8)
        self.update()

    def count(self) -> int:
        return self._n

    def point(self, index: int) -> tuple[float, float]:
        pos = np.flatnonzero(self.order == index)[0]
        return float(self.xs[pos]), float(self.ys[pos])

    def coords_of(self, indices: np.ndarray) -> np.ndarray:
        """(k, 2) data coordinates of original indices."""
        inv = self.inverse()
        p = inv[np.asarray(indices, np.int64)]
        return np.stack([self.xs[p], self.ys[p]], axis=1)

    def inverse(self) -> np.ndarray:
        if getattr(self, "_inv_for", None) is not self.order:
            self._inv = np.empty_like(self.order)
            self._inv[self.order] = np.arange(len(self.order))
            self._inv_for = self.order
        return self._inv

    @staticmethod
    def _data_bounds(xy: np.ndarray) -> QRectF:
        if len(xy) == 0:
            return QRectF(0, 0, 1, 1)
        lo, hi = xy.min(axis=0), xy.max(axis=0)
        span = np.maximum(hi - lo, 1e-6)
        return QRectF(float(lo[0]), float(lo[1]), float(span[0]), float(span[1]))

    # QGraphicsItem ------------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return QRectF(self.bounds)

    def dataBounds(self, axis, frac=1.0, orthoRange=None):
        r = self.bounds
        return (r.left(), r.right()) if axis == 0 else (r.top(), r.bottom())

    def paint(self, painter, option, widget=None) -> None:
        vb = self.getViewBox()
        if vb is None or self._n == 0:
            return
        tr = painter.transform()
        view = vb.viewRect()
        x0, y0 = tr.map(view.topLeft()).toTuple()
        x1, y1 = tr.map(view.bottomRight()).toTuple()
        left, top = int(np.floor(min(x0, x1))), int(np.floor(min(y0, y1)))
        width, height = int(np.ceil(max(x0, x1))) - left, int(np.ceil(max(y0, y1))) - top
        if width <= 0 or height <= 0:
            return
        sx, sy = tr.m11(), tr.m22()
        ox, oy = tr.m31() - left, tr.m32() - top
        img = self._frame(view, sx, ox, sy, oy, width, height)
        painter.save()
        painter.resetTransform()
        qimg = QImage(img.data, width, height, 4 * width, QImage.Format.Format_ARGB32_Premultiplied)
        for dx, dy in self.blits:
            painter.drawImage(QPointF(left + dx, top + dy), qimg)
        self._paint_markers(painter, sx, tr.m31(), sy, tr.m32())
        self._paint_labels(painter, sx, tr.m31(), sy, tr.m32())
        painter.restore()

    def _frame(self, view: QRectF, sx, ox, sy, oy, width: int, height: int) -> np.ndarray:
        """Rasterise the points in the view's y band (plus a margin for the point size)."""
        if self._buf is None or self._buf.size != width * height:
            self._buf = np.zeros(width * height, np.uint32)
        pad = self.point_size / max(abs(sy), 1e-12)
        lo = np.searchsorted(self.ys, min(view.top(), view.bottom()) - pad, "left")
        hi = np.searchsorted(self.ys, max(view.top(), view.bottom()) + pad, "right")
        colors = self.cs if self.top_faded is None else self.top_faded
        self.blits = splat_offsets(self.point_size)
        size = self.point_size
        if (hi - lo) * len(self.blits) <= SPLAT_WRITES:
            self.blits = [(0, 0)]                          # few points: numpy draws the discs
        else:
            size = 1.0                                     # many: one pixel each, Qt blits the disc
        img = rasterize(self.xs[lo:hi], self.ys[lo:hi], colors[lo:hi], sx, ox, sy, oy, width, height, self._buf,
                        size)
        self.last_drawn = int(hi - lo)
        if len(self.top):
            pos = self.inverse()[self.top]
            top = np.zeros(width * height, np.uint32)
            rasterize(self.xs[pos], self.ys[pos], self.cs[pos], sx, ox, sy, oy, width, height, top, size)
            self._grow_into(img, top, width, height)
        return img

    def _grow_into(self, img: np.ndarray, top: np.ndarray, width: int, height: int) -> None:
        """Emphasised points: written over the faded ones, one pixel wider than the rest."""
        t2 = top.reshape(height, width)
        grown = t2.copy()
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            src = t2[max(0, -dy):height - max(0, dy), max(0, -dx):width - max(0, dx)]
            dst = grown[max(0, dy):height - max(0, -dy), max(0, dx):width - max(0, -dx)]
            np.copyto(dst, src, where=(dst == 0))
        g = grown.reshape(-1)
        np.copyto(img, g, where=(g != 0))

    def _screen(self, indices: np.ndarray, sx, ox, sy, oy) -> np.ndarray:
        xy = self.coords_of(indices)
        return np.stack([xy[:, 0] * sx + ox, xy[:, 1] * sy + oy], axis=1)

    def _paint_markers(self, painter, sx, ox, sy, oy) -> None:
        r = max(4.0, self.point_size + 2.0)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        chosen = np.array([self.selected]) if self.selected >= 0 else None
        groups = [(self.matches, MATCH_PEN), (self.neighbors, NEIGHBOR_PEN), (chosen, SELECT_PEN),
                  (np.array([self.hovered]) if self.hovered >= 0 else None, HOVER_PEN)]
        for idx, (color, width) in groups:
            if idx is None or len(idx) == 0:
                continue
            painter.setPen(QPen(QColor(color), width))
            for px, py in self._screen(idx, sx, ox, sy, oy):
                painter.drawEllipse(QPointF(px, py), r, r)

    def _paint_labels(self, painter, sx, ox, sy, oy) -> None:
        """Labels right of their point, or left of it where they would run out of the view."""
        painter.setFont(self.font)
        right = painter.device().width() if painter.device() is not None else 1e9
        special = {self.selected: "#B00020", self.hovered: "#000000"}
        if len(self.label_idx):
            painter.setPen(QColor("#303030"))
            pts = self._screen(self.label_idx, sx, ox, sy, oy)
            for (px, py), text, idx, side, w in zip(pts, self.label_text, self.label_idx, self.label_side,
                                                    self.label_width):
                if idx not in special:
                    left_side = side < 0 or px + 4 + w >= right
                    painter.drawText(QPointF(px - 4 - w if left_side else px + 4, py - 3), text)
        for idx, color in special.items():
            if idx < 0 or idx >= self._n:
                continue
            text = self.text_of(idx)
            (px, py), = self._screen(np.array([idx]), sx, ox, sy, oy)
            w = self.metrics.horizontalAdvance(text) + 8
            box = QRectF(px + 5 if px + 5 + w < right else px - 5 - w, py - 8 - self.metrics.height(), w,
                         self.metrics.height() + 4)
            painter.setPen(QPen(QColor(color), 1))
            painter.setBrush(QColor(255, 255, 255, 230))
            painter.drawRoundedRect(box, 3, 3)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def text_of(self, index: int) -> str:
        """The label text of one point (set by the owner through `label_source`)."""
        source = getattr(self, "label_source", None)
        return source(index) if source is not None else str(index)
