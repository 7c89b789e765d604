"""The base of the attention views: probe bar, controls row, export menu, truncation note, and
probing on the current input only while the view is on screen (hidden tabs probe when shown)."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from engine.errors import InputError
from engine.records.attention import AttentionMaps
from mlsp_gui.attention_source import SAMPLE_TEXT, AttentionSource, declared_inputs
from mlsp_gui.evented import indices, int_in
from mlsp_gui.export import ExportTable
from mlsp_gui.session import InputItem
from mlsp_gui.views.base import View, take
from mlsp_gui.widgets.export_bar import ExportBar
from mlsp_gui.widgets.probe_bar import ProbeBar

KIND_NAMES = {"encoder-self": "encoder self-attention", "causal-self": "causal (decoder) self-attention",
              "cross": "cross-attention (decoder → encoder)", "pooling": "attention pooling"}


def stack_name(record: AttentionMaps, index: int) -> str:
    st = record.stacks[index]
    return f"{KIND_NAMES.get(st.kind, st.kind)} · {st.layers}×{st.heads}"


class AttentionView(View):
    """Subclasses build their widgets in `self.controls` / `self.body` and define `draw(record)`,
    `picture()` (the widget exported as PNG/SVG) and `export_table()`."""

    needs = "attention"
    needs_inputs = ("text", "text-pair", "source-target", "audio", "image")

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.record: AttentionMaps | None = None
        self.options = ctx.attention              # sentence B, tokens to generate: shared by the attention views
        self.source = AttentionSource(ctx, owner=f"{self.view_id}:{id(self)}", parent=self)
        self.probe_bar = ProbeBar(self.options)
        self.controls = QHBoxLayout()
        self.export_bar = ExportBar(self.picture, self.export_table, ctx.notify, basename=self.view_id)
        self.note_label = QLabel("")
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet("background: #fff6dd; border: 1px solid #d9b25a; padding: 2px 6px;")
        self.note_label.setVisible(False)
        self.body = QVBoxLayout()
        top = QHBoxLayout()
        top.addLayout(self.controls)
        top.addStretch(1)
        top.addWidget(self.export_bar)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.probe_bar)
        layout.addLayout(top)
        layout.addWidget(self.note_label)
        layout.addLayout(self.body, 1)
        self._dirty = True
        self.source.record_ready.connect(self.show_record)
        self.source.failed.connect(self._on_failed)
        self.source.status.connect(self.probe_bar.set_status)
        self.options.pair_changed.connect(self._on_option)
        self.options.generate_changed.connect(self._on_option)
        self.probe_bar.sample_requested.connect(self._use_sample)
        ctx.capabilities.changed.connect(self._update_generate_gap)
        ctx.session.model_changed.connect(self._update_generate_gap)
        self._update_generate_gap()
        self._update_source_label()

    # following the session ---------------------------------------------------
    def on_input_changed(self, item) -> None:
        self.request_probe()

    def on_model_changed(self, ref: str) -> None:
        self.request_probe()

    def on_checkpoint(self, run_dir: str, checkpoint: str) -> None:
        """A run's checkpoint: load its weights (so heads are seen to specialise as training goes), then probe."""
        from mlsp_gui.views._lm_source import load_run_checkpoint

        if not load_run_checkpoint(self.ctx, self.source.model_ref(), run_dir, checkpoint, lambda _m: self.request_probe()):
            self.request_probe()

    def _on_option(self, _value) -> None:
        self.request_probe()

    def _update_generate_gap(self, *_args) -> None:
        self.probe_bar.set_generate_gap(self.ctx.capabilities.unmet("generate", self.source.model_ref(), ("text",)))

    def request_probe(self) -> None:
        """Something the record depends on changed: probe now if on screen, else when shown."""
        self._update_source_label()
        self._dirty = True
        if self.isVisible():
            self.probe()

    def probe(self) -> None:
        self._dirty = False
        self.source.refresh(self.step_request())

    def step_request(self) -> tuple[int, int] | None:
        """The (layer, head) whose step-by-step numbers this view needs; None for most views."""
        return None

    def showEvent(self, event) -> None:              # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._dirty and self.source.snapshot() is not None:
            self.probe()

    def _update_source_label(self) -> None:
        ref = self.source.model_ref()
        request = self.source.snapshot()
        self.probe_bar.set_source(ref, request.text if request is not None else None, declared_inputs(ref))

    def _use_sample(self) -> None:
        self.ctx.session.add_input(InputItem(kind="text", name="sample sentence", text=SAMPLE_TEXT))

    def _on_failed(self, message: str) -> None:
        self.probe_bar.set_status(f"failed: {message}")
        self.ctx.notify("error", message)

    # records -------------------------------------------------------------------
    def show_record(self, record) -> None:
        if not isinstance(record, AttentionMaps) or not record.stacks:
            raise InputError("the attention views draw AttentionMaps records with at least one stack.")
        self.record = record
        notes = [record.note] if record.note else []
        if record.truncated and not record.note:
            notes.append("The input was longer than the model accepts and was truncated.")
        if record.prompt_length is not None and record.prompt_length < len(record.tokens):
            notes.append(f"Tokens {record.prompt_length}–{len(record.tokens) - 1} were generated by the model "
                         "(after the dashed line in the heatmap; in italics in the head view).")
        self.note_label.setText(" ".join(notes))
        self.note_label.setVisible(bool(notes))
        self.draw(record)
        self.apply_waiting_state()                  # a restored layer / head waited for a record

    def stack_index(self) -> int:
        """The chosen stack (encoder self, decoder self, cross…); 0 for views without a chooser."""
        combo = getattr(self, "stack_combo", None)
        return max(combo.currentIndex(), 0) if combo is not None else 0

    def open_in_heatmap(self, layer: int, head: int, tell) -> None:
        """Open one head of the shown record in the heatmap view (which selects it and comes to the
        front); without that view open, `tell(message)` says how to open it."""
        if not self.options.request_open(self.record, self.stack_index(), layer, head):
            tell(f"Open the “Attention heatmap” view (View menu) to see layer {layer}, head {head} in full.")

    def picture(self) -> QWidget:
        return self

    def export_table(self) -> ExportTable | None:
        return None


