"""Head view (BertViz-style): query tokens left, key tokens right, one coloured line per head.

Click a head to toggle it, double-click to show it alone; hover a token to see only its lines;
filter sentence pairs (A→A, A→B, B→A, B→B) and stacks (encoder, decoder, cross). Only lines
above the threshold with an end on a visible row are drawn, so 512 tokens × 12 heads stay fluid.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSlider, QToolButton, QWidget

from engine.records.attention import AttentionMaps
from mlsp_gui.evented import float_in, one_of
from mlsp_gui.export import ExportTable
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
from mlsp_gui.widgets.head_lines import HOVER_FLOOR, QUERY, HeadLinesWidget
from mlsp_gui.widgets.head_picker import HeadPicker, head_colors

PAIRS = [("all pairs", None), ("A → A", (0, 0)), ("A → B", (0, 1)), ("B → A", (1, 0)), ("B → B", (1, 1))]
PAIR_KEYS = ["all", "AA", "AB", "BA", "BB"]          # the pair filter in view_state()
THRESHOLD_STEPS = 200          # the slider runs over 0 .. 0.5 in steps of 0.0025
FOCUSED = 3                    # heads the "most focused" button shows
SPECIAL = {"[CLS]", "[SEP]", "[PAD]", "<s>", "</s>", "<pad>", "<|endoftext|>"}


def _special(token: str) -> bool:
    return token.strip() in SPECIAL


class HeadView(AttentionView):
    title = "Head view"
    order = 31
    group = "Attention"
    view_id = "head_view"
    start_heads: int | None = 1          # heads shown when a record with a new head count arrives (None: all)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.stack_combo, self.layer_combo, self.pair_combo = selector("stack", True), selector("layer"), QComboBox()
        for text, _ in PAIRS:
            self.pair_combo.addItem(text)
        self.pair_combo.setToolTip("Sentence pairs: which segment the queries and the keys come from")
        self.threshold_slider = QSlider(Qt.Orientation.Horizontal)
        self.threshold_slider.setRange(0, THRESHOLD_STEPS)
        self.threshold_slider.setValue(40)          # 0.1: the strong lines; lower it to see the rest
        self.threshold_slider.setFixedWidth(160)
        self.threshold_slider.setToolTip("Lines lighter than this weight are not drawn")
        self.threshold_label = QLabel()
        for w in (self.stack_combo, self.layer_combo, self.pair_combo, QLabel("threshold"),
                  self.threshold_slider, self.threshold_label):
            self.controls.addWidget(w)
        self.picker = HeadPicker()
        self.lines = HeadLinesWidget()
        self.info = QLabel(" ")
        self.info.setStyleSheet("color: #444;")
        self.info.setWordWrap(True)                    # a long line wraps instead of widening the view
        self.all_heads_button = QToolButton()
        self.all_heads_button.setText("all heads")
        self.all_heads_button.setToolTip("Show every head at once (many lines)")
        self.all_heads_button.clicked.connect(lambda: self.picker.set_heads(set(range(len(self.picker.buttons)))))
        self.focused_button = QToolButton()
        self.focused_button.setText(f"{FOCUSED} most focused")
        self.focused_button.setToolTip("The heads whose queries look at the fewest tokens (special tokens left out)")
        self.focused_button.clicked.connect(lambda: self.picker.set_heads(set(self.focused_heads(FOCUSED))))
        heads_row = QHBoxLayout()
        heads_row.addWidget(self.picker)
        heads_row.addWidget(self.focused_button)
        heads_row.addWidget(self.all_heads_button)
        heads_row.addStretch(1)
        self.body.addLayout(heads_row)
        self.body.addWidget(self.lines, 1)
        self.body.addWidget(self.info)
        self.stack_combo.currentIndexChanged.connect(self._on_stack)
        self.layer_combo.currentIndexChanged.connect(self._redraw)
        self.pair_combo.currentIndexChanged.connect(self._apply_pair)
        self.threshold_slider.valueChanged.connect(self._apply_threshold)
        self.picker.heads_changed.connect(self._heads_changed)
        self.lines.canvas.hovered_token.connect(lambda *_: self._update_info())
        self._apply_threshold()

    # selection -----------------------------------------------------------------------
    def threshold(self) -> float:
        return self.threshold_slider.value() * 0.5 / THRESHOLD_STEPS

    def set_threshold(self, value: float) -> None:
        self.threshold_slider.setValue(int(round(value / 0.5 * THRESHOLD_STEPS)))

    def layer(self) -> int:
        return max(self.layer_combo.currentIndex(), 0)

    # view state: {"stack", "layer", "heads": [...], "threshold", "pairs": all|AA|AB|BA|BB} -----------
    def current_state(self) -> dict:
        state = {"threshold": round(self.threshold(), 6), "pairs": PAIR_KEYS[max(self.pair_combo.currentIndex(), 0)]}
        if self.record is not None:
            state.update(stack=self.stack_index(), layer=self.layer(), heads=sorted(self.picker.heads()))
        return state

    def apply_state(self, state: dict) -> dict | None:
        threshold = take(state, "threshold", float_in(0.0, 0.5))
        if threshold is not None:
            self.set_threshold(threshold)
        pairs = take(state, "pairs", one_of(PAIR_KEYS))
        if pairs is not None:
            self.pair_combo.setCurrentIndex(PAIR_KEYS.index(pairs))
        wanted = record_keys(state, ("stack", "layer", "heads"))
        if self.record is None:
            return wanted
        stack, layer, _ = chosen_head(self.record, wanted, (self.stack_index(), self.layer(), 0), mean=False)
        if stack != self.stack_index():
            self.stack_combo.setCurrentIndex(stack)           # refills layers and heads (all shown)
        self.layer_combo.setCurrentIndex(layer)
        if "heads" in wanted:
            self.picker.set_heads(set(wanted["heads"]))       # heads the stack lacks are left out
        return None

    def draw(self, record: AttentionMaps) -> None:
        fill_stacks(self.stack_combo, record)
        self._on_stack()

    def _on_stack(self) -> None:
        if self.record is None:
            return
        st = self.record.stacks[self.stack_index()]
        fill_range(self.layer_combo, st.layers, "layer")
        fresh = len(self.picker.buttons) != st.heads
        self.picker.set_count(st.heads)
        if fresh and self.start_heads:  # the most focused head to start with (twelve at once is a tangle)
            self.picker.set_heads(set(self.focused_heads(self.start_heads)))
        self._redraw()

    def focused_heads(self, k: int) -> list[int]:
        """The `k` heads of the current layer whose rows have the lowest entropy, once the columns of
        special tokens ([CLS], [SEP], <s>, ...) are left out: the heads that pick a few words."""
        if self.record is None:
            return []
        st = self.record.stacks[self.stack_index()]
        w = np.asarray(st.weights[self.layer()], np.float64)            # (H, T, S)
        keep = np.array([not _special(t) for t in st.tokens_k], bool)
        if keep.sum() >= 2:
            w = w[:, :, keep]
        w = w / np.maximum(w.sum(-1, keepdims=True), 1e-12)
        entropy = -(w * np.log(np.maximum(w, 1e-12))).sum(-1).mean(-1)   # (H,)
        return [int(h) for h in np.argsort(entropy, kind="stable")[:k]]

    def _redraw(self) -> None:
        if self.record is None:
            return
        st = self.record.stacks[self.stack_index()]
        self.lines.canvas.generated_from = generated_from(self.record, st)
        self.lines.set_data(st.weights[self.layer()], st.tokens_q, st.tokens_k, head_colors(st.heads))
        self.lines.canvas.set_heads(self.picker.heads())
        self._apply_pair()

    def pair_mask(self) -> np.ndarray | None:
        """(T, S) bool for the chosen pair filter, or None (no filter / no segments for this stack)."""
        rec = self.record
        choice = PAIRS[max(self.pair_combo.currentIndex(), 0)][1]
        usable = (rec is not None and rec.segments_q is not None and rec.segments_k is not None
                  and len(rec.segments_q) == len(rec.stacks[self.stack_index()].tokens_q)
                  and len(rec.segments_k) == len(rec.stacks[self.stack_index()].tokens_k))
        self.pair_combo.setEnabled(bool(usable))
        if not usable or choice is None:
            return None
        return (np.asarray(rec.segments_q)[:, None] == choice[0]) & (np.asarray(rec.segments_k)[None, :] == choice[1])

    def _apply_pair(self) -> None:
        self.lines.canvas.set_pair_mask(self.pair_mask())
        self._update_info()

    def _apply_threshold(self) -> None:
        self.threshold_label.setText(f"{self.threshold():.4f}")
        self.lines.canvas.set_threshold(self.threshold())
        self._update_info()

    def _heads_changed(self, heads: set[int]) -> None:
        self.lines.canvas.set_heads(heads)
        self._update_info()

    def _update_info(self) -> None:
        canvas = self.lines.canvas
        side, index = canvas._hover
        lines = canvas.visible_lines()
        n = sum(len(v[0]) for v in lines.values())
        if index >= 0:
            which = "query" if side == QUERY else "key"
            self.info.setText(f"{which} {index}: {n} lines of {len(lines)} head(s) above {HOVER_FLOOR}")
        else:
            self.info.setText(f"{n} lines above {self.threshold():.4f} touch the visible tokens · "
                              "hover a token to see only its lines; click a head to hide it, double-click to solo")

    # export -------------------------------------------------------------------------
    def picture(self) -> QWidget:
        return self.lines.canvas

    def export_table(self) -> ExportTable | None:
        if self.record is None:
            return None
        st = self.record.stacks[self.stack_index()]
        layer, heads, thr = self.layer(), sorted(self.picker.heads()), self.threshold()
        w = st.weights[layer]
        mask = self.pair_mask()
        rows = []
        for h in heads:
            keep = w[h] >= thr if mask is None else (w[h] >= thr) & mask
            for i, j in zip(*np.nonzero(keep)):
                rows.append([layer, h, int(i), st.tokens_q[i], int(j), st.tokens_k[j], float(w[h, i, j])])
        arrays = {"weights": w, "tokens_q": np.array(st.tokens_q, dtype=str), "tokens_k": np.array(st.tokens_k, dtype=str),
                  "layer": np.int64(layer), "heads": np.array(heads, np.int64), "threshold": np.float64(thr),
                  "kind": np.array(st.kind)}
        return ExportTable(arrays=arrays, header=["layer", "head", "query_index", "query", "key_index", "key", "weight"],
                           rows=rows)


VIEW = HeadView

if __name__ == "__main__":
    import sys

    sys.exit(run_standalone(HeadView))
