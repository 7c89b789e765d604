"""Pre-training vs scratch: test accuracy of a fine-tuned classifier against the number of labelled
sentences (20, 50, 200, 1000, all), starting from the pre-trained weights and from random ones,
several seeds each (points, with the mean joined and the spread as a band) — the gap is what
self-supervised pre-training buys. Tasks: the grammar's topic or tense labels, or a TSV file.

Record: `engine.records.finetune.FinetuneCurve` from `engine.tasks.finetune.label_curve` (a job)."""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from engine.records.finetune import FinetuneCurve
from mlsp_gui.errors import error_html
from mlsp_gui.evented import as_str, int_in
from mlsp_gui.views._lm_source import LMSource
from mlsp_gui.views.base import View, run_standalone, take
from mlsp_gui.widgets.empty_hint import EmptyHint

COLORS = {"pretrained": "#0072B2", "scratch": "#D55E00"}
COUNTS = (20, 50, 200, 1000, 0)


def _curve(state, model, task: str, counts, seeds: int, steps: int) -> FinetuneCurve:
    from engine.tasks.finetune import label_curve

    return label_curve(model, task, counts, tuple(range(seeds)), steps,
                       progress=lambda f, msg: state.progress(f, msg))


class FinetuneCurveView(View):
    title = "Pre-training vs scratch"
    order = 63
    group = "Language models"
    view_id = "finetune_curve"
    needs = "token-states"
    needs_inputs = ("text",)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.owner = f"view:{self.view_id}:{id(self)}"
        self.record: FinetuneCurve | None = None
        self.counts, self.steps = COUNTS, 150
        self.source = LMSource(ctx, self.owner, "token-states", "bert-mini", self)
        self.source.ready.connect(lambda _m: self.message.setText(f"Model: <b>{html.escape(self.source.describe())}</b>"
                                                                  " — press Run"))
        self.source.refused.connect(self.show_error)
        self.task = QComboBox()
        self.task.setEditable(True)
        self.task.addItems(["topic", "tense"])
        browse = QPushButton("TSV…")
        browse.clicked.connect(self._pick_tsv)
        self.seeds = QSpinBox()
        self.seeds.setRange(1, 10)
        self.seeds.setValue(3)
        self.seeds.setPrefix("seeds ")
        self.run_button = QPushButton("Run  ▶")
        self.run_button.clicked.connect(self.run)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        for w in (QLabel("Task:"), self.task, browse, self.seeds, self.run_button):
            row.addWidget(w)
        row.addStretch(1)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setLogMode(x=True, y=False)
        self.plot.setLabel("bottom", "labelled sentences (log scale)")
        self.plot.setLabel("left", "test accuracy")
        self.plot.addLegend(offset=(10, 10))
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setXRange(np.log10(12), np.log10(3000), padding=0)     # where the label counts will be
        self._label_ticks([n for n in COUNTS if n])
        self.plot.setYRange(0, 1.02, padding=0)
        self.hint = EmptyHint(self.plot, "Press Run: a classifier on the model's token states is fine-tuned with "
                                         "20, 50, 200, 1,000 and all the labelled sentences, once from the "
                                         "pre-trained weights and once from random ones, for each seed. The gap "
                                         "between the two curves is what pre-training buys.")
        self.hint.show_if(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.plot, 1)

    def _label_ticks(self, counts) -> None:
        """Ticks at the label counts only: pyqtgraph's own log-axis ticks write every minor one
        (2·10¹ 3·10¹ 4·10¹ …) on top of each other."""
        self.plot.getAxis("bottom").setTicks([[(float(np.log10(n)), f"{n:,}") for n in counts], []])

    def _pick_tsv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "text<TAB>label file", "", "TSV (*.tsv *.txt);;All files (*)")
        if path:
            self.task.setCurrentText(path)

    def run(self) -> None:
        model = self.source.model
        if model is None:
            self.source.load()
            return
        self.message.setText("fine-tuning… (every label count, pre-trained and scratch, each seed)")
        self.ctx.jobs.submit("Pre-training vs scratch", _curve, model, self.task.currentText().strip(), self.counts,
                             self.seeds.value(), self.steps, owner=self.owner, on_done=self.show_record,
                             on_error=self.show_error)

    def use_model(self, model) -> None:
        self.source.model = model

    def show_error(self, message: str) -> None:
        self.message.setText(error_html(message))

    def show_record(self, record: FinetuneCurve) -> None:
        self.record = record
        self.hint.show_if(False)
        self.plot.clear()
        self.curves = {}
        counts = record.label_counts()
        for init, color in COLORS.items():
            means, xs = [], []
            for n in counts:
                acc = record.accuracies(init, n)
                if not acc:
                    continue
                xs.append(np.log10(n))
                means.append(float(np.mean(acc)))
                lo, hi = min(acc), max(acc)
                self.plot.addItem(pg.ErrorBarItem(x=np.array([np.log10(n)]), y=np.array([means[-1]]),
                                                  top=np.array([hi - means[-1]]), bottom=np.array([means[-1] - lo]),
                                                  beam=0.05, pen=pg.mkPen(color)))
                self.plot.plot(np.full(len(acc), n), acc, pen=None, symbol="o", symbolSize=5,
                               symbolBrush=pg.mkBrush(color + "80"), symbolPen=None)
            self.curves[init] = (np.power(10, xs), np.array(means))
            self.plot.plot(np.power(10, xs), means, pen=pg.mkPen(color, width=2), symbol="s", symbolBrush=color,
                           name=f"{init} (mean of {len(record.accuracies(init, counts[0]))} seeds)")
        self.plot.setYRange(0, 1.02, padding=0)
        self._label_ticks(counts)
        gap = ""
        if 50 in counts:
            d = np.mean(record.accuracies("pretrained", 50)) - np.mean(record.accuracies("scratch", 50))
            gap = f" At 50 labels pre-training adds <b>{100 * d:+.1f} points</b>."
        self.message.setText(f"<b>{html.escape(record.model)}</b> on <b>{html.escape(record.task)}</b>: test accuracy "
                             f"against labelled sentences (points: seeds; bars: their spread).{gap}")

    def on_model_changed(self, ref: str) -> None:
        self.source.model = None
        if self.isVisible():
            self.source.load()

    def on_checkpoint(self, run_dir: str, checkpoint: str) -> None:
        self.source.on_checkpoint(run_dir, checkpoint)

    def showEvent(self, event) -> None:              # noqa: N802 (Qt API)
        super().showEvent(event)
        if self.source.model is None:
            self.source.load()

    def current_state(self) -> dict:
        return {"task": self.task.currentText(), "seeds": self.seeds.value()}

    def apply_state(self, state: dict) -> dict | None:
        task = take(state, "task", as_str)
        seeds = take(state, "seeds", int_in(1, 10))
        if task:
            self.task.setCurrentText(task)
        if seeds is not None:
            self.seeds.setValue(seeds)
        return None


VIEW = FinetuneCurveView

if __name__ == "__main__":
    run_standalone(FinetuneCurveView)
