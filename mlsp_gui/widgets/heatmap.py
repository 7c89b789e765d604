"""A reusable heatmap: tokens on both axes, hover read-out, row/column highlight, colour bar.

One pyqtgraph ImageItem in a PlotItem (wheel zooms, drag pans, the "A" button resets), a
ColorBarItem legend, colour maps chosen among colour-blind-safe ones. Row r / column c of
the matrix sit at view coordinates y = r, x = c (rows downwards).
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QLabel, QSizePolicy, QVBoxLayout, QWidget

from mlsp_gui.widgets.empty_hint import EmptyHint
from mlsp_gui.widgets.token_axis import TokenAxis

# Sequential maps (perceptually uniform; viridis and cividis are colour-blind safe), then a diverging one.
COLORMAPS = {"viridis": "viridis", "cividis": "cividis", "magma": "magma", "grey": "CET-L1"}
DIVERGING = "CET-CBD1"          # colour-blind-safe blue–white–yellow, for signed values


def colormap(name: str) -> pg.ColorMap:
    return pg.colormap.get(COLORMAPS.get(name, name))


def format_value(value: float) -> str:
    """Numbers as the read-outs show them: 4 significant digits, no exponent for usual sizes."""
    if not np.isfinite(value):
        return "masked" if value == -np.inf else str(value)
    return f"{value:.4g}" if abs(value) >= 1e-3 or value == 0 else f"{value:.3e}"


class HeatmapWidget(QWidget):
    """Draws a (rows, cols) matrix with labelled axes; hover shows `row → col: value`."""

    hovered = Signal(int, int, float)       # row, col, value; (-1, -1, nan) when the pointer leaves
    cell_clicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None, *, row_name: str = "query",
                 col_name: str = "key", value_name: str = "weight", signed: bool = False,
                 rotate_cols: bool = True) -> None:
        super().__init__(parent)
        self.row_name, self.col_name, self.value_name = row_name, col_name, value_name
        self.signed = signed
        self._data = np.zeros((0, 0), np.float32)
        self._rows: list[str] = []
        self._cols: list[str] = []
        self._hover = (-1, -1)
        self.view = pg.GraphicsLayoutWidget()
        self.view.setBackground("w")
        self.left_axis = TokenAxis("left")
        self.bottom_axis = TokenAxis("bottom", rotate=rotate_cols)
        for axis in (self.left_axis, self.bottom_axis):
            axis.setPen(pg.mkPen("#404040"))
            axis.setTextPen(pg.mkPen("#202020"))
        self.plot = self.view.addPlot(row=0, col=0, axisItems={"left": self.left_axis, "bottom": self.bottom_axis})
        self.plot.invertY(True)
        self.plot.setLabel("left", row_name, color="#303030")
        self.plot.setLabel("bottom", col_name, color="#303030")
        self.plot.setMenuEnabled(False)
        self.plot.vb.setDefaultPadding(0.0)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.bar = pg.ColorBarItem(values=(0, 1), colorMap=colormap(DIVERGING if signed else "viridis"),
                                   width=14, interactive=False, colorMapMenu=False)
        self.bar.setImageItem(self.image)
        self.bar.axis.setLabel(value_name, color="#303030")
        self.bar.axis.enableAutoSIPrefix(False)
        self._mark = self._band()
        self._mark.setPen(QPen(QColor("#d55e00"), 0))
        self._mark.setBrush(QBrush(Qt.BrushStyle.NoBrush))
        self.bar.axis.setPen(pg.mkPen("#404040"))
        self.bar.axis.setTextPen(pg.mkPen("#202020"))
        self.view.addItem(self.bar, row=0, col=1)
        self._row_band = self._band()
        self._col_band = self._band()
        dash = pg.mkPen("#ffffff", width=2, style=Qt.PenStyle.DashLine)
        self._hline, self._vline = pg.InfiniteLine(angle=0, pen=dash), pg.InfiniteLine(angle=90, pen=dash)
        for line in (self._hline, self._vline):
            line.setZValue(11)
            line.setVisible(False)
            self.plot.addItem(line)
        self.readout = QLabel(" ")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # a long read-out must never resize the plot under the pointer
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.readout)
        self.empty_label = EmptyHint(self.view.viewport())      # what to do while there is nothing to draw
        # Every move counts (the scene's sigMouseMoved drops fast ones, which can leave a stale read-out).
        self.view.viewport().installEventFilter(self)
        self.view.scene().sigMouseClicked.connect(self._on_click)

    def set_empty_text(self, text: str) -> None:
        """A hint shown over the plot while it has no data (e.g. "press Embed")."""
        self.empty_label.setText(text)
        self.empty_label.show_if(self._data.size == 0)

    def _band(self) -> QGraphicsRectItem:
        band = QGraphicsRectItem()
        band.setPen(QPen(QColor(255, 255, 255, 230), 0))
        band.setBrush(QBrush(QColor(255, 255, 255, 45)))
        band.setZValue(10)
        band.setVisible(False)
        self.plot.addItem(band)
        return band

    # data -----------------------------------------------------------------
    def set_data(self, matrix: np.ndarray, rows: list[str], cols: list[str],
                 levels: tuple[float, float] | None = None) -> None:
        """Show `matrix` (len(rows), len(cols)); levels default to [0, max] or symmetric for signed data."""
        data = np.asarray(matrix, np.float32)
        if data.ndim != 2 or data.shape != (len(rows), len(cols)):
            raise ValueError(f"matrix {data.shape} does not match {len(rows)} row and {len(cols)} column labels")
        keep_view = data.shape == self._data.shape and data.size > 0
        self._data, self._rows, self._cols = data, list(rows), list(cols)
        self.empty_label.show_if(data.size == 0)
        self.left_axis.set_tokens(self._rows)
        self.bottom_axis.set_tokens(self._cols)
        shown = np.where(np.isfinite(data), data, np.nan)
        self.image.setImage(np.nan_to_num(shown, nan=0.0, posinf=0.0, neginf=0.0), autoLevels=False)
        self.image.setRect(QRectF(-0.5, -0.5, max(len(cols), 1), max(len(rows), 1)))
        self.bar.setLevels(values=levels or self._auto_levels(shown))
        self.plot.vb.setLimits(xMin=-0.5, xMax=len(cols) - 0.5, yMin=-0.5, yMax=len(rows) - 0.5)
        if not keep_view:
            self.reset_zoom()
        self._set_hover(-1, -1)

    def _auto_levels(self, data: np.ndarray) -> tuple[float, float]:
        finite = data[np.isfinite(data)]
        if finite.size == 0:
            return (0.0, 1.0)
        if self.signed:
            m = float(np.max(np.abs(finite))) or 1.0
            return (-m, m)
        lo, hi = min(0.0, float(finite.min())), float(finite.max())
        return (lo, hi if hi > lo else lo + 1.0)

    def set_boundary(self, row: int | None, col: int | None) -> None:
        """Dashed lines before row `row` and column `col` (e.g. where generated tokens start); None: none."""
        for line, pos in ((self._hline, row), (self._vline, col)):
            line.setVisible(pos is not None)
            if pos is not None:
                line.setValue(pos - 0.5)

    def mark(self, row: int = -1, col: int = -1) -> None:
        """Outline one row (col -1), one column (row -1) or one cell; both -1 removes the mark."""
        rows, cols = self._data.shape
        if row < 0 and col < 0:
            self._mark.setVisible(False)
            return
        x, w = (col - 0.5, 1) if col >= 0 else (-0.5, cols)
        y, h = (row - 0.5, 1) if row >= 0 else (-0.5, rows)
        self._mark.setRect(QRectF(x, y, w, h))
        self._mark.setVisible(True)

    def mark_columns(self, first: int, count: int) -> None:
        """Outline the column block [first, first + count)."""
        rows = self._data.shape[0]
        self._mark.setRect(QRectF(first - 0.5, -0.5, count, rows))
        self._mark.setVisible(True)

    def reset_zoom(self) -> None:
        rows, cols = self._data.shape
        self.plot.vb.setRange(xRange=(-0.5, max(cols, 1) - 0.5), yRange=(-0.5, max(rows, 1) - 0.5), padding=0)

    def set_colormap(self, name: str) -> None:
        self.bar.setColorMap(colormap(name))

    def data(self) -> np.ndarray:
        return self._data

    def labels(self) -> tuple[list[str], list[str]]:
        return list(self._rows), list(self._cols)

    def levels(self) -> tuple[float, float]:
        return tuple(float(v) for v in self.bar.levels())

    # hover / click --------------------------------------------------------
    def cell_at(self, scene_pos: QPointF) -> tuple[int, int]:
        """(row, col) under a scene position, or (-1, -1) outside the matrix."""
        if not self.plot.vb.sceneBoundingRect().contains(scene_pos):
            return (-1, -1)
        p = self.plot.vb.mapSceneToView(scene_pos)
        row, col = int(np.floor(p.y() + 0.5)), int(np.floor(p.x() + 0.5))
        rows, cols = self._data.shape
        return (row, col) if 0 <= row < rows and 0 <= col < cols else (-1, -1)

    def cell_center(self, row: int, col: int) -> QPoint:
        """Where cell (row, col) is drawn, in the coordinates of `self.view` (for tests, benchmarks)."""
        scene = self.plot.vb.mapViewToScene(QPointF(col, row))
        return self.view.mapFromScene(scene)

    def eventFilter(self, obj, event) -> bool:          # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.MouseMove:
            self._set_hover(*self.cell_at(self.view.mapToScene(event.position().toPoint())))
        elif event.type() == QEvent.Type.Leave:
            self._set_hover(-1, -1)
        return False

    def _on_click(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or event.double():
            return
        row, col = self.cell_at(event.scenePos())
        if row >= 0:
            self.cell_clicked.emit(row, col)

    def _set_hover(self, row: int, col: int) -> None:
        if (row, col) == self._hover:
            return
        self._hover = (row, col)
        if row < 0:
            self._row_band.setVisible(False)
            self._col_band.setVisible(False)
            self.readout.setText(" ")
            self.hovered.emit(-1, -1, float("nan"))
            return
        rows, cols = self._data.shape
        self._row_band.setRect(QRectF(-0.5, row - 0.5, cols, 1))
        self._col_band.setRect(QRectF(col - 0.5, -0.5, 1, rows))
        self._row_band.setVisible(True)
        self._col_band.setVisible(True)
        value = float(self._data[row, col])
        self.readout.setText(self.describe(row, col))
        self.hovered.emit(row, col, value)

    def describe(self, row: int, col: int) -> str:
        """The read-out text of one cell."""
        value = float(self._data[row, col])
        return (f"{self.row_name} {row} “{self._rows[row]}” → {self.col_name} {col} “{self._cols[col]}”: "
                f"{self.value_name} {format_value(value)}")