def generated_from(record: AttentionMaps, stack) -> int | None:
    """Index of the first generated token in this stack's tokens, or None when nothing was generated."""
    n = record.prompt_length
    if n is None or stack.kind == "cross" or not 0 < n < len(stack.tokens_q):
        return None
    return int(n)


def selector(placeholder: str, stacks: bool = False) -> QComboBox:
    """An empty layer/head/stack chooser: greyed out with `placeholder` until a record fills it
    (the stack chooser stays hidden until a model has more than one stack)."""
    combo = QComboBox()
    combo.setPlaceholderText(placeholder)
    combo.setEnabled(False)
    if stacks:
        combo.setVisible(False)
    return combo


def fill_stacks(combo: QComboBox, record: AttentionMaps) -> None:
    """Put one entry per stack in `combo`, keeping the choice when it still exists."""
    keep = max(combo.currentIndex(), 0)
    combo.blockSignals(True)
    combo.clear()
    for i in range(len(record.stacks)):
        combo.addItem(stack_name(record, i))
    combo.setCurrentIndex(min(keep, combo.count() - 1))
    combo.setVisible(len(record.stacks) > 1)
    combo.setEnabled(combo.count() > 0)
    combo.blockSignals(False)


def fill_range(combo: QComboBox, n: int, label: str, extra: str | None = None) -> None:
    """Entries `label 0 .. label n-1` (plus `extra` last, e.g. "mean of heads"), keeping the choice."""
    keep = combo.currentIndex()
    combo.blockSignals(True)
    combo.clear()
    for i in range(n):
        combo.addItem(f"{label} {i}", i)
    if extra:
        combo.addItem(extra, -1)
    combo.setCurrentIndex(keep if 0 <= keep < combo.count() else 0)
    combo.setEnabled(combo.count() > 0)
    combo.blockSignals(False)


def chosen_head(record: AttentionMaps, state: dict, current: tuple[int, int, int],
                mean: bool = True) -> tuple[int, int, int]:
    """(stack, layer, head) that `state` asks for, each checked against `record`; what is missing or
    out of range keeps `current` (clamped to the chosen stack). Head -1 (the mean) when `mean`."""
    stack = take(state, "stack", int_in(0, len(record.stacks) - 1))
    stack = current[0] if stack is None else stack
    st = record.stacks[min(stack, len(record.stacks) - 1)]
    layer = take(state, "layer", int_in(0, st.layers - 1))
    head = take(state, "head", int_in(-1 if mean else 0, st.heads - 1))
    layer = min(current[1], st.layers - 1) if layer is None else layer
    head = min(current[2], st.heads - 1) if head is None else head
    return stack, layer, head


INDEX = int_in(-1, 1_000_000)          # what a stack, layer, head or token index can be, before a record says


def record_keys(state: dict, keys: tuple[str, ...]) -> dict:
    """The entries of `state` that need a record to be applied and could be indices (others are dropped)."""
    out = {}
    for key in keys:
        value = take(state, key, heads_list if key == "heads" else INDEX)
        if value is not None:
            out[key] = value
    return out


def heads_list(value) -> list[int]:
    """A list of head indices (JSON-able)."""
    if not isinstance(value, (list, tuple)):
        raise TypeError("a list of heads")
    return [int(h) for h in indices(list(value))]
