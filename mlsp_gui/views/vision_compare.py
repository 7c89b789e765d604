"""Compare: how well each way of pre-training the same small ViT makes the digits linearly
readable. A linear probe (logistic regression on frozen class-token features) is fitted with 1, 5,
10, 50 and 100 labels per class, three draws each, for random init, RotNet, SimCLR, DeepCluster, MAE
and supervised training (whichever have weights); the table gives mean ± spread, the plot accuracy
against labels with the spread as error bars. The Fine-tune side trains the whole ViT plus a new linear
head from each model's weights on 1, 10 and 100 labels per class (a couple of minutes in all); the
switch shows either table. `mlsp compare [--finetune]` prints the same tables."""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.records.comparison import FINE_TUNE, LINEAR_PROBE, Comparison
from mlsp_gui.evented import one_of
from mlsp_gui.export import ExportTable
from mlsp_gui.job_slots import JobSlots
from mlsp_gui.views.base import View, run_standalone, take
from mlsp_gui.widgets.export_bar import ExportBar

COLOURS = [(120, 120, 120), (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189)]


def _compare(state, device: str):
    from engine.cli.commands.compare import compare_models
    from engine.probes.compare import compare

    state.progress(0.05, "loading the models")
    return compare(compare_models(device), "builtin:digits", progress=lambda f, what: state.progress(0.1 + 0.9 * f, what))


def _finetune(state, device: str):
    from engine.cli.commands.compare import compare_models
    from engine.probes.vision_finetune import finetune_compare

    def progress(fraction: float, what: str) -> None:
        state.check()                                   # Cancel stops between two fine-tunes
        state.progress(0.05 + 0.95 * fraction, what)

    state.progress(0.02, "loading the models")
    return finetune_compare(compare_models(device), "builtin:digits", progress=progress)


RUNS = {LINEAR_PROBE: ("Run the linear probes", _compare, "probing …",
                       "Linear probes on the held-out digits for every vision model with weights here; press Run "
                       "(a few seconds per model)."),
        FINE_TUNE: ("Run the fine-tunes", _finetune, "fine-tuning … (about two minutes)",
                    "Fine-tune every vision model here (the whole ViT plus a linear head) on 1, 10 and 100 labelled "
                    "digits per class, 3 seeds each, and score it on the held-out digits; press Run (about two "
                    "minutes on two cores).")}


