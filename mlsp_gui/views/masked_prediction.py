"""Masked prediction (exBERT's masked view, on a model the user can train): type a sentence, write
[MASK] (several at once) or click any token to mask it, and see the masked-LM head's top-k
predictions as probability bars, with the first mask's attention in every layer and head. A model
without an MLM head (minilm) gets a sentence saying which models can, instead of failing; a
followed training run's checkpoints redraw the predictions, so they sharpen as the loss falls.

The record is an `engine.records.language_model.MaskedView` from
`engine.probes.masked_view.masked_view`, computed in a job."""
from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from engine.records.language_model import MaskedView
from mlsp_gui.errors import error_html
from mlsp_gui.evented import as_str, indices, int_in
from mlsp_gui.views._lm_source import LMSource
from mlsp_gui.views.base import View, run_standalone, take
from mlsp_gui.widgets.auto_hide_label import AutoHideLabel
from mlsp_gui.widgets.bar_chart import BarChart, percent
from mlsp_gui.widgets.flow_layout import FlowLayout
from mlsp_gui.widgets.heatmap import HeatmapWidget

EXAMPLE = "the king rules the kingdom and he lives in the [MASK]"
MAX_CHARTS = 4


def _probe(state, model, text: str, positions: list[int], top_k: int) -> MaskedView:
    from engine.probes.masked_view import masked_view

    state.progress(0.3, "predicting the masked tokens")
    return masked_view(model, text, positions, top_k)


