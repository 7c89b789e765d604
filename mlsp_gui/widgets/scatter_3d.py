"""The projector's 3-D scatter: pyqtgraph's OpenGL view (GLScatterPlotItem), every point sent to
the GPU; orbit with the left button, zoom with the wheel. Picking projects the points with the
view's own matrices (cached until the camera moves); hovering names the point under the mouse.
In the Rectangle and Lasso modes a left drag draws the region on screen instead of orbiting, and
the points whose projections fall inside it are selected (`region_selected`), as in 2-D.
Where no OpenGL context can be made (e.g. the offscreen platform) the data is still held and
`gl_ok` is False, and a label says so instead of a black box.

The OpenGL view is made the first time the 3-D scatter is shown, not with the projector: once a
window holds an OpenGL widget, Qt composites the *whole* window through OpenGL on every repaint
(texture upload, then a GL frame — in software under Xvfb or without a GPU), which made every
repaint of the training curves and labels several times dearer for users who never opened 3-D."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from engine.projection.select import points_in_polygon, points_in_rect
from mlsp_gui.widgets.palettes import unpack

PICK_RADIUS = 8
MAX_TEXTS = 11              # names written in 3-D: the selected point and its (first ten) neighbours
MAX_MATCH_TEXTS = 20        # and up to this many search matches
FILL = 0.8                  # the camera is fitted so that the cloud spans this much of the view
HOVER_MS = 40               # hover picks at most 25 times a second (1M points: ~10 ms each, the camera still)
CLICK_PX = 4                # a drag shorter than this is a click
MODES = ("pan", "rect", "lasso")


class _RegionOverlay(QWidget):
    """The rectangle or lasso being drawn, painted over the OpenGL view."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.points: list[QPointF] = []
        self.mode = "rect"
        self.hide()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if len(self.points) < 2:
            return
        painter = QPainter(self)
        pen = QPen(QColor("#d55e00"))
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QColor(213, 94, 0, 40))
        if self.mode == "rect":
            painter.drawRect(QRectF(self.points[0], self.points[-1]).normalized())
        else:
            painter.drawPolygon(QPolygonF(self.points))


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _gl_module():
    try:
        import pyqtgraph.opengl as gl
    except ImportError:
        return None
    return gl


class _GLView:
    """Factory for a GLViewWidget subclass that reports clicks (built only when OpenGL imports)."""

    @staticmethod
    def make(owner: Scatter3D):
        gl = _gl_module()

        class View(gl.GLViewWidget):
            def mousePressEvent(self, ev):  # noqa: N802 (Qt API)
                self._press, self._far = ev.position(), False
                if owner.mode != "pan" and ev.button() == Qt.MouseButton.LeftButton:
                    owner.region_start(ev.position())
                    return
                super().mousePressEvent(ev)

            def mouseMoveEvent(self, ev):  # noqa: N802
                p = getattr(self, "_press", None)
                if p is not None and ev.buttons() != Qt.MouseButton.NoButton \
                        and (ev.position() - p).manhattanLength() >= CLICK_PX:
                    self._far = True                  # a drag, even if it ends where it began (a lasso)
                if owner.drawing:
                    owner.region_move(ev.position())
                    return
                if ev.buttons() == Qt.MouseButton.NoButton:
                    owner.hover_at(ev.position().x(), ev.position().y())
                super().mouseMoveEvent(ev)

            def leaveEvent(self, ev):  # noqa: N802
                owner.hover_at(-1e9, -1e9)
                super().leaveEvent(ev)

            def mouseReleaseEvent(self, ev):  # noqa: N802
                p = getattr(self, "_press", None)
                is_click = p is not None and not getattr(self, "_far", False) \
                    and (ev.position() - p).manhattanLength() < CLICK_PX
                if owner.drawing and ev.button() == Qt.MouseButton.LeftButton:
                    owner.region_end(ev.position(), emit=not is_click)
                else:
                    super().mouseReleaseEvent(ev)
                if is_click and ev.button() == Qt.MouseButton.LeftButton:
                    owner.point_clicked.emit(owner.pick(ev.position().x(), ev.position().y()))

        view = View()
        view.setMouseTracking(True)
        return view


