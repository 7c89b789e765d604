"""Self-attention, step by step, with the model's own numbers (the lecture's "Thinking Machines"):
x → q, k, v through this head's W^Q, W^K, W^V → q·k for every key → ÷ √d_k → softmax →
weighted sum of the values → all heads concatenated → W^O → the block's output.

Every number drawn comes from the record's AttentionStep; the check lines recompute each stage
from the one before it (engine.probes.attention_summary.check_step) and show the largest |Δ|.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QGridLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engine.probes.attention_summary import check_step
from engine.records.attention import AttentionMaps, AttentionStep
from mlsp_gui.evented import int_in, one_of
from mlsp_gui.export import ExportTable
from mlsp_gui.views._attention_view import AttentionView, fill_range, record_keys, selector
from mlsp_gui.views.base import run_standalone, take
from mlsp_gui.widgets.bar_chart import BarChart
from mlsp_gui.widgets.flow_layout import FlowLayout
from mlsp_gui.widgets.heatmap import HeatmapWidget, format_value
from mlsp_gui.widgets.token_strip import TokenStrip

TABLE_COLUMNS = ["key", "q · k", "÷ √d_k", "softmax"]
STAGES = ("x", "w", "qkv", "score", "softmax", "sum", "heads")     # the parts of the walk-through, in order
STAGE_NAMES = {"x": "① x", "w": "② W^Q W^K W^V", "qkv": "③ q k v", "score": "④ q·k ÷√d_k softmax",
               "softmax": "table", "sum": "⑤ Σ softmax·v", "heads": "⑥ heads · W^O"}
SPECIAL = {"[CLS]", "[SEP]", "[PAD]", "<s>", "</s>", "<pad>", "<|endoftext|>", "[MASK]"}
FUNCTION_WORDS = {"the", "a", "an", "of", "to", "in", "on", "at", "is", "was", "are", "were", "and", "or", "it",
                  "its", "be", "by", "for", "with", "as", "that", "this"}


def first_content_token(tokens: list[str]) -> int:
    """The first token that is a word of content (not [CLS], punctuation or 'the'); 0 when none is."""
    for i, token in enumerate(tokens):
        t = token.strip().lstrip("Ġ▁").lower()
        if token.strip() in SPECIAL or t.startswith("##") or not any(ch.isalnum() for ch in t) or t in FUNCTION_WORDS:
            continue
        return i
    return 0


def robust_levels(values: np.ndarray) -> tuple[float, float]:
    """A signed colour scale at ±the 98th percentile of |values|: a few large weights (W^O has some)
    no longer turn every other cell the same grey."""
    finite = np.abs(np.asarray(values, np.float64))
    finite = finite[np.isfinite(finite)]
    m = float(np.percentile(finite, 98)) if finite.size else 1.0
    return (-m, m) if m > 0 else (-1.0, 1.0)


def _dims(n: int, prefix: str = "") -> list[str]:
    return [f"{prefix}{i}" for i in range(n)]


def _matrix(row_name: str, col_name: str, height: int = 240) -> HeatmapWidget:
    hm = HeatmapWidget(row_name=row_name, col_name=col_name, value_name="value", signed=True)
    hm.setMinimumHeight(height)
    return hm


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold; margin-top: 10px;")
    label.setWordWrap(True)
    return label


def _usual(step: AttentionStep) -> bool:
    """Whether the step scales q·k by the usual 1/√d_k."""
    return step.scale is None or abs(step.scale * np.sqrt(step.head_dim) - 1.0) < 1e-6


def check_text(delta: float) -> str:
    return f"max |Δ| = {delta:.2e}" if np.isfinite(delta) else "not recorded"


class AttentionStepsView(AttentionView):
    title = "Self-attention, step by step"
    order = 33
    group = "Attention"
    view_id = "attention_steps"

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.layer_combo, self.head_combo = selector("layer"), selector("head")
        self._stage: str | None = None                 # a part to scroll to once the page is laid out
        self.controls.addWidget(self.layer_combo)
        self.controls.addWidget(self.head_combo)
        self.controls.addWidget(QLabel("query token: click one below"))
        pipeline_box = QWidget()                       # the lecture's pipeline: where the page is, one click away;
        self.pipeline = FlowLayout(pipeline_box, spacing=2)   # wraps in a narrow window (names were cut off)
        self.stage_buttons: dict[str, QToolButton] = {}
        for name in STAGES:
            button = QToolButton()
            button.setText(STAGE_NAMES[name])
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setToolTip(f"Scroll to {STAGE_NAMES[name]}")
            button.clicked.connect(lambda _=False, n=name: self.show_stage(n))
            self.pipeline.addWidget(button)
            if name != STAGES[-1]:
                self.pipeline.addWidget(QLabel("→"))
            self.stage_buttons[name] = button
        self.body.addWidget(pipeline_box)
        self.tokens = TokenStrip()
        strip = QScrollArea()                          # long inputs: the chips scroll, the page stays put
        strip.setWidgetResizable(True)
        strip.setWidget(self.tokens)
        strip.setFrameShape(QScrollArea.Shape.NoFrame)
        self.tokens.height_needed.connect(lambda h: strip.setFixedHeight(min(84, h + 2)))
        self.body.addWidget(strip)
        self.missing = QLabel("")
        self.missing.setWordWrap(True)
        self.body.addWidget(self.missing)
        self._build_page()
        self.layer_combo.currentIndexChanged.connect(self._step_changed)
        self.head_combo.currentIndexChanged.connect(self._step_changed)
        self.tokens.token_selected.connect(lambda _i: self._draw_query())

    def _build_page(self) -> None:
        page = QWidget()
        col = QVBoxLayout(page)
        self.x_map = _matrix("token", "dim")
        self.wq_map, self.wk_map, self.wv_map = (_matrix("dim", "head dim") for _ in range(3))
        self.q_map, self.k_map, self.v_map = (_matrix("token", "head dim", 200) for _ in range(3))
        self.score_bars, self.scaled_bars = BarChart("q · k"), BarChart("÷ √d_k")
        self.softmax_bars = BarChart("softmax", color="#009E73")
        self.out_bars = BarChart("z = Σ softmax · v", color="#CC79A7")
        self.concat_map = _matrix("token", "concat dim")
        self.wo_map, self.block_map = _matrix("concat dim", "dim"), _matrix("token", "dim")
        self.table = QTableWidget(0, len(TABLE_COLUMNS))
        self.table.setHorizontalHeaderLabels(TABLE_COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(180)
        self.titles = {k: _title("") for k in STAGES}
        self.sum_check, self.out_check, self.all_checks = QLabel(), QLabel(), QLabel()
        for label in (self.sum_check, self.out_check, self.all_checks):
            label.setWordWrap(True)
        self.out_check.setStyleSheet("font-weight: bold;")
        grid_w, grid_qkv, grid_score, grid_heads = QGridLayout(), QGridLayout(), QGridLayout(), QGridLayout()
        for c, w in enumerate((self.wq_map, self.wk_map, self.wv_map)):
            grid_w.addWidget(w, 0, c)
        for c, w in enumerate((self.q_map, self.k_map, self.v_map)):
            grid_qkv.addWidget(w, 0, c)
        for c, w in enumerate((self.score_bars, self.scaled_bars, self.softmax_bars)):
            w.setMinimumHeight(230)
            grid_score.addWidget(w, 0, c)
        for c, w in enumerate((self.concat_map, self.wo_map, self.block_map)):
            grid_heads.addWidget(w, 0, c)
        self.out_bars.setMinimumHeight(200)
        for item in (self.titles["x"], self.x_map, self.titles["w"], grid_w, self.titles["qkv"], grid_qkv,
                     self.titles["score"], grid_score, self.titles["softmax"], self.table, self.titles["sum"],
                     self.out_bars, self.sum_check, self.titles["heads"], grid_heads, self.out_check, self.all_checks):
            col.addLayout(item) if isinstance(item, QGridLayout) else col.addWidget(item)
        self.page = page
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(page)
        self.body.addWidget(self.scroll, 1)
        self.scroll.verticalScrollBar().valueChanged.connect(lambda _v: self._mark_stage())

    def _mark_stage(self) -> None:
        current = self.stage()
        for name, button in self.stage_buttons.items():
            button.setChecked(name == current)

    # probing -----------------------------------------------------------------------------
    def step_request(self) -> tuple[int, int]:
        return max(self.layer_combo.currentIndex(), 0), max(self.head_combo.currentIndex(), 0)

    # view state: {"layer", "head", "query" (token index), "stage" (the part scrolled to)} -----------
    def current_state(self) -> dict:
        if self.record is None or self.record.step is None:
            return {}
        layer, head = self.step_request()
        return {"layer": layer, "head": head, "query": self.query(), "stage": self.stage()}

    def apply_state(self, state: dict) -> dict | None:
        wanted = record_keys(state, ("layer", "head", "query"))
        if take(state, "stage", one_of(STAGES)) is not None:
            wanted["stage"] = state["stage"]
        if self.record is None:
            return wanted
        if self.record.step is None:
            return None                                   # this model has no step-by-step numbers
        st = self.record.primary
        layer = take(wanted, "layer", int_in(0, st.layers - 1))
        head = take(wanted, "head", int_in(0, st.heads - 1))
        for combo, value in ((self.layer_combo, layer), (self.head_combo, head)):
            if value is not None:
                combo.blockSignals(True)
                combo.setCurrentIndex(value)
                combo.blockSignals(False)
        self._step_changed()                              # another layer or head: probed again
        query = take(wanted, "query", int_in(0, len(st.tokens_q) - 1))
        if query is not None:
            self.tokens.select(query)
        stage = take(wanted, "stage", one_of(STAGES))
        if stage is not None:
            self.show_stage(stage)
        return None

    def _laid_out(self) -> bool:
        return self.isVisible() and self.titles[STAGES[-1]].y() > 0

    def stage(self) -> str:
        """The part of the walk-through at the top of the scrolled page (x, w, qkv, score, ...)."""
        if self._stage is not None or not self._laid_out():
            return self._stage or STAGES[0]
        top = self.scroll.verticalScrollBar().value()
        pinned = getattr(self, "_pinned", None)
        if pinned is not None and pinned[1] == top:      # a stage chosen near the page's end, which
            return pinned[0]                             # cannot scroll to the top of the view
        shown = [name for name in STAGES if self.titles[name].y() <= top + 4]
        return shown[-1] if shown else STAGES[0]

    def show_stage(self, stage: str) -> None:
        """Scroll the page so that this part of the walk-through is at the top (once it is on screen)."""
        self._stage = stage
        if self._laid_out():
            self._scroll_to_stage()

    def _scroll_to_stage(self) -> None:
        if self._stage is not None and self._laid_out():
            bar = self.scroll.verticalScrollBar()
            bar.setValue(self.titles[self._stage].y())
            self._pinned = (self._stage, bar.value())
            self._stage = None
        self._mark_stage()

    def showEvent(self, event) -> None:              # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._stage is not None:
            QTimer.singleShot(0, self._scroll_to_stage)       # after the page's first layout

    def _step_changed(self) -> None:
        step = self.record.step if self.record is not None else None
        if step is None or (step.layer, step.head) != self.step_request():
            self.request_probe()                       # the probe records one layer/head at a time

    # drawing -----------------------------------------------------------------------------
    def draw(self, record: AttentionMaps) -> None:
        st = record.primary
        for combo, n, label in ((self.layer_combo, st.layers, "layer"), (self.head_combo, st.heads, "head")):
            fill_range(combo, n, label)
        step = record.step
        if step is not None:
            for combo, value in ((self.layer_combo, step.layer), (self.head_combo, step.head)):
                combo.blockSignals(True)
                combo.setCurrentIndex(value)
                combo.blockSignals(False)
        self.missing.setVisible(step is None)
        self.scroll.setVisible(step is not None)
        if step is None:
            self.missing.setText("This record has no step-by-step numbers (the probe records them for one layer "
                                 "and head of models on the project's blocks). " + record.note)
            return
        keep = self.tokens.selected if 0 <= self.tokens.selected < step.q.shape[0] else first_content_token(st.tokens_q)
        self.tokens.set_tokens(st.tokens_q, selected=keep)
        self._draw_matrices(step, st.tokens_q, st.tokens_k)
        self._draw_query()

    def _draw_matrices(self, step: AttentionStep, tq: list[str], tk: list[str]) -> None:
        d, dh, heads = step.x.shape[1], step.head_dim, step.concat.shape[1] // step.head_dim
        own_kv = step.x_kv is None or (step.x_kv.shape == step.x.shape and np.array_equal(step.x_kv, step.x))
        x_kv_note = "" if own_kv else " (keys and values come from another input, x_kv)"
        self.titles["x"].setText(f"① x: the input of layer {step.layer}'s attention block, one row per token "
                                 f"({step.x.shape[0]} × {d}){x_kv_note}")
        self.titles["w"].setText(f"② Head {step.head}'s slices of W^Q, W^K, W^V ({d} × {dh} each)")
        self.titles["qkv"].setText("③ q = x W^Q + b^Q, k = x W^K + b^K, v = x W^V + b^V (one row per token)")
        self.x_map.set_data(step.x, tq, _dims(d), levels=robust_levels(step.x))
        for hm, w, name in ((self.wq_map, step.w_q, "W^Q"), (self.wk_map, step.w_k, "W^K"), (self.wv_map, step.w_v, "W^V")):
            hm.value_name = name
            hm.set_data(w, _dims(d), _dims(dh), levels=robust_levels(w))
        self.q_map.set_data(step.q, tq, _dims(dh), levels=robust_levels(step.q))
        self.k_map.set_data(step.k, tk, _dims(dh), levels=robust_levels(step.k))
        self.v_map.set_data(step.v, tk, _dims(dh), levels=robust_levels(step.v))
        self.titles["heads"].setText(f"⑥ All {heads} heads side by side (concat, {step.concat.shape[0]} × {heads * dh}; "
                                     f"head {step.head} outlined) · W^O ({heads * dh} × {step.w_o.shape[1]}) + b^O "
                                     "= the block's output")
        self.concat_map.set_data(step.concat, tq, _dims(heads * dh), levels=robust_levels(step.concat))
        self.concat_map.mark_columns(step.head * dh, dh)
        self.wo_map.set_data(step.w_o, _dims(heads * dh), _dims(step.w_o.shape[1]), levels=robust_levels(step.w_o))
        self.block_map.set_data(step.out, tq, _dims(step.out.shape[1]), levels=robust_levels(step.out))
        checks = check_step(step)
        self.out_check.setText("recomputed output matches the model's output: concat · W^O + b^O vs the recorded "
                               f"output, {check_text(checks.out)}")
        self.all_checks.setText("Every stage recomputed from the one before it: " + ", ".join(
            f"{name} {check_text(getattr(checks, name))}"
            for name in ("q", "k", "v", "scaled", "weights", "head_out", "concat", "out")))
        self._checks = checks

    def query(self) -> int:
        return max(self.tokens.selected, 0)

    def _draw_query(self) -> None:
        step = self.record.step if self.record is not None else None
        if step is None:
            return
        i, st = self.query(), self.record.primary
        tk, tok = st.tokens_k, st.tokens_q[i]
        scale = step.scale if step.scale is not None else 1.0 / np.sqrt(step.head_dim)
        allowed = np.asarray(step.mask[i], bool)
        for hm in (self.x_map, self.q_map, self.block_map):
            hm.mark(row=i)
        self.tokens.set_shading(step.weights[i] / max(float(step.weights[i].max()), 1e-9)
                                if len(st.tokens_q) == len(tk) else None)
        scaled = np.where(allowed, step.scaled[i], -np.inf)
        self.titles["score"].setText(f"④ Score of query {i} “{tok}” against every key: q·k, then ÷ √d_k "
                                     f"(d_k = {step.head_dim}, √d_k = {np.sqrt(step.head_dim):.4g}"
                                     f"{'' if _usual(step) else f', the model scales by {scale:.4g}'}), "
                                     "then softmax")
        self.score_bars.set_bars(np.where(allowed, step.scores[i], -np.inf), tk, highlight=i if len(tk) > i else -1)
        self.scaled_bars.set_bars(scaled, tk)
        self.softmax_bars.set_bars(step.weights[i], tk)
        self.titles["softmax"].setText("The same numbers, key by key (masked keys are not attended)")
        self._fill_table(step, i, tk, allowed)
        self.titles["sum"].setText(f"⑤ Head output z = Σ_j softmax_j · v_j for “{tok}” ({step.head_dim} numbers)")
        self.out_bars.set_bars(step.head_out[i], _dims(step.head_dim))
        recomputed = np.asarray(step.weights[i], np.float64) @ np.asarray(step.v, np.float64)
        self.sum_check.setText(f"Σ_j softmax_j · v_j recomputed vs the model's head output: "
                               f"{check_text(float(np.max(np.abs(recomputed - step.head_out[i]))))}")

    def _fill_table(self, step: AttentionStep, i: int, tk: list[str], allowed: np.ndarray) -> None:
        self.table.setRowCount(len(tk))
        for j, key in enumerate(tk):
            values = [f"{j} “{key}”", format_value(float(step.scores[i, j])),
                      format_value(float(step.scaled[i, j])) if allowed[j] else "masked",
                      format_value(float(step.weights[i, j]))]
            for c, text in enumerate(values):
                self.table.setItem(j, c, QTableWidgetItem(text))

    def picture(self) -> QWidget:
        return self.page

    def export_table(self) -> ExportTable | None:
        step = self.record.step if self.record is not None else None
        if step is None:
            return None
        i, st = self.query(), self.record.primary
        names = ("x", "w_q", "w_k", "w_v", "b_q", "b_k", "b_v", "q", "k", "v", "scores", "scaled", "mask",
                 "weights", "head_out", "concat", "w_o", "b_o", "out")
        arrays = {n: np.asarray(getattr(step, n)) for n in names}
        arrays.update(layer=np.int64(step.layer), head=np.int64(step.head), query=np.int64(i),
                      tokens_q=np.array(st.tokens_q, dtype=str), tokens_k=np.array(st.tokens_k, dtype=str))
        rows = [[j, key, float(step.scores[i, j]), float(step.scaled[i, j]), float(step.weights[i, j])]
                for j, key in enumerate(st.tokens_k)]
        return ExportTable(arrays=arrays, header=["key_index", "key", "score", "scaled", "softmax"], rows=rows)


VIEW = AttentionStepsView

if __name__ == "__main__":
    import sys

    sys.exit(run_standalone(AttentionStepsView))
