"""The projector's 2-D scatter: every point drawn (PointCloudItem), pan/zoom, hover read-out,
click to pick a point, rectangle or lasso selection, and labels for up to a few hundred visible
points chosen by screen-space decluttering (the selection and search matches first, then the
owner's priority order, e.g. word frequency)."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QVBoxLayout, QWidget

from mlsp_gui.widgets.point_cloud_item import PointCloudItem

PICK_RADIUS = 8            # pixels: how near a click or the mouse must be to a point
MAX_LABELS = 250
LABEL_CANDIDATES = 60_000  # the first this-many visible points (by priority) compete for labels
MODES = ("pan", "rect", "lasso")


class _CloudViewBox(pg.ViewBox):
    """A ViewBox whose left-drag pans, or draws a rectangle / lasso in those modes."""

    def __init__(self, owner: Scatter2D) -> None:
        super().__init__(enableMenu=False)
        self.owner = owner

    def mouseDragEvent(self, ev, axis=None) -> None:
        if self.owner.mode == "pan" and not (ev.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            super().mouseDragEvent(ev, axis)
            return
        if ev.button() != Qt.MouseButton.LeftButton:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()
        pos = self.mapSceneToView(ev.scenePos())
        self.owner._drag(ev.isStart(), ev.isFinish(), (pos.x(), pos.y()),
                         self.mapSceneToView(ev.buttonDownScenePos()))

    def mouseClickEvent(self, ev) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self.owner._click(ev.scenePos())
        else:
            super().mouseClickEvent(ev)


class Scatter2D(QWidget):
    """Signals: point_clicked(index or -1), region_selected(indices array), hovered(index or -1)."""

    point_clicked = Signal(int)
    region_selected = Signal(object)
    hovered = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = "pan"
        self.vb = _CloudViewBox(self)
        self.plot = pg.PlotWidget(viewBox=self.vb, background="w")
        menu = self.plot.getPlotItem().ctrlMenu            # pyqtgraph leaves it parentless: it would outlive the view
        if menu is not None:
            menu.setParent(self, menu.windowFlags())
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        self.plot.setMouseTracking(True)
        self.cloud = PointCloudItem()
        self.cloud.label_source = self._label_text
        self.vb.addItem(self.cloud)
        self.shape = QGraphicsPathItem()
        self.shape.setPen(QPen(QColor("#444444"), 0, Qt.PenStyle.DashLine))
        self.shape.setBrush(QColor(80, 120, 200, 40))
        self.shape.setZValue(10)
        self.vb.addItem(self.shape, ignoreBounds=True)
        self._lasso: list[tuple[float, float]] = []
        self.labels: list[str] = []
        self.priority = np.zeros(0, np.int64)          # points in label priority order
        self.pinned = np.zeros(0, np.int64)            # always-labelled points (selection, neighbours, matches)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self._declutter_timer = QTimer(self, singleShot=True, interval=120, timeout=self.update_labels)
        self.vb.sigRangeChanged.connect(lambda *_: self._declutter_timer.start())
        self._hover_proxy = pg.SignalProxy(self.plot.scene().sigMouseMoved, rateLimit=40, slot=self._mouse_moved)

    # data ---------------------------------------------------------------------------------------
    def set_points(self, xy: np.ndarray, colors: np.ndarray, labels: list[str],
                   priority: np.ndarray | None = None, keep_view: bool = False) -> None:
        """Show (N, 2) points with (N,) uint32 colours; `priority` orders who gets a label first."""
        self.labels = list(labels)
        self.priority = np.arange(len(xy)) if priority is None else np.asarray(priority, np.int64)
        self.pinned = np.zeros(0, np.int64)
        self.cloud.set_points(xy, colors)
        if not keep_view:
            self.reset_view()
        self._declutter_timer.start()

    def reset_view(self) -> None:
        self.vb.autoRange(padding=0.05)

    def set_mode(self, mode: str) -> None:
        self.mode = mode if mode in MODES else "pan"

    def set_pinned(self, indices: np.ndarray) -> None:
        self.pinned = np.asarray(indices, np.int64)
        self.update_labels()

    def view_range(self) -> list[list[float]]:
        return self.vb.viewRange()

    def set_view_range(self, rng: list[list[float]]) -> None:
        self.vb.setRange(xRange=rng[0], yRange=rng[1], padding=0)

    def _label_text(self, index: int) -> str:
        return self.labels[index] if 0 <= index < len(self.labels) else str(index)

    # labels -------------------------------------------------------------------------------------
    def _to_screen(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Data (k, 2) -> pixel coordinates in the view box (k,), (k,)."""
        (x0, x1), (y0, y1) = self.vb.viewRange()
        w, h = max(self.vb.width(), 1.0), max(self.vb.height(), 1.0)
        return (xy[:, 0] - x0) / max(x1 - x0, 1e-12) * w, (y1 - xy[:, 1]) / max(y1 - y0, 1e-12) * h

    def visible(self) -> np.ndarray:
        """Original indices of the points inside the current view."""
        (x0, x1), (y0, y1) = self.vb.viewRange()
        c = self.cloud
        lo, hi = np.searchsorted(c.ys, y0, "left"), np.searchsorted(c.ys, y1, "right")
        xs = c.xs[lo:hi]
        return c.order[lo:hi][(xs >= x0) & (xs <= x1)]

    def update_labels(self) -> None:
        """Choose up to MAX_LABELS visible points whose labels do not overlap on screen."""
        n = self.cloud.count()
        if n == 0 or not self.labels:
            self.cloud.set_labels(np.zeros(0, np.int64), [], np.zeros(0, np.int8))
            return
        vis = np.zeros(n, bool)
        vis[self.visible()] = True
        cand = self.priority[vis[self.priority]][:LABEL_CANDIDATES]
        pinned = self.pinned[vis[self.pinned]] if len(self.pinned) else self.pinned
        cand = np.concatenate([pinned, cand])
        chosen, sides = declutter(*self._to_screen(self.cloud.coords_of(cand)), cand,
                                  lambda i: self.cloud.metrics.horizontalAdvance(self.labels[i]) + 6,
                                  self.cloud.metrics.height(), MAX_LABELS, right=self.vb.width())
        self.cloud.set_labels(chosen, [self.labels[i] for i in chosen], sides)

    # interaction --------------------------------------------------------------------------------
    def pick(self, scene_pos) -> int:
        """The point nearest to a scene position within PICK_RADIUS pixels, or -1."""
        if self.cloud.count() == 0:
            return -1
        p = self.vb.mapSceneToView(scene_pos)
        px_per_x, px_per_y = self._pixels_per_unit()
        ry = PICK_RADIUS / px_per_y                # points are sorted by y: search a band of rows
        c = self.cloud
        lo, hi = np.searchsorted(c.ys, p.y() - ry, "left"), np.searchsorted(c.ys, p.y() + ry, "right")
        dx = (c.xs[lo:hi] - p.x()) * px_per_x
        dy = (c.ys[lo:hi] - p.y()) * px_per_y
        d2 = dx * dx + dy * dy
        if len(d2) == 0 or d2.min() > PICK_RADIUS ** 2:
            return -1
        return int(c.order[lo + int(np.argmin(d2))])

    def _pixels_per_unit(self) -> tuple[float, float]:
        (x0, x1), (y0, y1) = self.vb.viewRange()
        return max(self.vb.width(), 1.0) / max(x1 - x0, 1e-12), max(self.vb.height(), 1.0) / max(y1 - y0, 1e-12)

    def _mouse_moved(self, args) -> None:
        pos = args[0]
        if not self.vb.sceneBoundingRect().contains(pos):
            return
        index = self.pick(pos)
        if index != self.cloud.hovered:
            self.cloud.set_hovered(index)
            self.hovered.emit(index)

    def _click(self, scene_pos) -> None:
        self.point_clicked.emit(self.pick(scene_pos))

    def _drag(self, start: bool, finish: bool, pos: tuple[float, float], origin: QPointF) -> None:
        if start:
            self._lasso = [(origin.x(), origin.y())]
        self._lasso.append(pos)
        path = QPainterPath()
        if self.mode == "lasso":
            path.moveTo(*self._lasso[0])
            for p in self._lasso[1:]:
                path.lineTo(*p)
            path.closeSubpath()
        else:
            (ax, ay), (bx, by) = self._lasso[0], pos
            path.addRect(min(ax, bx), min(ay, by), abs(bx - ax), abs(by - ay))
        self.shape.setPath(path)
        if finish:
            self.shape.setPath(QPainterPath())
            self.region_selected.emit(self.select_shape(self._lasso, lasso=self.mode == "lasso"))
            self._lasso = []

    def select_shape(self, points: list[tuple[float, float]], lasso: bool) -> np.ndarray:
        """Original indices (ascending) inside a rectangle (first and last point) or a lasso polygon."""
        from engine.projection.select import points_in_polygon, points_in_rect

        xy = np.stack([self.cloud.xs, self.cloud.ys], axis=1)
        if lasso and len(points) >= 3:
            pos = points_in_polygon(xy, np.asarray(points[::max(1, len(points) // 200)]))
        else:
            (ax, ay), (bx, by) = points[0], points[-1]
            pos = points_in_rect(xy, ax, bx, ay, by)
        return np.sort(self.cloud.order[pos])


def declutter(sx: np.ndarray, sy: np.ndarray, indices: np.ndarray, width_of: Callable[[int], float],
              height: float, limit: int, right: float = 1e9) -> tuple[np.ndarray, np.ndarray]:
    """Greedy, in the given order: a point keeps its label when the label's box, right of the
    point or else left of it, overlaps no kept box. A coarse grid first drops candidates that share
    a cell with an earlier one. Returns (indices, sides): side +1 right of the point, -1 left."""
    if len(indices) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int8)
    cells = np.floor(sx / 40.0).astype(np.int64) * 1_000_003 + np.floor(sy / height).astype(np.int64)
    _, first = np.unique(cells, return_index=True)
    keep = np.sort(first)[:limit * 8]
    boxes = np.zeros((0, 4))
    chosen: list[int] = []
    sides: list[int] = []
    seen: set[int] = set()
    for k in keep:
        idx = int(indices[k])
        if idx in seen:
            continue
        w = width_of(idx)
        y0 = sy[k] - height - 3
        for side, x0 in ((1, sx[k] + 4), (-1, sx[k] - 4 - w)):
            if (side == 1 and x0 + w > right) or (side == -1 and x0 < 0):
                continue
            hit = len(boxes) and np.any((boxes[:, 0] < x0 + w) & (boxes[:, 2] > x0) &
                                        (boxes[:, 1] < y0 + height) & (boxes[:, 3] > y0))
            if not hit:
                boxes = np.vstack([boxes, [x0, y0, x0 + w, y0 + height]])
                chosen.append(idx)
                sides.append(side)
                seen.add(idx)
                break
        if len(chosen) >= limit:
            break
    return np.asarray(chosen, np.int64), np.asarray(sides, np.int8)
