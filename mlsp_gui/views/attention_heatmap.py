"""Attention heatmap: one head (or the mean of a layer's heads) as a query × key matrix."""
from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QWidget

from engine.records.attention import AttentionMaps
from mlsp_gui.attention_source import reveal
from mlsp_gui.evented import one_of
from mlsp_gui.export import ExportTable, matrix_table
from mlsp_gui.views._attention_view import (
    AttentionView,
    chosen_head,
    fill_range,
    fill_stacks,
    generated_from,
    record_keys,
    selector,
)
from mlsp_gui.views.base import run_standalone, take
from mlsp_gui.widgets.heatmap import COLORMAPS, HeatmapWidget

MEAN = -1


class AttentionHeatmapView(AttentionView):
    """Layer / head / stack selectors, tokens on both axes, hover read-out, colour bar, zoom."""

    title = "Attention heatmap"
    order = 30
    group = "Attention"
    view_id = "attention_heatmap"

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.stack_combo, self.layer_combo, self.head_combo = selector("stack", True), selector("layer"), selector("head")
        self.cmap_combo = QComboBox()
        self.cmap_combo.addItems(list(COLORMAPS))
        self.cmap_combo.setToolTip("viridis and cividis are readable with colour-blindness")
        reset = QPushButton("Reset zoom")
        reset.setToolTip("Wheel zooms, drag pans; this shows every token again")
        for w in (self.stack_combo, self.layer_combo, self.head_combo):
            self.controls.addWidget(w)
        self.controls.addWidget(QLabel("colours"))
        self.controls.addWidget(self.cmap_combo)
        self.controls.addWidget(reset)
        self.heatmap = HeatmapWidget(self)
        self.body.addWidget(self.heatmap, 1)
        self.stack_combo.currentIndexChanged.connect(self._on_stack)
        self.layer_combo.currentIndexChanged.connect(self._redraw)
        self.head_combo.currentIndexChanged.connect(self._redraw)
        self.cmap_combo.currentTextChanged.connect(self.heatmap.set_colormap)
        reset.clicked.connect(self.heatmap.reset_zoom)
        self.options.open_head.connect(self._open_head)

    def draw(self, record: AttentionMaps) -> None:
        fill_stacks(self.stack_combo, record)
        self._on_stack()

    def _on_stack(self) -> None:
        if self.record is None:
            return
        st = self.record.stacks[self.stack_index()]
        fill_range(self.layer_combo, st.layers, "layer")
        fill_range(self.head_combo, st.heads, "head", extra="mean of heads")
        self._redraw()

    def selection(self) -> tuple[int, int, int]:
        """(stack, layer, head); head is -1 for the mean of the heads."""
        return self.stack_index(), max(self.layer_combo.currentIndex(), 0), int(self.head_combo.currentData() or 0)

    def select(self, stack: int, layer: int, head: int) -> None:
        """Show one stack / layer / head (head -1: the mean of the layer's heads)."""
        if self.record is None:
            return
        self.stack_combo.setCurrentIndex(stack)
        self._on_stack()
        self.layer_combo.setCurrentIndex(layer)
        self.head_combo.setCurrentIndex(self.head_combo.findData(head))

    # view state: {"stack", "layer", "head" (-1: mean of the heads), "colormap"} --------------------
    def current_state(self) -> dict:
        state = {"colormap": self.cmap_combo.currentText()}
        if self.record is not None:
            state.update(zip(("stack", "layer", "head"), self.selection()))
        return state

    def apply_state(self, state: dict) -> dict | None:
        cmap = take(state, "colormap", one_of(list(COLORMAPS)))
        if cmap is not None:
            self.cmap_combo.setCurrentText(cmap)
        wanted = record_keys(state, ("stack", "layer", "head"))
        if self.record is None:
            return wanted
        if wanted:
            self.select(*chosen_head(self.record, wanted, self.selection()))
        return None

    def matrix(self) -> np.ndarray:
        """The (T, S) matrix on show."""
        stack, layer, head = self.selection()
        w = self.record.stacks[stack].weights[layer]
        return w.mean(axis=0) if head == MEAN else w[head]

    def _redraw(self) -> None:
        if self.record is None or self.layer_combo.count() == 0 or self.head_combo.count() == 0:
            return
        st = self.record.stacks[self.stack_index()]
        self.heatmap.set_data(self.matrix(), st.tokens_q, st.tokens_k, levels=None)
        n = generated_from(self.record, st)
        self.heatmap.set_boundary(n, n)

    def _open_head(self, record, stack: int, layer: int, head: int) -> None:
        if record is not self.record:
            self.show_record(record)
        self.select(stack, layer, head)
        reveal(self)
        self.options.opened = True

    def picture(self) -> QWidget:
        return self.heatmap

    def export_table(self) -> ExportTable | None:
        if self.record is None:
            return None
        stack, layer, head = self.selection()
        st = self.record.stacks[stack]
        return matrix_table(self.matrix(), st.tokens_q, st.tokens_k, layer=np.int64(layer), head=np.int64(head),
                            kind=np.array(st.kind))


VIEW = AttentionHeatmapView

if __name__ == "__main__":
    import sys

    sys.exit(run_standalone(AttentionHeatmapView))
