"""Compare: how well each way of pre-training the same small ViT makes the digits linearly
readable. A linear probe (logistic regression on frozen class-token features) is fitted with 1, 5,
10, 50 and 100 labels per class, three draws each, for random init, RotNet, SimCLR, DeepCluster, MAE
and supervised training (whichever have weights); the table gives mean ± spread, the plot accuracy
against labels with the spread as error bars. `mlsp compare` prints the same table."""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from engine.probes.compare import Comparison
from mlsp_gui.export import ExportTable
from mlsp_gui.job_slots import JobSlots
from mlsp_gui.views.base import View, run_standalone
from mlsp_gui.widgets.export_bar import ExportBar

COLOURS = [(120, 120, 120), (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189)]


def _compare(state, device: str):
    from engine.cli.commands.compare import compare_models
    from engine.probes.compare import compare

    state.progress(0.05, "loading the models")
    return compare(compare_models(device), "builtin:digits", progress=lambda f, what: state.progress(0.1 + 0.9 * f, what))


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
        self.record: Comparison | None = None
        self.run_button = QPushButton("Run the linear probes")
        self.export_bar = ExportBar(lambda: self.plot_widget, self.export_table, ctx.notify, basename="vision_compare")
        top = QHBoxLayout()
        top.addWidget(self.run_button)
        top.addStretch(1)
        top.addWidget(self.export_bar)
        self.table = QTableWidget()
        self.plot_widget = pg.PlotWidget(background="w")
        self.plot_widget.setLabel("bottom", "labels per class (log)")
        self.plot_widget.setLabel("left", "test accuracy (%)")
        self.plot_widget.setLogMode(x=True, y=False)
        self.plot_widget.addLegend(offset=(-10, 10))
        self.status = QLabel("Linear probes on the held-out digits for every vision model with weights here; "
                             "press Run (a few seconds per model).")
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

    def run(self) -> None:
        self.status.setText("probing …")
        self.slots.submit("compare", "Compare pre-training (linear probes)", _compare, self.ctx.session.device,
                          on_done=self.show_record, on_error=lambda m: self.status.setText(f"failed: {html.escape(m)}"))

    def show_record(self, record: Comparison) -> None:
        if not isinstance(record, Comparison):
            raise TypeError(f"the Compare view draws a Comparison, not {type(record).__name__}")
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
        self.table.resizeColumnsToContents()
        self.plot_widget.clear()
        x = np.log10(np.asarray(record.labels, np.float64))
        for i, name in enumerate(record.models):
            pen = pg.mkPen(COLOURS[i % len(COLOURS)], width=2)
            self.plot_widget.plot(record.labels, 100 * mean[i], pen=pen, symbol="o", symbolBrush=COLOURS[i % len(COLOURS)],
                                  name=name)
            self.plot_widget.addItem(pg.ErrorBarItem(x=x, y=100 * mean[i], height=200 * std[i], pen=pen))
        self.status.setText(f"linear probe on {html.escape(record.data)} (held-out test split) · mean ± spread over "
                            f"seeds {', '.join(map(str, record.seeds))} of the labelled draw")

    def export_table(self) -> ExportTable | None:
        r = self.record
        if r is None:
            return None
        mean, std = r.mean(), r.std()
        rows = [[m, n, float(mean[i, j]), float(std[i, j])] for i, m in enumerate(r.models) for j, n in enumerate(r.labels)]
        return ExportTable(arrays={"accuracy": r.accuracy, "labels": np.asarray(r.labels), "models": np.asarray(r.models)},
                           header=["model", "labels_per_class", "mean", "std"], rows=rows)


VIEW = VisionCompareView

if __name__ == "__main__":
    import sys

    sys.exit(run_standalone(VisionCompareView))
