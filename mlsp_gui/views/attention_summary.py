"""Rollout and summaries: attention rollout across layers (Abnar & Zuidema), and per head the
entropy, the mean distance attended, the mean offset and the share on [CLS]/[SEP], as
layers × heads grids, so "previous token" or "[SEP]" heads stand out; click a head to open it.
When the model is a training run, "Entropy over checkpoints" plots each layer's mean head entropy
at every checkpoint (issue 10: heads specialising as the loss falls; see _heads_over_run.py)."""
from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from engine.probes.attention_summary import notable_heads, summarize
from engine.records.attention import AttentionMaps
from engine.records.attention_summary import AttentionSummary
from mlsp_gui.evented import int_in
from mlsp_gui.export import ExportTable
from mlsp_gui.views._attention_view import AttentionView, fill_stacks, record_keys, selector
from mlsp_gui.views._heads_over_run import HeadsOverRun
from mlsp_gui.views.base import run_standalone, take
from mlsp_gui.widgets.entropy_over_checkpoints import EntropyOverCheckpoints
from mlsp_gui.widgets.heatmap import HeatmapWidget

GRIDS = {  # attribute: (title, value name, signed)
    "entropy": ("Entropy per head (nats; low = focused)", "entropy", False),
    "distance": ("Mean distance attended (tokens)", "distance", False),
    "offset": ("Mean offset (key − query; −1 = previous token)", "offset", True),
    "special_share": ("Weight on [CLS]/[SEP]-like tokens", "share", False),
}


class AttentionSummaryView(AttentionView):
    title = "Rollout and head summaries"
    order = 34
    group = "Attention"
    view_id = "attention_summary"

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.summary: AttentionSummary | None = None
        self.stack_combo = selector("stack", True)
        self.controls.addWidget(self.stack_combo)
        self.rollout_map = HeatmapWidget(value_name="rollout")
        self.grids: dict[str, HeatmapWidget] = {}
        self.grid_titles: dict[str, QLabel] = {}
        grid = self.grid = QGridLayout()
        self.rollout_title = QLabel()
        self.rollout_title.setWordWrap(True)
        grid.addWidget(self.rollout_title, 0, 0)
        grid.addWidget(self.rollout_map, 1, 0, 4, 1)
        for n, (attr, (title, value_name, signed)) in enumerate(GRIDS.items()):
            hm = HeatmapWidget(row_name="layer", col_name="head", value_name=value_name, signed=signed,
                               rotate_cols=False)
            hm.setMinimumSize(190, 150)
            hm.cell_clicked.connect(lambda layer, head: self.open_head(layer, head))
            label = QLabel(title)
            label.setWordWrap(True)
            r, c = 2 * (n // 2), 1 + n % 2
            grid.addWidget(label, r, c)
            grid.addWidget(hm, r + 1, c, 2 if n >= 2 else 1, 1)      # the lower grids reach down beside the plot
            self.grids[attr], self.grid_titles[attr] = hm, label
        self.over_checkpoints = EntropyOverCheckpoints()
        grid.addWidget(self.over_checkpoints, 4, 0)       # under the rollout: the grids keep their height
        self.heads_over_run = HeadsOverRun(self, self.over_checkpoints)
        self.heads_over_run.model_changed()
        self._fit_over_checkpoints()
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 2)
        self.canvas = QWidget()
        self.canvas.setLayout(grid)
        self.notable = QLabel(" ")
        self.notable.setWordWrap(True)
        self.body.addWidget(self.canvas, 1)
        self.body.addWidget(self.notable)
        self.stack_combo.currentIndexChanged.connect(self._redraw)

    def on_model_changed(self, ref: str) -> None:
        self.heads_over_run.model_changed()
        self._fit_over_checkpoints()
        super().on_model_changed(ref)

    def _fit_over_checkpoints(self) -> None:
        """The rollout reaches the bottom, or stops above the plot while it is shown (the left column
        has room to spare, so the view still fits a 1280×720 window)."""
        shown = not self.over_checkpoints.isHidden()
        self.grid.removeWidget(self.rollout_map)
        self.grid.addWidget(self.rollout_map, 1, 0, 3 if shown else 4, 1)

    # view state: {"stack"} -----------------------------------------------------------------------
    def current_state(self) -> dict:
        return {"stack": self.stack_index()} if self.record is not None else {}

    def apply_state(self, state: dict) -> dict | None:
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
        if self.record is None:
            return
        s = self.summary = summarize(self.record, self.stack_index())
        rows = [f"L{l}" for l in range(s.layers)]
        cols = [str(h) for h in range(s.heads)]
        if s.rollout is not None:
            self.rollout_map.set_data(s.rollout, s.tokens_q, s.tokens_k)
            self.rollout_title.setText(f"Attention rollout through all {s.layers} layers: the mean of the heads, "
                                       f"mixed {s.residual:g}·I for the residual path, rows renormalised, multiplied")
        self.rollout_map.setVisible(s.rollout is not None)
        if s.rollout is None:
            self.rollout_title.setText("Rollout, distances and offsets need self-attention (cross-attention "
                                       "mixes two sequences).")
        for attr, hm in self.grids.items():
            values = getattr(s, attr)
            hm.setVisible(values is not None)
            self.grid_titles[attr].setVisible(values is not None)
            if values is not None:
                levels = (0.0, s.max_entropy) if attr == "entropy" else (0.0, 1.0) if attr == "special_share" else None
                hm.set_data(values, rows, cols, levels=levels)
        self.heads_over_run.update(s, self.stack_index())
        self._fit_over_checkpoints()
        found = notable_heads(s)
        parts = [f"{role}: " + ", ".join(f"L{l}·h{h}" for l, h in heads) for role, heads in found.items() if heads]
        self.notable.setText(("Heads at a glance — " + "; ".join(parts) if parts else "No head stands out as "
                              "previous-token, next-token, [SEP]-like or focused.") + "  Click a cell to open that head.")

    def open_head(self, layer: int, head: int) -> None:
        """Open one head in the heatmap view."""
        self.open_in_heatmap(layer, head, self.notable.setText)

    def picture(self) -> QWidget:
        return self.canvas

    def export_table(self) -> ExportTable | None:
        s = self.summary
        if s is None:
            return None
        arrays = {"entropy": s.entropy, "special_share": s.special_share, "max_entropy": np.float64(s.max_entropy),
                  "tokens_q": np.array(s.tokens_q, dtype=str), "tokens_k": np.array(s.tokens_k, dtype=str),
                  "kind": np.array(s.kind), "residual": np.float64(s.residual)}
        for name in ("rollout", "distance", "offset"):
            if getattr(s, name) is not None:
                arrays[name] = getattr(s, name)
        nan = float("nan")
        rows = [[l, h, float(s.entropy[l, h]), float(s.distance[l, h]) if s.distance is not None else nan,
                 float(s.offset[l, h]) if s.offset is not None else nan, float(s.special_share[l, h])]
                for l in range(s.layers) for h in range(s.heads)]
        return ExportTable(arrays=arrays, header=["layer", "head", "entropy", "distance", "offset", "special_share"],
                           rows=rows)


VIEW = AttentionSummaryView

if __name__ == "__main__":
    import sys

    sys.exit(run_standalone(AttentionSummaryView))
