"""Translate: type English, the French appears as you type — every beam with its score, and the
probability of each output token of the chosen beam.

Each keystroke (after a short pause) starts a translation job in the view's one "translate" slot,
which cancels the previous job, and every result carries the number of the request it answers:
a result older than the newest request is dropped, so a stale translation never overwrites a newer one."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.records.translation import Translation
from mlsp_gui.evented import as_str, float_in, int_in
from mlsp_gui.job_slots import JobSlots
from mlsp_gui.views._translation_common import SAMPLE, TranslatorBar
from mlsp_gui.views.base import View, run_standalone, take

DELAY_MS = 150


def _translate(state, model, text: str, beam: int, length_penalty: float, request: int):
    from engine.probes.translation import translate

    return request, translate(model, text, beam=beam, length_penalty=length_penalty)


def prob_color(p: float) -> str:
    """Background of a token chip: white (p = 0) to green (p = 1)."""
    g = int(255 - 120 * max(0.0, min(1.0, p)))
    return f"rgb({g},{255 - int(40 * p)},{g})"


def token_chips(tokens: list[str], probs) -> str:
    """Rich text: each token on a background as green as it was likely, its probability under it."""
    cells = "".join(f"<td align='center' style='background:{prob_color(float(p))}; padding:3px 6px;'>"
                    f"<b>{html.escape(t)}</b><br><small>{float(p):.2f}</small></td>" for t, p in zip(tokens, probs))
    return f"<table cellspacing='3'><tr>{cells}</tr></table>"


class TranslateView(View):
    title = "Translate"
    order = 60
    group = "Translation"
    view_id = "translate"
    needs = "translate"
    needs_inputs = ("source-target",)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.owner = f"view:{self.view_id}:{id(self)}"
        self.slots = JobSlots(ctx.jobs, self.owner)
        self.record: Translation | None = None
        self.requested = 0                       # number of the newest request
        self.shown = 0                           # number of the request whose result is drawn
        self.bar = TranslatorBar(ctx, self.owner)
        self.edit = QLineEdit(SAMPLE)
        self.edit.setPlaceholderText("Type an English sentence …")
        self.edit.setClearButtonEnabled(True)
        self.beam = QSpinBox()
        self.beam.setRange(1, 16)
        self.beam.setValue(4)
        self.beam.setPrefix("beam ")
        self.penalty = QDoubleSpinBox()
        self.penalty.setRange(0.0, 3.0)
        self.penalty.setSingleStep(0.1)
        self.penalty.setValue(1.0)
        self.penalty.setPrefix("length penalty ")
        self.penalty.setToolTip("score = log-probability / length ** penalty")
        self.best = QLabel("")
        self.best.setStyleSheet("font-size: 20px; padding: 6px;")
        self.best.setTextFormat(Qt.TextFormat.PlainText)      # French apostrophes and "<unk>" as typed
        self.best.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #8a5a00;")
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["#", "translation", "score", "log-prob"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.chips = QLabel("")
        self.chips.setTextFormat(Qt.TextFormat.RichText)
        self.chips.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(self.beam)
        row.addWidget(self.penalty)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addLayout(row)
        layout.addWidget(self.best)
        layout.addWidget(self.note)
        layout.addWidget(QLabel("Beams, best first (score = log-probability / length ** penalty):"))
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel("Probability of each token of the chosen beam:"))
        layout.addWidget(self.chips)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DELAY_MS)
        self.timer.timeout.connect(self.request)
        self.edit.textChanged.connect(lambda _t: self.timer.start())
        self.beam.valueChanged.connect(lambda _v: self.timer.start())
        self.penalty.valueChanged.connect(lambda _v: self.timer.start())
        self.table.itemSelectionChanged.connect(self._show_chips)
        self.bar.model_ready.connect(lambda _m: self.request())

    # following the session ------------------------------------------------------------------------
    def on_model_changed(self, ref: str) -> None:
        self.bar.follow_session(ref)

    def on_checkpoint(self, run_dir: str, checkpoint: str) -> None:
        self.bar.on_checkpoint(run_dir, checkpoint)

    def showEvent(self, event) -> None:              # noqa: N802 (Qt API)
        super().showEvent(event)
        if self.bar.model is None and not self.bar.slots.running():
            self.bar.load()

    # translating ------------------------------------------------------------------------------------
    def request(self) -> None:
        """Translate the sentence now (a newer request makes every older result stale)."""
        text = self.edit.text().strip()
        self.requested += 1
        if self.bar.model is None:
            return
        if not text:
            self.slots.cancel("translate")
            self.show_result(self.requested, None)
            return
        self.slots.submit("translate", "Translate", _translate, self.bar.model, text, self.beam.value(),
                          self.penalty.value(), self.requested,
                          on_done=lambda r: self.show_result(*r), on_error=self._failed)

    def show_result(self, request: int, record: Translation | None) -> None:
        """Draw the answer to `request`, unless a newer request was made since (stale)."""
        if request < self.requested:
            return
        self.shown = request
        if record is None:
            self.record = None
            self.best.setText("")
            self.note.setText("")
            self.table.setRowCount(0)
            self.chips.setText("")
            return
        self.show_record(record)

    def show_record(self, record) -> None:
        if not isinstance(record, Translation):
            raise TypeError("the Translate view draws Translation records")
        self.record = record
        self.best.setText(record.best.text or "(empty)")
        self.note.setText(record.note)
        self.table.setRowCount(len(record.beams))
        for i, b in enumerate(record.beams):
            for col, value in enumerate((str(i + 1), b.text or "(empty)", f"{b.score:.3f}", f"{b.logprob:.3f}")):
                item = QTableWidgetItem(value)
                if col != 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, col, item)
        self.table.selectRow(0)
        self._show_chips()
        self.apply_waiting_state()

    def _show_chips(self) -> None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if self.record is None or not self.record.beams:
            self.chips.setText("")
            return
        beam = self.record.beams[rows[0].row() if rows else 0]
        self.chips.setText(token_chips(beam.tokens, beam.token_probs))

    def _failed(self, message: str) -> None:
        self.note.setText(f"⚠ {message}")

    # view state -------------------------------------------------------------------------------------
    def current_state(self) -> dict:
        return {"model": self.bar.ref(), "text": self.edit.text(), "beam": self.beam.value(),
                "length_penalty": self.penalty.value()}

    def apply_state(self, state: dict) -> dict | None:
        text = take(state, "text", as_str)
        if text is not None:
            self.edit.setText(text)
        beam = take(state, "beam", int_in(1, 16))
        if beam is not None:
            self.beam.setValue(beam)
        lp = take(state, "length_penalty", float_in(0.0, 3.0))
        if lp is not None:
            self.penalty.setValue(lp)
        model = take(state, "model", as_str)
        if model and model != self.bar.ref():
            self.bar.set_ref(model)
            if self.bar.model is not None:
                self.bar.load()
        return None


VIEW = TranslateView

if __name__ == "__main__":
    raise SystemExit(run_standalone(TranslateView))