class MaskedPredictionView(View):
    title = "Masked prediction"
    order = 60
    group = "Language models"
    view_id = "masked_prediction"
    needs = "fill-mask"
    needs_inputs = ("text",)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.owner = f"view:{self.view_id}:{id(self)}"
        self.record: MaskedView | None = None
        self.positions: list[int] = []            # tokens masked by a click (indices into the shown tokens)
        self.source = LMSource(ctx, self.owner, "fill-mask", "bert-mini", self)
        self.source.ready.connect(lambda _m: self.run())
        self.source.refused.connect(self.show_error)
        self.source.status.connect(lambda s: self.message.setText(html.escape(s)) if s else None)
        self.text_edit = QLineEdit(EXAMPLE)
        self.text_edit.setPlaceholderText("a sentence; write [MASK] where a word should be predicted")
        self.text_edit.returnPressed.connect(self._text_entered)
        self.top_spin = QSpinBox()
        self.top_spin.setRange(1, 30)
        self.top_spin.setValue(8)
        self.top_spin.setPrefix("top ")
        self.top_spin.valueChanged.connect(lambda _v: self.run())
        predict = QPushButton("Predict  ▶")
        predict.clicked.connect(self._text_entered)
        self.model_label = QLabel("")
        self.message = AutoHideLabel("")
        self.message.setTextFormat(Qt.TextFormat.RichText)      # messages are escaped HTML
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("Sentence:"))
        row.addWidget(self.text_edit, 1)
        row.addWidget(self.top_spin)
        row.addWidget(predict)
        tokens_box = QWidget()
        self.tokens_row = FlowLayout(tokens_box)          # wraps onto more lines instead of clipping words
        self.tokens_row.addWidget(QLabel("Click a token to mask it:"))
        self.token_buttons: list[QPushButton] = []
        self.charts_box = QGridLayout()
        self.charts: list[BarChart] = []
        charts = QWidget()
        charts.setMinimumHeight(170)                      # the bars stay readable in a 1280 x 720 window
        charts.setLayout(self.charts_box)
        self.charts_box.setContentsMargins(0, 0, 0, 0)
        self.heads = HeatmapWidget(row_name="layer · head", col_name="token (key)", value_name="attention")
        self.heads.setMinimumHeight(140)
        self.heads_caption = QLabel("")
        heads_box = QWidget()
        heads_line = QVBoxLayout(heads_box)
        heads_line.setContentsMargins(0, 0, 0, 0)
        heads_line.addWidget(self.heads_caption)
        heads_line.addWidget(self.heads, 1)
        self.split = QSplitter(Qt.Orientation.Vertical)   # drag to give the bars or the heads more room
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(charts)
        self.split.addWidget(heads_box)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.model_label)
        layout.addLayout(row)
        layout.addWidget(tokens_box)
        layout.addWidget(self.message)
        layout.addWidget(self.split, 1)

    # running -------------------------------------------------------------------------------------
    def _text_entered(self) -> None:
        self.positions = []
        self.run()

    def run(self) -> None:
        model = self.source.model
        if model is None:
            self.source.load()
            return
        text = self.text_edit.text()
        self.message.setText("predicting…")
        self.ctx.jobs.submit("Masked prediction", _probe, model, text, list(self.positions), self.top_spin.value(),
                             owner=self.owner, on_done=self.show_record, on_error=self.show_error)

    def use_model(self, model) -> None:
        """Show `model` (a loaded masked LM) without going through the session (tests, lessons)."""
        self.source.model = model
        self.run()

    def show_error(self, message: str) -> None:
        self.message.setText(error_html(message))

    def toggle_token(self, index: int) -> None:
        """Mask (or unmask) token `index` of the shown sentence and predict again."""
        if index in self.positions:
            self.positions.remove(index)
        else:
            self.positions.append(index)
        self.run()

    # drawing --------------------------------------------------------------------------------------
    def show_record(self, record: MaskedView) -> None:
        self.record = record
        fill = record.fill
        self.model_label.setText(f"Model: <b>{html.escape(self.source.describe() or fill.model)}</b>")
        self._draw_tokens(fill.tokens, fill.masked)
        for chart in self.charts:
            chart.setParent(None)
        self.charts = []
        for n, (pos, preds) in enumerate(list(zip(fill.masked, fill.predictions))[:MAX_CHARTS]):
            chart = BarChart(f"mask {n + 1} (token {pos}): top {len(preds)}", color="#0072B2")
            chart.set_bars(np.array([p.prob for p in preds]), [p.token for p in preds], highlight=0, fmt=percent)
            self.charts_box.addWidget(chart, 0, n)
            self.charts.append(chart)
        notes = [fill.note, record.note]
        if len(fill.masked) > MAX_CHARTS:
            notes.append(f"{len(fill.masked)} masks: the first {MAX_CHARTS} are drawn.")
        best = ", ".join(f"“{html.escape(p[0].token)}” {p[0].prob:.1%}" for p in fill.predictions if p)
        self.message.setText(html.escape(" ".join(n for n in notes if n)) or f"Most likely: {best}")
        if record.attention is not None:
            top = float(record.attention.max()) or 1.0
            self.heads.set_data(record.attention, list(record.head_labels), list(fill.tokens), levels=(0.0, top))
            self.heads.mark(col=fill.masked[0])
            self.heads_caption.setText(f"Attention of the first mask (token {fill.masked[0]}) in every layer and head")
        else:
            self.heads.set_data(np.zeros((0, 0), np.float32), [], [])
            self.heads_caption.setText("")
        self.apply_waiting_state()

    def _draw_tokens(self, tokens, masked) -> None:
        for b in self.token_buttons:
            b.setParent(None)
        self.token_buttons = []
        for i, tok in enumerate(tokens):
            button = QPushButton(tok)
            button.setCheckable(True)
            button.setChecked(i in masked)
            button.setFlat(i not in masked)
            button.setStyleSheet("QPushButton:checked { background: #D55E00; color: white; } QPushButton { padding: 2px 4px; }")
            button.clicked.connect(lambda _c=False, k=i: self.toggle_token(k))
            self.tokens_row.addWidget(button)
            self.token_buttons.append(button)

    # hooks and state ------------------------------------------------------------------------------
    def on_model_changed(self, ref: str) -> None:
        self.source.model = None
        self.positions = []
        if self.isVisible():
            self.source.load()

    def on_checkpoint(self, run_dir: str, checkpoint: str) -> None:
        self.source.on_checkpoint(run_dir, checkpoint)

    def showEvent(self, event) -> None:              # noqa: N802 (Qt API)
        super().showEvent(event)
        if self.record is None and self.source.model is None:
            self.source.load()

    def current_state(self) -> dict:
        return {"text": self.text_edit.text(), "top_k": self.top_spin.value(), "positions": list(self.positions)}

    def apply_state(self, state: dict) -> dict | None:
        text = take(state, "text", as_str)
        top = take(state, "top_k", int_in(1, 30))
        positions = take(state, "positions", indices)
        if text is not None:
            self.text_edit.setText(text)
        if top is not None:
            self.top_spin.blockSignals(True)
            self.top_spin.setValue(top)
            self.top_spin.blockSignals(False)
        if positions is not None:
            self.positions = [int(p) for p in positions]
        if self.source.model is not None and (text is not None or positions is not None or top is not None):
            self.run()
        return None


VIEW = MaskedPredictionView

if __name__ == "__main__":
    run_standalone(MaskedPredictionView)
