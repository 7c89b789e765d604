"""Model size: the loaded transformer's parameters by part (embeddings, attention, feed-forward,
norms, head), counted from its weights and by the formula of `engine.metrics.model_size`, beside
GPT-1 (117M), GPT-2 (1.5B) and GPT-3 (175B) from their published configurations by the same
formula — the lecture's table, with our model in it. Totals on a logarithmic bar chart.

Record: `engine.records.model_size.ModelSize` from `engine.probes.model_size.model_size` (a job)."""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from engine.records.model_size import PARTS, ModelSize
from mlsp_gui.errors import error_html
from mlsp_gui.views._lm_source import LMSource
from mlsp_gui.views.base import View, run_standalone
from mlsp_gui.widgets.token_axis import TokenAxis


def _probe(state, model) -> ModelSize:
    from engine.probes.model_size import model_size

    state.progress(0.5, "counting parameters")
    return model_size(model)


def human(n: int) -> str:
    for unit, scale in (("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if n >= scale:
            return f"{n / scale:.3g}{unit}"
    return str(n)


class ModelSizeView(View):
    title = "Model size"
    order = 62
    group = "Language models"
    view_id = "model_size"
    needs = "attention"
    needs_inputs = ("text",)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.owner = f"view:{self.view_id}:{id(self)}"
        self.record: ModelSize | None = None
        self.source = LMSource(ctx, self.owner, "attention", "gpt-mini", self)
        self.source.ready.connect(self.run)
        self.source.refused.connect(self.show_error)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.table = QTableWidget(len(PARTS) + 1, 5)
        self.axis = TokenAxis("bottom", rotate=False, limit=32)      # "name (size)" under each bar
        self.chart = pg.PlotWidget(axisItems={"bottom": self.axis}, background="w")
        self.chart.setLogMode(y=True)
        self.chart.setMenuEnabled(False)
        self.chart.setLabel("left", "parameters (log scale)")
        self.chart.getAxis("left").enableAutoSIPrefix(False)
        # The table above the chart, not beside it: side by side in a 1280 x 720 window the chart was
        # ~150 px wide and dropped all its bar names but one.
        body = QSplitter(Qt.Orientation.Vertical)
        body.setChildrenCollapsible(False)
        body.addWidget(self.table)
        body.addWidget(self.chart)
        body.setStretchFactor(0, 1)
        body.setStretchFactor(1, 1)
        self.chart.setMinimumHeight(160)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.message)
        layout.addWidget(body, 1)

    def run(self, model=None) -> None:
        model = model or self.source.model
        if model is None:
            self.source.load()
            return
        self.ctx.jobs.submit("Model size", _probe, model, owner=self.owner, on_done=self.show_record,
                             on_error=self.show_error)

    def use_model(self, model) -> None:
        self.source.model = model
        self.run(model)

    def show_error(self, message: str) -> None:
        self.message.setText(error_html(message))

    def show_record(self, record: ModelSize) -> None:
        self.record = record
        columns = [(f"{record.model.name} (counted)", record.model), ("same, by the formula", record.formula),
                   *[(r.name, r) for r in record.references]]
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels([c for c, _ in columns])
        self.table.setVerticalHeaderLabels([*PARTS, "total"])
        for j, (_, count) in enumerate(columns):
            for i, part in enumerate(PARTS):
                self.table.setItem(i, j, QTableWidgetItem(f"{count.parts[part]:,}"))
            self.table.setItem(len(PARTS), j, QTableWidgetItem(f"{count.total:,}  ({human(count.total)})"))
            self.table.item(len(PARTS), j).setToolTip(count.note)
        self.table.resizeColumnsToContents()
        self._fit_table_height()
        totals = np.array([record.model.total, *[r.total for r in record.references]], np.float64)
        names = [f"{name} ({human(int(t))})" for name, t in
                 zip([record.model.name, *[r.name.split()[0] for r in record.references]], totals)]
        self.chart.clear()
        brushes = [pg.mkBrush("#D55E00")] + [pg.mkBrush("#0072B2")] * len(record.references)
        self.chart.addItem(pg.BarGraphItem(x=np.arange(len(totals)), height=np.log10(totals), width=0.6,
                                           brushes=brushes, pen=None))
        self.axis.set_tokens(names)
        same = "equal" if record.model.parts == record.formula.parts else "NOT equal"
        ratio = record.references[-1].total / max(record.model.total, 1)
        self.message.setText(f"<b>{html.escape(record.model.name)}</b>: {record.model.total:,} parameters "
                             f"({human(record.model.total)}); the formula's count is {same} to the weights' count. "
                             f"GPT-3 is {ratio:,.0f}× larger.")

    def _fit_table_height(self) -> None:
        """Every row in sight (the total row is the point of the table): the table asks for the height
        of its header, rows and horizontal scroll bar; the chart takes what is left."""
        t = self.table
        rows = sum(t.rowHeight(i) for i in range(t.rowCount()))
        bar = t.horizontalScrollBar().sizeHint().height()
        t.setMinimumHeight(t.horizontalHeader().height() + rows + bar + 2 * t.frameWidth() + 2)

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


VIEW = ModelSizeView

if __name__ == "__main__":
    run_standalone(ModelSizeView)