class VisionCompareView(View):
    title = "Compare pre-training"
    order = 29
    group = "Vision"
    view_id = "vision_compare"
    needs = None
    needs_inputs = ("image",)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.slots = JobSlots(ctx.jobs, f"vision_compare:{id(self)}")
        self.record: Comparison | None = None               # the table shown
        self.records: dict[str, Comparison] = {}           # the newest of each method
        self.method = LINEAR_PROBE
        self.run_button = QPushButton(RUNS[LINEAR_PROBE][0])
        self.switch = QButtonGroup(self)
        top = QHBoxLayout()
        for method, text in ((LINEAR_PROBE, "Linear probe"), (FINE_TUNE, "Fine-tune")):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setChecked(method == LINEAR_PROBE)
            button.setProperty("method", method)
            self.switch.addButton(button)
            top.addWidget(button)
        self.switch.buttonClicked.connect(lambda b: self.set_method(b.property("method")))
        self.export_bar = ExportBar(lambda: self.plot_widget, self.export_table, ctx.notify, basename="vision_compare")
        top.addSpacing(12)
        top.addWidget(self.run_button)
        top.addStretch(1)
        top.addWidget(self.export_bar)
        self.table = QTableWidget()
        self.plot_widget = pg.PlotWidget(background="w")
        self.plot_widget.setLabel("bottom", "labels per class (log)")
        self.plot_widget.setLabel("left", "test accuracy (%)")
        self.plot_widget.setLogMode(x=True, y=False)
        self.plot_widget.addLegend(offset=(-10, -10), brush=(255, 255, 255, 220), pen=(200, 200, 200))
        self.status = QLabel(RUNS[LINEAR_PROBE][3])
        self.status.setWordWrap(True)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addWidget(self.plot_widget, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        self.run_button.clicked.connect(self.run)

    def set_method(self, method: str) -> None:
        """Show the linear-probe or the fine-tune table (the newest of that method, if any)."""
        self.method = method
        for button in self.switch.buttons():
            button.setChecked(button.property("method") == method)
        self.run_button.setText(RUNS[method][0])
        self.run_button.setEnabled(not self.slots.running(method))
        if method in self.records:
            self._draw(self.records[method])
        else:
            self.record = None
            self.table.clear()
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self.plot_widget.clear()
            self.status.setText(RUNS[method][2] if self.slots.running(method) else RUNS[method][3])

    def current_state(self) -> dict:
        return {"method": self.method}

    def apply_state(self, state: dict) -> dict | None:
        """{"method": "linear probe" | "fine-tune"}: which side shows (a lesson or a session)."""
        method = take(state, "method", one_of(tuple(RUNS)))
        if method is not None:
            self.set_method(method)
        return None

    def run(self) -> None:
        method = self.method
        _text, fn, busy, _hint = RUNS[method]
        self.status.setText(busy)
        self.run_button.setEnabled(False)
        self.slots.submit(method, f"Compare pre-training ({method})", fn, self.ctx.session.device,
                          on_done=self.show_record, on_error=lambda m: self._failed(method, m))

    def _failed(self, method: str, message: str) -> None:
        if method == self.method:
            self.run_button.setEnabled(True)
            self.status.setText(f"failed: {html.escape(message)}")

    def show_record(self, record: Comparison) -> None:
        if not isinstance(record, Comparison):
            raise TypeError(f"the Compare view draws a Comparison, not {type(record).__name__}")
        self.records[record.method] = record
        self.set_method(record.method)

    def _draw(self, record: Comparison) -> None:
        self.record = record
        mean, std = record.mean(), record.std()
        self.table.clear()
        self.table.setRowCount(len(record.models))
        self.table.setColumnCount(len(record.labels))
        self.table.setHorizontalHeaderLabels([f"{n}/class" for n in record.labels])
        self.table.setVerticalHeaderLabels(record.models)
        for i in range(len(record.models)):
            for j in range(len(record.labels)):
                self.table.setItem(i, j, QTableWidgetItem(f"{100 * mean[i, j]:.1f} ± {100 * std[i, j]:.1f}"))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.plot_widget.clear()
        x = np.log10(np.asarray(record.labels, np.float64))
        self.plot_widget.getAxis("bottom").setTicks([[(float(v), str(n)) for v, n in zip(x, record.labels)], []])
        for i, name in enumerate(record.models):
            pen = pg.mkPen(COLOURS[i % len(COLOURS)], width=2)
            self.plot_widget.plot(record.labels, 100 * mean[i], pen=pen, symbol="o", symbolBrush=COLOURS[i % len(COLOURS)],
                                  name=name)
            self.plot_widget.addItem(pg.ErrorBarItem(x=x, y=100 * mean[i], height=200 * std[i], pen=pen))
        self.status.setText(f"{_what(record)} on {html.escape(record.data)} (held-out test split) · mean ± spread over "
                            f"seeds {', '.join(map(str, record.seeds))} of the labelled draw")

    def export_table(self) -> ExportTable | None:
        r = self.record
        if r is None:
            return None
        mean, std = r.mean(), r.std()
        rows = [[m, n, float(mean[i, j]), float(std[i, j])] for i, m in enumerate(r.models) for j, n in enumerate(r.labels)]
        return ExportTable(arrays={"accuracy": r.accuracy, "labels": np.asarray(r.labels), "models": np.asarray(r.models)},
                           header=["model", "labels_per_class", "mean", "std"], rows=rows)


def _what(record: Comparison) -> str:
    s = record.settings
    if record.method != FINE_TUNE or not s:
        return record.method
    return (f"fine-tune of the whole ViT + a linear head ({s['steps']} steps of {s['batch_size']} images, lr "
            f"{s['lr']:g}, head {s['head_lr']:g}{f'; {record.seconds:.0f} s' if record.seconds else ''})")


VIEW = VisionCompareView

if __name__ == "__main__":
    import sys

    sys.exit(run_standalone(VisionCompareView))
