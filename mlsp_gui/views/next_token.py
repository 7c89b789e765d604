"""Next token (Transformer Explainer's bars, on a model the user can train): the next-token
distribution of a causal LM as bars, redrawn as the temperature, top-k and top-p controls move —
the tokens the filters cut are grey; temperature 0 or top-p 0 is greedy, and the view says so.
Click a bar to append that token, or sample one (seeded), or take the most likely; every step is
kept in a history (Back undoes one) with the attention of the token it added, in every layer and
head. A followed training run's checkpoints redraw the bars.

Records: `engine.records.language_model.NextTokenStep` from `engine.probes.language_model`,
computed in a job; the filtering is `engine.decoding.next_token_distribution`'s."""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSlider,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from engine.records.language_model import NextTokenStep
from mlsp_gui.errors import error_html
from mlsp_gui.evented import as_str, float_in, int_in
from mlsp_gui.views._lm_source import LMSource
from mlsp_gui.views.base import View, run_standalone, take
from mlsp_gui.widgets.auto_hide_label import AutoHideLabel
from mlsp_gui.widgets.flow_layout import FlowLayout
from mlsp_gui.widgets.heatmap import HeatmapWidget
from mlsp_gui.widgets.token_axis import TokenAxis

N_BARS = 20
KEPT, CUT = "#0072B2", "#C8C8C8"


def _first(state, model, prompt: str) -> NextTokenStep:
    from engine.probes.language_model import next_token_step, prompt_ids

    state.progress(0.2, "tokenising the prompt")
    p = prompt_ids(model, prompt, 1)
    return next_token_step(model, p.ids, N_BARS, p.note)


def _step(state, model, ids: list[int]) -> NextTokenStep:
    from engine.probes.language_model import next_token_step

    state.progress(0.2, "next-token distribution")
    note = ""
    if len(ids) > model.max_tokens:
        note = f"The sequence is longer than the model's {model.max_tokens} positions: only its last tokens are read."
    return next_token_step(model, ids, N_BARS, note)


def distribution(raw: np.ndarray, temperature: float, top_k: int, top_p: float):
    """The engine's filtered distribution (NextTokenDistribution) of the raw probabilities."""
    import torch

    from engine.decoding import next_token_distribution

    return next_token_distribution(torch.log(torch.from_numpy(np.maximum(raw, 1e-30))), temperature, top_k, top_p)


def _slider(lo: int, hi: int, value: int) -> QSlider:
    s = QSlider(Qt.Orientation.Horizontal)
    s.setRange(lo, hi)
    s.setValue(value)
    s.setMinimumWidth(120)
    return s


