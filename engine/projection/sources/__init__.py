"""Where the projector's vectors come from: one small module per source, discovered at first use.

A source module calls `register(SourceSpec(...))`. Its `fetch` ("module:function") is called in
a worker as `fetch(state, model, request) -> Embeddings`, with a model loaded from the registry
that declares the capability `spec.needs` for the source's input kind (`spec.modality`). A new
model family's vectors join the projector with no change here, by declaring that capability.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any

from engine.contract.capabilities import Capability, InputKind
from engine.errors import ConfigError

_SOURCES: dict[str, SourceSpec] = {}
_DISCOVERED = False


@dataclass(frozen=True)
class SourceOption:
    """One integer knob of a source (e.g. the transformer layer), shown as "label N suffix"."""

    name: str
    label: str
    default: int
    minimum: int = 0
    maximum: int = 1_000
    suffix: str = ""


@dataclass(frozen=True)
class SourceRequest:
    """What the user asked: the current input's text, audio or image (None when it is not that kind)
    and the options."""

    text: str | None = None
    options: dict[str, int] = field(default_factory=dict)
    audio: Any = None                   # engine.records.inputs.AudioInput
    image: Any = None                   # engine.records.inputs.ImageInput


@dataclass(frozen=True)
class SourceSpec:
    id: str
    title: str
    needs: Capability                   # what the model must declare, e.g. Capability.WORD_VECTORS
    default_model: str                  # registry id offered first, e.g. "word2vec"
    fetch: str                          # "module:function(state, model, SourceRequest) -> Embeddings"
    modality: str = "text"              # the InputKind the source reads ("text", "audio", "image")
    uses_input: bool = True             # False: the model alone gives the vectors (a vocabulary)
    options: tuple[SourceOption, ...] = ()
    order: int = 100
    description: str = ""
    follows_model: bool = False         # True: the window's model is chosen whenever it fits (any vision model)

    def accepts(self, ref: Any) -> bool:
        """True when the model reference `ref` declares what this source needs (no loading)."""
        return ref.can(self.needs) and (not self.uses_input or InputKind(self.modality) in ref.inputs)

    def run(self, state: Any, model: Any, request: SourceRequest):
        if not self.accepts(model.ref):
            raise ConfigError(f"model '{model.name}' cannot give the vectors '{self.title}' needs "
                              f"({self.needs.verb} for {self.modality}); choose a model such as {self.default_model}.")
        module, func = self.fetch.split(":")
        return getattr(importlib.import_module(module), func)(state, model, request)


def register(spec: SourceSpec) -> SourceSpec:
    _SOURCES[spec.id] = spec
    return spec


def sources() -> list[SourceSpec]:
    """Every source, in display order (cheap: imports no torch)."""
    global _DISCOVERED
    if not _DISCOVERED:
        _DISCOVERED = True
        for info in pkgutil.iter_modules(__path__):
            if not info.name.startswith("_"):
                importlib.import_module(f"{__name__}.{info.name}")
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.title))


def get_source(source_id: str) -> SourceSpec:
    for spec in sources():
        if spec.id == source_id:
            return spec
    known = ", ".join(s.id for s in sources())
    raise ConfigError(f"unknown projector source '{source_id}'; known sources are: {known}.")
