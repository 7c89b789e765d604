"""Alignment: the source × target cross-attention of a translation (each French token against the
English tokens it attended to while it was produced), per layer and head or averaged, with a
hover read-out; the decoder's causal self-attention beside it.

A translation run opened in views (Training tab → Open in views) redraws the alignment of the
current sentence at every checkpoint, and the checkpoint slider replays it: the diagonal, and the
French adjective–noun swap, emerge while the model trains."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QSplitter, QVBoxLayout, QWidget

from mlsp_gui.evented import as_str, int_in
from mlsp_gui.job_slots import JobSlots
from mlsp_gui.views._translation_common import SAMPLE, TranslatorBar, mean_or_head
from mlsp_gui.views.base import View, run_standalone, take
from mlsp_gui.widgets.heatmap import HeatmapWidget

MEAN = -1


def _align(state, model, text: str):
    """Job: the best beam (with its cross-attention) and the decoder self-attention on it."""
    from engine.probes.attention import attention
    from engine.probes.translation import translate
    from engine.records.inputs import SourceTarget

    result = translate(model, text, beam=4)
    decoder = None
    if result.best.text:
        maps = attention(model, SourceTarget(text, result.best.text))
        decoder = next((s for s in maps.stacks if s.name == "decoder"), None)
    return AlignmentRecord(result, decoder, getattr(model, "checkpoint_step", None))


class AlignmentRecord:
    """A Translation and the decoder self-attention stack of its best beam (None for an RNN decoder)."""

    def __init__(self, translation, decoder, step) -> None:
        self.translation, self.decoder, self.step = translation, decoder, step


class AlignmentView(View):
    title = "Alignment"
    order = 61
    group = "Translation"
    view_id = "alignment"
    needs = "translate"
    needs_inputs = ("source-target",)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.owner = f"view:{self.view_id}:{id(self)}"
        self.slots = JobSlots(ctx.jobs, self.owner)
        self.record: AlignmentRecord | None = None
        self.requested = 0
        self.redraws = 0                          # alignments drawn (one per checkpoint while following a run)
        self.bar = TranslatorBar(ctx, self.owner)
        self.edit = QLineEdit(SAMPLE)
        self.edit.setClearButtonEnabled(True)
        self.layer = QComboBox()
        self.head = QComboBox()
        self.info = QLabel("")
        self.info.setStyleSheet("font-size: 16px; padding: 4px;")
        self.cross = HeatmapWidget(self, row_name="French (output)", col_name="English (source)", value_name="attention")
        self.cross.set_empty_text("Type a sentence: its alignment appears here")
        self.selfmap = HeatmapWidget(self, row_name="decoder query", col_name="decoder key", value_name="attention")
        self.selfmap.set_empty_text("The decoder's masked self-attention (Transformer only)")
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(QLabel("layer"))
        row.addWidget(self.layer)
        row.addWidget(QLabel("head"))
        row.addWidget(self.head)
        split = QSplitter()
        left, right = QWidget(), QWidget()
        lv, rv = QVBoxLayout(left), QVBoxLayout(right)
        lv.addWidget(QLabel("Cross-attention: target × source"))
        self.cross_note, self.self_note = QLabel(""), QLabel("")
        for note in (self.cross_note, self.self_note):
            note.setWordWrap(True)
            note.setStyleSheet("color: #555;")
        lv.addWidget(self.cross, 1)
        lv.addWidget(self.cross_note)
        rv.addWidget(QLabel("Decoder self-attention (causal)"))
        rv.addWidget(self.selfmap, 1)
        rv.addWidget(self.self_note)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([600, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addLayout(row)
        layout.addWidget(self.info)
        layout.addWidget(split, 1)
        self.edit.returnPressed.connect(self.request)
        self.edit.editingFinished.connect(self.request)
        self.layer.currentIndexChanged.connect(self._redraw)
        self.head.currentIndexChanged.connect(self._redraw)
        self.bar.model_ready.connect(lambda _m: self.request())

    def on_model_changed(self, ref: str) -> None:
        self.bar.follow_session(ref)

    def on_checkpoint(self, run_dir: str, checkpoint: str) -> None:
        self.bar.on_checkpoint(run_dir, checkpoint)

    def showEvent(self, event) -> None:              # noqa: N802 (Qt API)
        super().showEvent(event)
        if self.bar.model is None and not self.bar.slots.running():
            self.bar.load()

    def request(self) -> None:
        text = self.edit.text().strip()
        if self.bar.model is None or not text:
            return
        self.requested += 1
        n = self.requested
        self.slots.submit("align", "Alignment", _align, self.bar.model, text,
                          on_done=lambda r, n=n: self._done(n, r), on_error=lambda m: self.info.setText(f"⚠ {m}"))

    def _done(self, request: int, record) -> None:
        if request == self.requested:
            self.show_record(record)

    def show_record(self, record) -> None:
        if not isinstance(record, AlignmentRecord):
            raise TypeError("the Alignment view draws AlignmentRecord records")
        self.record = record
        self.redraws += 1
        cross = record.translation.best.cross_attention
        layers, heads = (cross.shape[0], cross.shape[1]) if cross.size else (0, 0)
        self._fill(self.layer, ["mean of layers"] + [f"layer {i}" for i in range(layers)], layers)
        self._fill(self.head, ["mean of heads"] + [f"head {i}" for i in range(heads)], heads)
        best = record.translation.best
        step = f"  (checkpoint step {record.step})" if record.step is not None else ""
        self.info.setText(f"{record.translation.source}  →  {best.text}{step}")
        self._redraw()
        self.apply_waiting_state()

    def _fill(self, combo: QComboBox, items: list[str], n: int) -> None:
        if combo.count() == len(items):
            return
        keep = combo.currentIndex()
        combo.blockSignals(True)
        combo.clear()
        combo.addItems(items)
        combo.setCurrentIndex(keep if 0 <= keep < len(items) else 0)
        combo.blockSignals(False)

    def choice(self) -> tuple[int, int]:
        """(layer, head), -1 for the mean."""
        return self.layer.currentIndex() - 1, self.head.currentIndex() - 1

    def _redraw(self) -> None:
        if self.record is None:
            return
        layer, head = self.choice()
        t = self.record.translation
        best = t.best
        has_cross = bool(best.cross_attention.size)
        self.cross.setVisible(has_cross)
        self.cross_note.setText("" if has_cross else "This model has no attention (the plain encoder-decoder): "
                                "the decoder sees one vector of the whole sentence.")
        if has_cross:
            self.cross.set_data(mean_or_head(best.cross_attention, layer, head), best.tokens, t.source_tokens,
                                levels=(0.0, 1.0))
        dec = self.record.decoder
        self.selfmap.setVisible(dec is not None)
        self.self_note.setText("" if dec is not None else "A recurrent decoder has no self-attention: its state "
                               "carries the past.")
        if dec is not None:
            self.selfmap.set_data(mean_or_head(dec.weights, min(layer, dec.layers - 1), head), dec.tokens_q, dec.tokens_k,
                                  levels=(0.0, 1.0))

    def current_state(self) -> dict:
        layer, head = self.choice()
        return {"model": self.bar.ref(), "text": self.edit.text(), "layer": layer, "head": head}

    def apply_state(self, state: dict) -> dict | None:
        text = take(state, "text", as_str)
        if text is not None and text != self.edit.text():
            self.edit.setText(text)
            self.request()
        model = take(state, "model", as_str)
        if model and model != self.bar.ref():
            self.bar.set_ref(model)
            if self.bar.model is not None:
                self.bar.load()
        waiting = {}
        for key, combo in (("layer", self.layer), ("head", self.head)):
            value = take(state, key, int_in(-1, 256))
            if value is None:
                continue
            if value + 1 < combo.count():
                combo.setCurrentIndex(value + 1)
            else:
                waiting[key] = value
        return waiting or None


VIEW = AlignmentView

if __name__ == "__main__":
    raise SystemExit(run_standalone(AlignmentView))