class NextTokenView(View):
    title = "Next token"
    order = 61
    group = "Language models"
    view_id = "next_token"
    needs = "generate"
    needs_inputs = ("text",)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.owner = f"view:{self.view_id}:{id(self)}"
        self.record: NextTokenStep | None = None
        self.history: list[tuple[NextTokenStep, str]] = []      # (record before the step, what the step did)
        self.shown: list[int] = []                              # token ids of the bars
        self.dist = None
        self.source = LMSource(ctx, self.owner, "generate", "gpt-mini", self)
        self.source.ready.connect(lambda _m: self.start())
        self.source.refused.connect(self.show_error)
        self.prompt = QLineEdit("the queen")
        self.prompt.setPlaceholderText("a prompt to continue (empty: start a sentence)")
        self.prompt.returnPressed.connect(self.start)
        start = QPushButton("Start  ▶")
        start.clicked.connect(self.start)
        self.temp = _slider(0, 200, 100)
        self.topk = QSpinBox()
        self.topk.setRange(0, 200)
        self.topk.setSpecialValueText("top-k off")
        self.topk.setPrefix("top-k ")
        self.topp = _slider(0, 100, 100)
        self.settings_label = QLabel("")
        self.greedy_label = AutoHideLabel("")
        self.greedy_label.setStyleSheet("color: #8a5a00; font-weight: 600;")
        for w in (self.temp, self.topp):
            w.valueChanged.connect(self.redraw)
        self.topk.valueChanged.connect(self.redraw)
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        self.seed.setPrefix("seed ")
        sample = QPushButton("Sample")
        sample.clicked.connect(self.sample)
        best = QPushButton("Most likely")
        best.clicked.connect(self.greedy_step)
        back = QPushButton("Back")
        back.clicked.connect(self.back)
        self.model_label = QLabel("")
        self.message = AutoHideLabel("")
        self.message.setTextFormat(Qt.TextFormat.RichText)      # messages are escaped HTML
        self.message.setWordWrap(True)
        self.text_label = QLabel("")
        self.text_label.setWordWrap(True)
        self.text_label.setStyleSheet("font-size: 13pt; padding: 4px; background: white;")
        self.axis = TokenAxis("bottom", rotate=True)
        self.plot = pg.PlotWidget(axisItems={"bottom": self.axis}, background="w")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setLabel("left", "probability")
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.history_list = QListWidget()
        self.history_list.currentRowChanged.connect(self._show_history_attention)
        self.heads = HeatmapWidget(row_name="layer · head", col_name="token (key)", value_name="attention")
        self.heads_caption = QLabel("")
        row1 = QHBoxLayout()
        row1.addWidget(QLabel("Prompt:"))
        row1.addWidget(self.prompt, 1)
        row1.addWidget(start)
        controls = QWidget()
        row2 = FlowLayout(controls, spacing=6)             # wraps in a narrow window instead of clipping labels
        for w in (QLabel("temperature"), self.temp, self.topk, QLabel("top-p"), self.topp, self.settings_label,
                  self.seed, sample, best, back):
            row2.addWidget(w)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel("Steps (select one: the attention of the token it added)"))
        rl.addWidget(self.history_list, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.plot)
        split.addWidget(right)
        split.setSizes([800, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.model_label)
        layout.addLayout(row1)
        layout.addWidget(controls)
        layout.addWidget(self.greedy_label)
        layout.addWidget(self.message)
        layout.addWidget(self.text_label)
        layout.addWidget(split, 3)
        layout.addWidget(self.heads_caption)
        layout.addWidget(self.heads, 2)
        self._update_settings_label()

    # settings ------------------------------------------------------------------------------------
    def settings(self) -> tuple[float, int, float]:
        return self.temp.value() / 100.0, self.topk.value(), self.topp.value() / 100.0

    def _update_settings_label(self) -> None:
        t, k, p = self.settings()
        self.settings_label.setText(f"T = {t:.2f} · top-k {k or 'off'} · top-p {p:.2f}")
        self.greedy_label.setText("Greedy: temperature 0 or top-p 0 always picks the most likely token."
                                  if t == 0 or p == 0 else "")

    # running -------------------------------------------------------------------------------------
    def use_model(self, model) -> None:
        self.source.model = model
        self.start()

    def start(self) -> None:
        model = self.source.model
        if model is None:
            self.source.load()
            return
        self.history = []
        self.history_list.clear()
        self.message.setText("computing…")
        self.ctx.jobs.submit("Next token", _first, model, self.prompt.text(), owner=self.owner,
                             on_done=self.show_record, on_error=self.show_error)

    def append(self, token_id: int, how: str) -> None:
        """Add `token_id` to the sequence (a step of the history) and compute the next distribution."""
        if self.record is None or self.source.model is None:
            return
        t, k, p = self.settings()
        prob = float(self.dist.probs[token_id]) if self.dist is not None else float("nan")
        label = self.source.model.display_tokens([token_id])[0]
        self.history.append((self.record, f"{how}: “{label}”  p = {prob:.3f}  (T {t:.2f}, k {k or 'off'}, p {p:.2f})"))
        self.message.setText("computing…")
        self.ctx.jobs.submit("Next token", _step, self.source.model, list(self.record.ids) + [int(token_id)],
                             owner=self.owner, on_done=self.show_record, on_error=self.show_error)

    def sample(self) -> None:
        if self.dist is None:
            return
        rng = np.random.default_rng([self.seed.value(), len(self.history)])
        probs = self.dist.probs.astype(np.float64)
        self.append(int(rng.choice(len(probs), p=probs / probs.sum())), "sampled")

    def greedy_step(self) -> None:
        if self.record is not None:
            self.append(int(np.argmax(self.record.raw)), "most likely")

    def back(self) -> None:
        if not self.history:
            return
        record, _ = self.history.pop()
        self.history_list.takeItem(self.history_list.count() - 1)
        self._draw(record)

    def show_error(self, message: str) -> None:
        self.message.setText(error_html(message))

    # drawing --------------------------------------------------------------------------------------
    def show_record(self, record: NextTokenStep) -> None:
        if self.history and self.history_list.count() < len(self.history):
            self.history_list.addItem(self.history[-1][1])
            self.history_list.blockSignals(True)
            self.history_list.setCurrentRow(self.history_list.count() - 1)
            self.history_list.blockSignals(False)
        self._draw(record)
        self.apply_waiting_state()

    def _draw(self, record: NextTokenStep) -> None:
        self.record = record
        model = self.source.model
        self.model_label.setText(f"Model: <b>{html.escape(self.source.describe() or (model.name if model else ''))}</b>")
        self.text_label.setText("".join(html.escape(t) for t in record.tokens) or "(start of text)")
        self.message.setText(html.escape(record.note))
        self.shown = list(record.top_ids)
        self.redraw()
        self._draw_attention(record, "the last token")

    def redraw(self, *_args) -> None:
        """Bars of the shown tokens under the current settings: kept tokens blue (their probability
        after temperature and filtering), cut tokens grey (their probability before the cut)."""
        self._update_settings_label()
        r = self.record
        if r is None:
            return
        t, k, p = self.settings()
        self.dist = distribution(r.raw, t, k, p)
        if self.dist.greedy:
            scaled = self.dist.probs
        else:
            logits = np.log(np.maximum(r.raw.astype(np.float64), 1e-30)) / t
            scaled = np.exp(logits - logits.max())
            scaled /= scaled.sum()
        kept = self.dist.kept[self.shown]
        heights = np.where(kept, self.dist.probs[self.shown], scaled[self.shown])
        self.plot.clear()
        brushes = [pg.mkBrush(KEPT if keep else CUT) for keep in kept]
        self.plot.addItem(pg.BarGraphItem(x=np.arange(len(heights)), height=heights, width=0.7, brushes=brushes, pen=None))
        self.axis.set_tokens([repr(s)[1:-1] if s.strip() != s or not s else s for s in r.top_labels])
        self.plot.setXRange(-0.8, len(heights) - 0.2, padding=0)
        self.plot.setYRange(0, max(float(heights.max(initial=0)), 1e-6) * 1.1, padding=0)
        self.bar_heights, self.bar_kept = heights, kept

    def _clicked(self, event) -> None:
        if self.record is None or not self.shown:
            return
        x = self.plot.plotItem.vb.mapSceneToView(event.scenePos()).x()
        i = int(round(x))
        if 0 <= i < len(self.shown) and abs(x - i) <= 0.4:
            self.append(self.shown[i], "clicked")

    def _draw_attention(self, record: NextTokenStep, which: str) -> None:
        if record.attention is None:
            self.heads.set_data(np.zeros((0, 0), np.float32), [], [])
            self.heads_caption.setText("")
            return
        n = record.attention.shape[1]
        labels = list(record.tokens[-n:]) if len(record.tokens) >= n else [str(i) for i in range(n)]
        self.heads.set_data(record.attention, list(record.head_labels), labels,
                            levels=(0.0, float(record.attention.max()) or 1.0))
        self.heads_caption.setText(f"Attention of {which} (“{html.escape(labels[-1])}”) in every layer and head")

    def _show_history_attention(self, row: int) -> None:
        """Step `row` added a token: the record after it holds that token's attention."""
        if 0 <= row < len(self.history):
            after = self.history[row + 1][0] if row + 1 < len(self.history) else self.record
            if after is not None:
                self._draw_attention(after, f"the token step {row + 1} added")

    # hooks and state ------------------------------------------------------------------------------
    def on_model_changed(self, ref: str) -> None:
        self.source.model = None
        if self.isVisible():
            self.source.load()

    def on_checkpoint(self, run_dir: str, checkpoint: str) -> None:
        self.source.on_checkpoint(run_dir, checkpoint)

    def showEvent(self, event) -> None:              # noqa: N802 (Qt API)
        super().showEvent(event)
        if self.record is None and self.source.model is None:
            self.source.load()

    def current_state(self) -> dict:
        t, k, p = self.settings()
        return {"prompt": self.prompt.text(), "temperature": t, "top_k": k, "top_p": p, "seed": self.seed.value()}

    def apply_state(self, state: dict) -> dict | None:
        prompt = take(state, "prompt", as_str)
        t = take(state, "temperature", float_in(0.0, 2.0))
        k = take(state, "top_k", int_in(0, 200))
        p = take(state, "top_p", float_in(0.0, 1.0))
        seed = take(state, "seed", int_in(0, 1_000_000))
        if t is not None:
            self.temp.setValue(round(t * 100))
        if k is not None:
            self.topk.setValue(k)
        if p is not None:
            self.topp.setValue(round(p * 100))
        if seed is not None:
            self.seed.setValue(seed)
        if prompt is not None and prompt != self.prompt.text():
            self.prompt.setText(prompt)
            if self.source.model is not None:
                self.start()
        return None


VIEW = NextTokenView

if __name__ == "__main__":
    run_standalone(NextTokenView)
