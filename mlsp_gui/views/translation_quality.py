"""Quality: the lecture's table for your translation models — BLEU and chrF (sacrebleu) on the test
split — plus BLEU by source length as a plot (the plain encoder-decoder falls off with length, the
attention models do not: the shape of Bahdanau et al.'s figure), and a browser of the
worst-translated test sentences with their alignment."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mlsp_gui.evented import as_str, int_in
from mlsp_gui.job_slots import JobSlots
from mlsp_gui.views._translation_common import SHIPPED, mean_or_head
from mlsp_gui.views.base import View, run_standalone, take
from mlsp_gui.widgets.heatmap import HeatmapWidget

COLORS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")


def _evaluate(state, refs: list[str], device: str, data: str, limit: int, loaded: dict):
    """Job: {ref: TranslationQuality or error message}, and the models loaded."""
    from engine.data.parallel import resolve_parallel
    from engine.probes.translation import translation_quality
    from engine.zoo import load_model

    corpus = resolve_parallel(data)
    out = {}
    for i, ref in enumerate(refs):
        state.progress(i / max(len(refs), 1), f"evaluating {ref}")
        try:
            model = loaded.get(ref) or load_model(ref, device)
            loaded[ref] = model
            out[ref] = translation_quality(model, corpus, "test", limit=limit or None)
        except Exception as exc:
            out[ref] = str(exc)
        state.check()
    return out, loaded


def _align_one(state, model, source: str):
    from engine.probes.translation import translate

    return translate(model, source, beam=1)


class QualityView(View):
    title = "Translation quality"
    order = 63
    group = "Translation"
    view_id = "translation_quality"
    needs = "translate"
    needs_inputs = ("source-target",)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.owner = f"view:{self.view_id}:{id(self)}"
        self.slots = JobSlots(ctx.jobs, self.owner)
        self.loaded: dict = {}
        self.results: dict = {}
        self.models = QLineEdit(", ".join(SHIPPED))
        self.models.setToolTip("Translation models, comma-separated: nmt-transformer, seq2seq or run folders")
        self.data = QLineEdit("builtin:en-fr")
        self.data.setToolTip("builtin:en-fr, builtin:en-fr-small or a TSV of english<TAB>french lines")
        self.limit = QSpinBox()
        self.limit.setRange(0, 1_000_000)
        self.limit.setValue(1000)
        self.limit.setSpecialValueText("all")
        self.limit.setPrefix("first ")
        self.limit.setSuffix(" sentences")
        go = QPushButton("Evaluate")
        self.status = QLabel("")
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["model", "BLEU", "chrF", "sentences"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setLabel("bottom", "source length (words)")
        self.plot.setLabel("left", "BLEU")
        self.plot.setYRange(0, 100)
        self.plot.addLegend()
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.worst = QListWidget()
        self.heat = HeatmapWidget(self, row_name="French", col_name="English", value_name="attention")
        self.heat.set_empty_text("Click a sentence to see its alignment")
        self.detail = QLabel("")
        self.detail.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Models:"))
        top.addWidget(self.models, 2)
        top.addWidget(QLabel("Data:"))
        top.addWidget(self.data, 1)
        top.addWidget(self.limit)
        top.addWidget(go)
        upper = QSplitter()
        upper.addWidget(self.table)
        upper.addWidget(self.plot)
        lower = QSplitter()
        box = QWidget()
        bl = QVBoxLayout(box)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(QLabel("Worst-translated test sentences of the chosen model (sentence BLEU):"))
        bl.addWidget(self.worst, 1)
        box2 = QWidget()
        b2 = QVBoxLayout(box2)
        b2.setContentsMargins(0, 0, 0, 0)
        b2.addWidget(self.detail)
        b2.addWidget(self.heat, 1)
        lower.addWidget(box)
        lower.addWidget(box2)
        outer = QSplitter()
        outer.setOrientation(pg.QtCore.Qt.Orientation.Vertical)
        outer.addWidget(upper)
        outer.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(outer, 1)
        go.clicked.connect(self.request)
        self.table.itemSelectionChanged.connect(self._fill_worst)
        self.worst.currentRowChanged.connect(self._align_worst)

    def refs(self) -> list[str]:
        return [r.strip() for r in self.models.text().split(",") if r.strip()]

    def request(self) -> None:
        self.status.setText("evaluating … (greedy decoding of the test split)")
        self.slots.submit("evaluate", "Translation quality", _evaluate, self.refs(), self.ctx.session.device,
                          self.data.text().strip() or "builtin:en-fr", self.limit.value(), dict(self.loaded),
                          on_done=lambda r: self._done(*r), on_error=lambda m: self.status.setText(f"⚠ {m}"))

    def _done(self, results: dict, loaded: dict) -> None:
        self.loaded = loaded
        self.show_record(results)

    def show_record(self, record) -> None:
        """Draw {model: TranslationQuality or an error message}."""
        self.results = dict(record)
        self.status.setText("")
        self.table.setRowCount(len(self.results))
        self.plot.clear()
        for i, (ref, q) in enumerate(self.results.items()):
            if isinstance(q, str):
                values = (ref, "—", "—", q)
            else:
                values = (ref, f"{q.bleu:.2f}", f"{q.chrf:.2f}", str(q.sentences))
                xs = [(b.min_len + min(b.max_len, 30)) / 2 for b in q.by_length]
                self.plot.plot(xs, [b.bleu for b in q.by_length], name=ref, symbol="o",
                               pen=pg.mkPen(COLORS[i % len(COLORS)], width=2), symbolBrush=COLORS[i % len(COLORS)])
            for col, v in enumerate(values):
                self.table.setItem(i, col, QTableWidgetItem(v))
        if self.results:
            self.table.selectRow(0)

    def chosen(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return item.text() if item is not None else None

    def _fill_worst(self) -> None:
        self.worst.clear()
        q = self.results.get(self.chosen() or "")
        if q is None or isinstance(q, str):
            return
        self._worst = q.worst(50)
        for s in self._worst:
            self.worst.addItem(f"{s.bleu:5.1f}  {s.source}")

    def _align_worst(self, row: int) -> None:
        ref = self.chosen()
        if row < 0 or ref is None or ref not in self.loaded:
            return
        s = self._worst[row]
        self.detail.setText(f"<b>English:</b> {s.source}<br><b>reference:</b> {s.reference}<br>"
                            f"<b>{ref}:</b> {s.hypothesis}")
        self.slots.submit("align", "Alignment", _align_one, self.loaded[ref], s.source,
                          on_done=self._show_alignment, on_error=lambda m: self.detail.setText(f"⚠ {m}"))

    def _show_alignment(self, t) -> None:
        best = t.best
        if best.cross_attention.size:
            self.heat.set_data(mean_or_head(best.cross_attention, -1, -1), best.tokens, t.source_tokens, levels=(0.0, 1.0))

    def current_state(self) -> dict:
        return {"models": self.refs(), "data": self.data.text(), "limit": self.limit.value()}

    def apply_state(self, state: dict) -> dict | None:
        models = state.get("models")
        if isinstance(models, list) and all(isinstance(m, str) for m in models):
            self.models.setText(", ".join(models))
        data = take(state, "data", as_str)
        if data:
            self.data.setText(data)
        limit = take(state, "limit", int_in(0, 1_000_000))
        if limit is not None:
            self.limit.setValue(limit)
        return None


VIEW = QualityView

if __name__ == "__main__":
    raise SystemExit(run_standalone(QualityView))
