"""Where the attention views get their records: one probe job per view, on the current input and
the chosen model (minilm when none is chosen), with the options every attention view shares
(`ctx.attention`, mlsp_gui/attention_options.py).

The current input becomes the probe input the model declares it takes (engine.records.inputs):
text (with sentence B: a pair) for text models, a sentence to translate for translation models,
the audio or image record for audio and image models.

The probe runs in a job (`mlsp_gui.jobs`) whose owner is the view, so a newer request cancels an
older one and a stale map never paints over a new one. Finished records are kept in a small cache
so that several views asking for the same text and model probe it once.
"""
from __future__ import annotations

import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDockWidget, QTabWidget, QWidget

from mlsp_gui.context import AppContext

DEFAULT_MODEL = "minilm"
SAMPLE_TEXT = "The animal didn't cross the street because it was too tired."
_CACHE_SIZE = 12
_cache: OrderedDict = OrderedDict()          # (AttentionRequest, id(model)) -> (weakref to model, record); GUI thread


@dataclass(frozen=True)
class AttentionRequest:
    """A snapshot of what to probe, taken on the GUI thread. Requests compare by model, device,
    input identity and options (the probe input itself may hold arrays)."""

    model: str
    device: str
    text: str                                # the text, or a description of an audio/image input
    pair: str | None = None
    step: tuple | None = None                # (layer, head) or (stack, layer, head) for the step-by-step record
    generate: int = 0                        # causal models: tokens to generate after the text
    input_key: str = ""                      # which input (its path or id) the probe input came from
    probe_input: Any = field(default=None, compare=False, hash=False, repr=False)


def _weak(model):
    """A weak reference to a loaded model (the cache must not keep forgotten models alive)."""
    try:
        return weakref.ref(model)
    except TypeError:                     # objects without weak-reference support: hold them
        return lambda: model


def input_text(item) -> str | None:
    """The text of a session input, or None when it is not a text input."""
    if item is None or getattr(item, "kind", None) != "text":
        return None
    text = item.text if item.text is not None else getattr(item.record, "text", None)
    return text if text and text.strip() else None


def declared_inputs(ref: str) -> tuple[str, ...]:
    """The input kinds model `ref` declares ("text", "audio", ...); text when it cannot be resolved
    (loading it then says what is wrong). Cheap: reads the registry or a config.json, no torch."""
    from engine.errors import MlspError
    from engine.zoo import resolve

    try:
        return tuple(k.value for k in resolve(ref).inputs)
    except MlspError:
        return ("text",)


def probe_input_for(item, kinds: tuple[str, ...], pair: str | None):
    """The probe input for the current `item` and a model taking `kinds`, or None when the model
    cannot read this input (an audio input for a text model, no input at all, ...)."""
    from engine.records.inputs import SourceTarget, TextPair, text_input

    if item is None:
        return None
    if item.kind in ("audio", "image"):
        return item.record if item.kind in kinds and item.record is not None else None
    text = input_text(item)
    if text is None:
        return None
    if "text" not in kinds and "source-target" in kinds:
        return SourceTarget(text, name=item.name)
    if "text" not in kinds:
        return None
    if pair and "text-pair" in kinds:
        return TextPair(text, pair, name=item.name)
    return text_input(text, item.name)


def probe_attention(state, model, request: AttentionRequest):
    """The job: run `engine.probes.attention` (imports torch) on the worker thread."""
    state.progress(0.1, "importing the attention probe")
    from engine.probes.attention import attention

    state.check()
    state.progress(0.3, f"probing attention of {request.model}")
    return attention(model, request.probe_input, step=request.step, generate=request.generate)


def reveal(widget: QWidget) -> None:
    """Bring a view to the front: select its tab (or raise its dock) wherever the window put it."""
    chain, parent = [widget], widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QTabWidget):
            page = next((w for w in chain if parent.indexOf(w) >= 0), None)
            if page is not None:
                parent.setCurrentWidget(page)
        if isinstance(parent, QDockWidget):
            parent.raise_()
        chain.append(parent)
        parent = parent.parentWidget()


class AttentionSource(QObject):
    """Probes attention for one view; emits `record_ready` only for the newest request."""

    record_ready = Signal(object)         # AttentionMaps
    failed = Signal(str)                  # one-sentence message
    status = Signal(str)                  # "loading minilm…", "probing…", "" when idle

    def __init__(self, ctx: AppContext, owner: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.owner = ctx, owner
        self.options = ctx.attention
        self._latest: AttentionRequest | None = None
        ctx.models.failed.connect(self._on_model_failed)

    def model_ref(self) -> str:
        return self.ctx.session.model or DEFAULT_MODEL

    def snapshot(self, step: tuple | None = None) -> AttentionRequest | None:
        """The request for the current input and options, or None when the chosen model cannot read
        the current input (or there is none)."""
        item = self.ctx.session.current
        ref = self.model_ref()
        pair = self.options.pair.strip() or None
        inp = probe_input_for(item, declared_inputs(ref), pair)
        if inp is None:
            return None
        text = input_text(item) or item.name
        key = item.path or f"{item.kind}:{id(item)}"
        # A model that cannot generate is never asked to (the probe bar says so and names those that can).
        generate = 0 if self.ctx.capabilities.unmet("generate", ref) else self.options.generate
        return AttentionRequest(model=ref, device=self.ctx.session.device, text=text,
                                pair=pair if inp.kind == "text-pair" else None, step=step,
                                generate=generate, input_key=key, probe_input=inp)

    def refresh(self, step: tuple[int, int] | None = None) -> AttentionRequest | None:
        """Probe the current input (returns the request, or None when there is nothing to probe)."""
        request = self.snapshot(step)
        self._latest = request
        if request is None:
            return None
        self.status.emit(f"loading {request.model}…")
        self.ctx.models.get(request.model, request.device, lambda m, r=request: self._with_model(r, m))
        return request

    def _with_model(self, request: AttentionRequest, model) -> None:
        if request != self._latest:
            return
        key = (request, id(model))
        if key in _cache and _cache[key][0]() is model:      # the weak reference rules out a reused id
            _cache.move_to_end(key)
            self.status.emit("")
            self.record_ready.emit(_cache[key][1])
            return
        self.status.emit(f"probing {request.model}…")
        self.ctx.jobs.submit(f"Attention of {request.model}", probe_attention, model, request, owner=self.owner,
                             on_done=lambda rec, r=request, m=model: self._on_done(r, m, rec),
                             on_error=lambda msg, r=request: self._on_error(r, msg))

    def _on_done(self, request: AttentionRequest, model, record) -> None:
        if record is None or request != self._latest:
            return
        _cache[(request, id(model))] = (_weak(model), record)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
        self.status.emit("")
        self.record_ready.emit(record)

    def _on_error(self, request: AttentionRequest, message: str) -> None:
        if request == self._latest:
            self.status.emit("")
            self.failed.emit(message)

    def _on_model_failed(self, ref: str, message: str) -> None:
        if self._latest is not None and self._latest.model == ref:
            self.status.emit("")
            self.failed.emit(message)
