"""The model registry: a model id -> what it is, what it can do, where its weights come from.

Each family registers its entry in a small module of this package (`minilm.py`, `word2vec.py`,
...), discovered at first use. Listing the registry never imports torch; `load_model` does.

A model reference (`MODEL` on the command line) is one of:
  * a registry id (`minilm`, `word2vec`, ...),
  * `hf:PATH`, a local HuggingFace-format folder,
  * the path of a training run folder (its newest complete checkpoint is loaded).
"""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from engine.zoo.spec import LoadedModel, ModelRef, ModelSpec
from engine.errors import ModelError

__all__ = ["LoadedModel", "ModelRef", "ModelSpec", "registry", "get_spec", "resolve", "load_model", "register"]

_REGISTRY: dict[str, ModelSpec] = {}
_DISCOVERED = False


def register(spec: ModelSpec) -> ModelSpec:
    """Add one entry; called at import time by the entry modules of this package."""
    _REGISTRY[spec.id] = spec
    return spec


def _discover() -> None:
    global _DISCOVERED
    if _DISCOVERED:
        return
    _DISCOVERED = True
    for info in pkgutil.iter_modules(__path__):
        if info.name not in ("spec",) and not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


def registry() -> dict[str, ModelSpec]:
    """Every registered model, by id, in registration order (cheap: no torch import)."""
    _discover()
    return dict(_REGISTRY)


def get_spec(model_id: str) -> ModelSpec:
    _discover()
    try:
        return _REGISTRY[model_id]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise ModelError(f"unknown model '{model_id}'; known models are: {known} (or hf:PATH, or a run folder).") from None


def resolve(ref: str) -> ModelRef:
    """Parse a model reference without loading anything; raises ModelError with the fix."""
    _discover()
    ref = str(ref).strip()
    if ref.startswith("hf:"):
        folder = Path(ref[3:]).expanduser()
        if not folder.is_dir():
            raise ModelError(f"'{folder}' is not a folder; hf:PATH needs a local HuggingFace-format model folder.")
        if not (folder / "config.json").is_file():
            raise ModelError(f"'{folder}' has no config.json, so it is not a HuggingFace-format model folder.")
        return ModelRef(spec=get_spec("hf"), path=folder, text=ref)
    if ref in _REGISTRY:
        return ModelRef(spec=_REGISTRY[ref], path=None, text=ref)
    candidate = Path(ref).expanduser()
    if candidate.is_dir() and (candidate / "config.json").is_file() and (candidate / "checkpoints").is_dir():
        from engine.training.runs import read_run_model_id

        return ModelRef(spec=get_spec(read_run_model_id(candidate)), path=candidate, text=ref)
    if candidate.is_dir() and (candidate / "config.json").is_file():
        return ModelRef(spec=get_spec("hf"), path=candidate, text=ref)
    if candidate.is_dir():
        raise ModelError(f"the folder '{candidate}' is neither a training run (config.json and checkpoints/) nor a "
                         "HuggingFace model folder (config.json); give a run folder, hf:PATH or a model id.")
    if candidate.is_file():
        raise ModelError(f"'{candidate}' is a file; a model is a registry id (see `mlsp models`), hf:PATH or a "
                         "training run folder.")
    return ModelRef(spec=get_spec(ref), path=None, text=ref)  # raises with the list of ids


def load_model(ref: str | ModelRef, device: str = "auto") -> LoadedModel:
    """Load a model (imports torch); the spec's `loader` ("module:function") does the work."""
    mref = ref if isinstance(ref, ModelRef) else resolve(ref)
    from engine.devices import resolve_device

    dev = resolve_device(device)
    module_name, func_name = mref.spec.loader.split(":")
    loader = getattr(importlib.import_module(module_name), func_name)
    return loader(mref, dev)
