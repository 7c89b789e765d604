"""Model view: every layer × head of a stack as a grid of small heatmaps; click one to open it
in the heatmap view. One ImageItem per cell, all in one ViewBox (no widget per cell)."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QComboBox, QGraphicsRectItem, QLabel, QWidget

from engine.records.attention import AttentionMaps
from mlsp_gui.evented import int_in, one_of
from mlsp_gui.export import ExportTable
from mlsp_gui.views._attention_view import AttentionView, fill_stacks, record_keys, selector
from mlsp_gui.views.base import run_standalone, take
from mlsp_gui.widgets.heatmap import COLORMAPS, colormap

GAP = 0.12                     # space between cells, in cell widths


def _cell_rows(st, layer_range):
    for layer in layer_range:
        for head in range(st.heads):
            for i, tok in enumerate(st.tokens_q):
                yield [layer, head, i, tok, *[float(x) for x in st.weights[layer, head, i]]]


class ModelView(AttentionView):
    title = "Model view"
    order = 32
    group = "Attention"
    view_id = "model_view"

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.stack_combo, self.cmap_combo = selector("stack", True), QComboBox()
        self.cmap_combo.addItems(list(COLORMAPS))
        self.controls.addWidget(self.stack_combo)
        self.controls.addWidget(QLabel("colours"))
        self.controls.addWidget(self.cmap_combo)
        self.plot_widget = pg.GraphicsLayoutWidget()
        self.plot_widget.setBackground("w")
        self.plot = self.plot_widget.addPlot(row=0, col=0)
        self.plot.invertY(True)
        self.plot.setMenuEnabled(False)
        self.plot.setAspectLocked(True)
        self.plot.showAxis("top")
        self.plot.hideAxis("bottom")
        for name in ("left", "top"):
            self.plot.getAxis(name).setPen(pg.mkPen("#404040"))
            self.plot.getAxis(name).setTextPen(pg.mkPen("#202020"))
        self.highlight = QGraphicsRectItem()
        self.highlight.setPen(QPen(QColor("#d55e00"), 0))
        self.highlight.setZValue(10)
        self.highlight.setVisible(False)
        self.plot.addItem(self.highlight)
        self.images: list[list[pg.ImageItem]] = []
        self.readout = QLabel("Each cell is one head (rows: queries, columns: keys, scaled to its own maximum). "
                              "Click a cell to open it in the heatmap.")
        self.readout.setWordWrap(True)                 # a long line wraps instead of widening the view
        self.body.addWidget(self.plot_widget, 1)
        self.body.addWidget(self.readout)
        self.stack_combo.currentIndexChanged.connect(self._redraw)
        self.cmap_combo.currentTextChanged.connect(lambda _n: self._redraw())
        self.plot_widget.scene().sigMouseMoved.connect(self._on_move)
        self.plot_widget.scene().sigMouseClicked.connect(self._on_click)
        self._hover = (-1, -1)

    # view state: {"stack", "colormap"} ---------------------------------------------------------
    def current_state(self) -> dict:
        state = {"colormap": self.cmap_combo.currentText()}
        if self.record is not None:
            state["stack"] = self.stack_index()
        return state

    def apply_state(self, state: dict) -> dict | None:
        cmap = take(state, "colormap", one_of(list(COLORMAPS)))
        if cmap is not None:
            self.cmap_combo.setCurrentText(cmap)
        if self.record is None:
            return record_keys(state, ("stack",))
        stack = take(state, "stack", int_in(0, len(self.record.stacks) - 1))
        if stack is not None:
            self.stack_combo.setCurrentIndex(stack)
        return None

    def draw(self, record: AttentionMaps) -> None:
        fill_stacks(self.stack_combo, record)
        self._redraw()

    def _redraw(self) -> None:
        for row in self.images:
            for item in row:
                self.plot.removeItem(item)
        self.images = []
        if self.record is None:
            return
        st = self.record.stacks[self.stack_index()]
        lut = colormap(self.cmap_combo.currentText()).getLookupTable(nPts=256)
        for layer in range(st.layers):
            row = []
            for head in range(st.heads):
                w = st.weights[layer, head]
                item = pg.ImageItem(axisOrder="row-major", autoDownsample=True)
                item.setImage(w, levels=(0.0, max(float(w.max()), 1e-6)), lut=lut)
                item.setRect(QRectF(head * (1 + GAP), layer * (1 + GAP), 1.0, 1.0))
                self.plot.addItem(item)
                row.append(item)
            self.images.append(row)
        step = 1 + GAP
        self.plot.getAxis("left").setTicks([[(l * step + 0.5, f"layer {l}") for l in range(st.layers)]])
        self.plot.getAxis("top").setTicks([[(h * step + 0.5, f"h{h}") for h in range(st.heads)]])
        self.plot.vb.setRange(xRange=(-GAP, st.heads * step), yRange=(-GAP, st.layers * step), padding=0.01)
        self._hover = (-1, -1)
        self.highlight.setVisible(False)

    def cell_at(self, scene_pos: QPointF) -> tuple[int, int]:
        """(layer, head) under a scene position, or (-1, -1) between or outside the cells."""
        if self.record is None or not self.plot.vb.sceneBoundingRect().contains(scene_pos):
            return (-1, -1)
        st = self.record.stacks[self.stack_index()]
        p = self.plot.vb.mapSceneToView(scene_pos)
        col, row = p.x() / (1 + GAP), p.y() / (1 + GAP)
        head, layer = int(np.floor(col)), int(np.floor(row))
        inside = col - head <= 1 / (1 + GAP) and row - layer <= 1 / (1 + GAP)
        return (layer, head) if inside and 0 <= layer < st.layers and 0 <= head < st.heads else (-1, -1)

    def cell_center(self, layer: int, head: int):
        """Where cell (layer, head) is drawn, in `self.plot_widget` coordinates."""
        scene = self.plot.vb.mapViewToScene(QPointF(head * (1 + GAP) + 0.5, layer * (1 + GAP) + 0.5))
        return self.plot_widget.mapFromScene(scene)

    def _on_move(self, scene_pos: QPointF) -> None:
        layer, head = self.cell_at(scene_pos)
        if (layer, head) == self._hover:
            return
        self._hover = (layer, head)
        self.highlight.setVisible(layer >= 0)
        if layer >= 0:
            self.highlight.setRect(QRectF(head * (1 + GAP) - 0.03, layer * (1 + GAP) - 0.03, 1.06, 1.06))
            self.readout.setText(f"layer {layer}, head {head} — click to open it in the heatmap")

    def _on_click(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        layer, head = self.cell_at(event.scenePos())
        if layer >= 0:
            self.open_cell(layer, head)

    def open_cell(self, layer: int, head: int) -> None:
        """Open one head in the heatmap view (which selects it and comes to the front)."""
        self.open_in_heatmap(layer, head, self.readout.setText)

    def picture(self) -> QWidget:
        return self.plot_widget

    def export_table(self) -> ExportTable | None:
        if self.record is None:
            return None
        st = self.record.stacks[self.stack_index()]
        arrays = {"weights": st.weights, "tokens_q": np.array(st.tokens_q, dtype=str),
                  "tokens_k": np.array(st.tokens_k, dtype=str), "kind": np.array(st.kind)}
        return ExportTable(arrays=arrays, header=["layer", "head", "query_index", "query", *st.tokens_k],
                           rows=_cell_rows(st, range(st.layers)))


VIEW = ModelView

if __name__ == "__main__":
    import sys

    sys.exit(run_standalone(ModelView))
