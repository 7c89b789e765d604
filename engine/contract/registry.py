"""The registry's store: model id -> ModelSpec, filled by the entry modules of `engine/zoo/`
(one per model family, each calling `register(ModelSpec(...))`) and discovered at first use.

It lives at the bottom of the engine so that anything — a probe's error message, a view's
explanation — can ask which models can do something. Entry modules are declarations: they import
only `engine.contract` and cheap path helpers, never torch. Resolving a reference and loading a
model are `engine.zoo`'s (the top of the engine).
"""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from engine.contract.capabilities import Capability, InputKind
from engine.contract.spec import ModelSpec

_REGISTRY: dict[str, ModelSpec] = {}
_DISCOVERED = False
ENTRIES_PACKAGE = "engine.zoo"
_ENTRIES_DIR = Path(__file__).resolve().parents[1] / "zoo"


def register(spec: ModelSpec) -> ModelSpec:
    """Add one entry; called at import time by the entry modules of `engine/zoo/`."""
    _REGISTRY[spec.id] = spec
    return spec


def _discover() -> None:
    global _DISCOVERED
    if _DISCOVERED:
        return
    _DISCOVERED = True
    for info in pkgutil.iter_modules([str(_ENTRIES_DIR)]):
        if not info.name.startswith("_"):
            importlib.import_module(f"{ENTRIES_PACKAGE}.{info.name}")


def registry() -> dict[str, ModelSpec]:
    """Every registered model, by id, in registration order (cheap: no torch import)."""
    _discover()
    return dict(_REGISTRY)


def get_spec(model_id: str) -> ModelSpec:
    from engine.errors import ModelError

    _discover()
    try:
        return _REGISTRY[model_id]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise ModelError(f"unknown model '{model_id}'; known models are: {known} (or hf:PATH, or a run folder).") from None


def models_that_can(capability: Capability, input_kind: InputKind | None = None) -> list[ModelSpec]:
    """The registry entries (not `hf`, whose folders vary) that declare `capability`, and take
    `input_kind` when given, in registration order."""
    capability = Capability(capability)
    return [s for s in registry().values()
            if s.source != "folder" and capability in s.capabilities
            and (input_kind is None or InputKind(input_kind) in s.inputs)]