class Scatter3D(QWidget):
    """Signals: point_clicked(index or -1), hovered(index or -1), region_selected(indices)."""

    point_clicked = Signal(int)
    hovered = Signal(int)
    region_selected = Signal(object)      # np.ndarray of point indices, ascending

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pos = np.zeros((0, 3), np.float32)
        self.colors = np.zeros((0, 4), np.float32)
        self.selected, self.neighbors = -1, np.zeros(0, np.int64)
        self.message = QLabel("3-D needs OpenGL (PyOpenGL and a GL context); use 2-D here.")
        self.message.setWordWrap(True)                 # wraps rather than setting the projector's minimum width
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedLayout(self)
        self.view = None
        self.scatter = self.marks = None
        self._size = 3.0
        self._labels: list[str] | None = None           # the points' names (hover, selection)
        self.matches = np.zeros(0, np.int64)            # search matches: named too
        self.axis_names = ("1", "2", "3")
        self.axes = None
        self._screen: tuple | None = None               # (camera key, (N, 2) pixel positions)
        self.hovered_index = -1
        self._hover_text = None
        self._hover_xy = (0.0, 0.0)
        self._hover_timer = QTimer(self)
        self._hover_timer.setSingleShot(True)
        self._hover_timer.setInterval(HOVER_MS)
        self._hover_timer.timeout.connect(self._pick_hovered)
        self.stack.addWidget(self.message)
        self.mode = "pan"
        self.drawing = False
        self._overlay: _RegionOverlay | None = None

    def _make_view(self) -> None:
        """Build the OpenGL view (once, when first shown) and hand it the points held so far."""
        gl = _gl_module()
        if self.view is not None or gl is None:
            return
        self.view = _GLView.make(self)
        self.view.setBackgroundColor("w")
        self.scatter = gl.GLScatterPlotItem(pos=np.zeros((1, 3)), size=3, pxMode=True)
        self.scatter.setGLOptions("translucent")
        self.marks = gl.GLScatterPlotItem(pos=np.zeros((1, 3)), size=11, pxMode=True)
        self.marks.setGLOptions("translucent")
        self.view.addItem(self.scatter)
        self.view.addItem(self.marks)
        self.axes = gl.GLAxisItem()                    # a reference frame at the cloud's centre
        self.axes.setGLOptions("translucent")
        self.view.addItem(self.axes)
        self._axis_texts = []
        self.stack.insertWidget(0, self.view)
        if len(self.pos):
            self.scatter.setData(pos=self.pos, color=self.colors, size=self._size)
            self._update_marks()
            self._update_texts()
            self._update_axes()
            self._centre_camera()

    def set_axis_names(self, names) -> None:
        """What the three axes are ("PC1", "PC2", "PC3" for PCA)."""
        self.axis_names = tuple(str(n) for n in names)[:3]
        self._update_axes()

    def _update_axes(self) -> None:
        gl = _gl_module()
        if self.view is None or gl is None or self.axes is None or not len(self.pos):
            return
        from PySide6.QtGui import QColor

        centre = np.percentile(self.pos, 50, axis=0)
        half = (np.percentile(self.pos, 98, axis=0) - np.percentile(self.pos, 2, axis=0)) / 2 + 1e-6
        self.axes.resetTransform()
        self.axes.setSize(*map(float, half))
        self.axes.translate(*map(float, centre))
        for item in self._axis_texts:
            self.view.removeItem(item)
        self._axis_texts = []
        for k, name in enumerate(self.axis_names):
            end = centre.copy()
            end[k] += half[k] * 1.05
            item = gl.GLTextItem(pos=end, text=name, color=QColor("#606060"))
            self.view.addItem(item)
            self._axis_texts.append(item)

    @property
    def gl_ok(self) -> bool:
        return self.view is not None and self.view.isValid()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self._make_view()
        if self.view is None:
            self.stack.setCurrentWidget(self.message)
            return
        if self.stack.indexOf(self.view) < 0:       # re-entered while _make_view inserts it (a GL widget
            return                                  # re-creates the native window, which shows us again)
        # A QOpenGLWidget makes its context when it is first shown: show it, then look whether that
        # worked (a hidden view never gets one, so checking first would always say no).
        self.stack.setCurrentWidget(self.view)
        QTimer.singleShot(0, self._check_gl)

    def _check_gl(self) -> None:
        if self.view is not None and not self.gl_ok:
            self.stack.setCurrentWidget(self.message)

    def set_points(self, pos: np.ndarray, colors: np.ndarray, size: float = 3.0, keep_view: bool = False,
                   labels: list[str] | None = None) -> None:
        """(N, 3) positions and (N,) uint32 colours; centres the camera on the cloud. `labels` name
        the points for the hover read-out."""
        self.pos = np.ascontiguousarray(pos, np.float32)
        self._labels, self._screen = labels, None
        self._set_hovered(-1)
        self.colors = unpack(colors)
        self._size = size
        self.selected, self.neighbors = -1, np.zeros(0, np.int64)
        if self.scatter is not None:
            self.scatter.setData(pos=self.pos, color=self.colors, size=size)
            self._update_marks()
            self._update_axes()
            if not keep_view:
                self._centre_camera()

    def _centre_camera(self) -> None:
        if self.view is None or not len(self.pos):
            return
        from PySide6.QtGui import QVector3D

        centre = self.pos.mean(axis=0)
        radius = float(np.percentile(np.linalg.norm(self.pos - centre, axis=1), 99)) or 1.0
        distance = radius * 2.5
        self.view.setCameraPosition(pos=QVector3D(*map(float, centre)), distance=distance)
        # A sphere round the cloud wastes the view on a flat or long cloud: fit its projection instead.
        for _ in range(3):
            fill = self.fill_fraction()
            if not np.isfinite(fill) or fill <= 0:
                break
            distance *= fill / FILL
            self.view.setCameraPosition(distance=distance)

    def fill_fraction(self) -> float:
        """How much of the view the cloud spans (its 2nd..98th percentiles, the larger of width and
        height fractions); NaN before the view exists."""
        sp = self.screen_positions()
        ok = np.isfinite(sp).all(axis=1)
        if self.view is None or ok.sum() < 2:
            return float("nan")
        lo, hi = np.percentile(sp[ok], 2, axis=0), np.percentile(sp[ok], 98, axis=0)
        w, h = max(self.view.width(), 1), max(self.view.height(), 1)
        return float(max((hi[0] - lo[0]) / w, (hi[1] - lo[1]) / h))

    def set_colors(self, colors: np.ndarray) -> None:
        self.colors = unpack(colors)
        if self.scatter is not None:
            self.scatter.setData(color=self.colors)

    def set_markers(self, selected: int, neighbors: np.ndarray, labels: list[str] | None = None,
                    matches: np.ndarray | None = None) -> None:
        """Mark the selected point and its neighbours and write their names, and the names of the
        first search `matches` (from `labels`, or the names given with the points)."""
        self.selected, self.neighbors = int(selected), np.asarray(neighbors, np.int64)
        self.matches = np.zeros(0, np.int64) if matches is None else np.asarray(matches, np.int64)
        if labels is not None:
            self._labels = labels
        self._update_marks()
        self._update_texts()

    def _update_texts(self) -> None:
        gl, labels = _gl_module(), self._labels
        if self.view is None or gl is None:
            return
        for item in getattr(self, "_texts", []):
            self.view.removeItem(item)
        self._texts = []
        if labels is None:
            return
        from PySide6.QtGui import QColor

        named = [(int(i), QColor("#1F5FA0")) for i in self.matches[:MAX_MATCH_TEXTS]]
        if self.selected >= 0:
            named += [(self.selected, QColor("#B00020"))] + [(int(i), QColor("#303030"))
                                                          for i in self.neighbors[:MAX_TEXTS - 1]]
        done = {}
        for i, color in named:
            done[i] = color                      # the selection's colour wins over a match's
        for i, color in done.items():
            if 0 <= i < len(self.pos):
                item = gl.GLTextItem(pos=self.pos[i], text=" " + _short(labels[i]), color=color)
                self.view.addItem(item)
                self._texts.append(item)

    def text_labels(self) -> list[str]:
        """The names written in the 3-D view now (selection, neighbours, matches)."""
        return [item.text.strip() for item in getattr(self, "_texts", [])]

    # hover ----------------------------------------------------------------------------------------
    def hover_at(self, x: float, y: float) -> None:
        """The mouse is at (x, y) in the view: pick the point there once the hover timer fires."""
        self._hover_xy = (x, y)
        if not self._hover_timer.isActive():
            self._hover_timer.start()

    def _pick_hovered(self) -> None:
        self._set_hovered(self.pick(*self._hover_xy))

    def _set_hovered(self, index: int) -> None:
        if index == self.hovered_index:
            return
        self.hovered_index = index
        gl = _gl_module()
        if self.view is not None and gl is not None:
            if self._hover_text is not None:
                self.view.removeItem(self._hover_text)
                self._hover_text = None
            if index >= 0 and self._labels is not None:
                from PySide6.QtGui import QColor

                self._hover_text = gl.GLTextItem(pos=self.pos[index], text=" " + self._labels[index],
                                                 color=QColor("#0050A0"))
                self.view.addItem(self._hover_text)
        self.hovered.emit(index)

    def hover_text(self) -> str:
        """The name written beside the hovered point ('' when none)."""
        return "" if self._hover_text is None else self._hover_text.text.strip()

    def drawn_count(self) -> int:
        """How many points the GL item holds (every point: no sampling; 0 until first shown)."""
        return 0 if self.scatter is None else int(len(self.scatter.pos))

    def _update_marks(self) -> None:
        if self.marks is None:
            return
        idx = list(self.neighbors) + ([self.selected] if self.selected >= 0 else [])
        if not idx:
            self.marks.setData(pos=np.zeros((0, 3), np.float32))
            return
        col = np.array([[1.0, 0.5, 0.05, 0.9]] * len(self.neighbors) + ([[0.84, 0.15, 0.16, 1.0]] if self.selected >= 0 else []),
                       np.float32)
        self.marks.setData(pos=self.pos[np.asarray(idx)], color=col, size=11)

    def screen_positions(self) -> np.ndarray:
        """(N, 2) pixel positions of the points in the view (NaN behind the camera); computed again
        only when the camera, the view's size or the points changed."""
        if self.view is None or len(self.pos) == 0:
            return np.zeros((0, 2))
        w, h = self.view.width(), self.view.height()
        viewport = (0, 0, w, h)          # pyqtgraph 0.14 wants both arguments; 0.13 defaulted them to these
        m = np.array(self.view.projectionMatrix(viewport, viewport).data(), np.float64).reshape(4, 4).T
        v = np.array(self.view.viewMatrix().data(), np.float64).reshape(4, 4).T
        key = (w, h, m.tobytes(), v.tobytes())
        if self._screen is not None and self._screen[0] == key:
            return self._screen[1]
        hom = np.c_[self.pos, np.ones(len(self.pos))] @ (m @ v).T
        with np.errstate(divide="ignore", invalid="ignore"):
            ndc = hom[:, :3] / hom[:, 3:4]
        ndc[hom[:, 3] <= 0] = np.nan
        sp = np.stack([(ndc[:, 0] + 1) / 2 * w, (1 - ndc[:, 1]) / 2 * h], axis=1)
        self._screen = (key, sp)
        return sp

    def pick(self, x: float, y: float) -> int:
        sp = self.screen_positions()
        if len(sp) == 0:
            return -1
        d2 = (sp[:, 0] - x) ** 2 + (sp[:, 1] - y) ** 2
        d2 = np.where(np.isfinite(d2), d2, np.inf)
        i = int(np.argmin(d2))
        return i if d2[i] <= PICK_RADIUS ** 2 else -1

    # region selection ---------------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        """"pan" (the left button orbits), "rect" or "lasso" (the left button draws a region)."""
        self.mode = mode if mode in MODES else "pan"
        if self.view is not None:
            self.view.setCursor(Qt.CursorShape.ArrowCursor if self.mode == "pan" else Qt.CursorShape.CrossCursor)

    def region_start(self, pos: QPointF) -> None:
        if self._overlay is None:
            self._overlay = _RegionOverlay(self.view)
        self._overlay.setGeometry(self.view.rect())
        self._overlay.mode, self._overlay.points = self.mode, [QPointF(pos)]
        self._overlay.show()
        self._overlay.raise_()
        self.drawing = True

    def region_move(self, pos: QPointF) -> None:
        pts = self._overlay.points
        if self.mode == "rect":
            self._overlay.points = [pts[0], QPointF(pos)]
        elif (pos - pts[-1]).manhattanLength() >= 2:
            pts.append(QPointF(pos))
        self._overlay.update()

    def region_end(self, pos: QPointF, emit: bool = True) -> np.ndarray:
        """Finish the region; emits `region_selected` (unless the drag was a click) and returns it."""
        self.region_move(pos)
        self.drawing = False
        self._overlay.hide()
        points = np.array([[p.x(), p.y()] for p in self._overlay.points], np.float64)
        indices = self.points_in_region(points)
        if emit:
            self.region_selected.emit(indices)
        return indices

    def points_in_region(self, points: np.ndarray) -> np.ndarray:
        """Indices of the points whose screen positions fall in the rectangle spanned by the first
        and last of `points` ("rect" mode) or in their polygon ("lasso"); none behind the camera."""
        sp = self.screen_positions()
        if len(sp) == 0 or len(points) < 2:
            return np.zeros(0, np.int64)
        if self.mode == "rect":
            (x0, y0), (x1, y1) = points[0], points[-1]
            return points_in_rect(sp, x0, x1, y0, y1)
        return points_in_polygon(sp, points)
