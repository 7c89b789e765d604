"""Model references (`MODEL` on the command line) -> a ModelRef, and loading one through its entry's
loader. Here, below `engine.tasks`, so that a Task that builds on another model (fine-tuning) can
resolve and load it; `engine.zoo` re-exports both."""
from __future__ import annotations

import importlib
from pathlib import Path

from engine.contract.loaded import LoadedModel
from engine.contract.registry import get_spec, registry
from engine.contract.spec import ModelRef, ModelSpec
from engine.errors import ModelError


def resolve(ref: str) -> ModelRef:
    """Parse a model reference without loading anything (no torch); raises ModelError with the fix."""
    registry()
    ref = str(ref).strip()
    if ref.startswith("hf:"):
        folder = Path(ref[3:]).expanduser()
        if not folder.is_dir():
            raise ModelError(f"'{folder}' is not a folder; hf:PATH needs a local HuggingFace-format model folder.")
        if not (folder / "config.json").is_file():
            raise ModelError(f"'{folder}' has no config.json, so it is not a HuggingFace-format model folder.")
        return _refined(get_spec("hf"), folder, ref)
    if ref in registry():
        return ModelRef(spec=get_spec(ref), path=None, text=ref)
    candidate = Path(ref).expanduser()
    if candidate.is_dir() and (candidate / "config.json").is_file() and (candidate / "checkpoints").is_dir():
        from engine.training.runs import read_run_model_id

        return _refined(get_spec(read_run_model_id(candidate)), candidate, ref)
    if candidate.is_dir() and (candidate / "config.json").is_file():
        return _refined(get_spec("hf"), candidate, ref)
    if candidate.is_dir():
        raise ModelError(f"the folder '{candidate}' is neither a training run (config.json and checkpoints/) nor a "
                         "HuggingFace model folder (config.json); give a run folder, hf:PATH or a model id.")
    if candidate.is_file():
        raise ModelError(f"'{candidate}' is a file; a model is a registry id (see `mlsp models`), hf:PATH or a "
                         "training run folder.")
    return ModelRef(spec=get_spec(ref), path=None, text=ref)  # raises with the list of ids


def _refined(spec: ModelSpec, folder: Path, text: str) -> ModelRef:
    """A reference to a folder: what this folder can do when the entry knows how to tell."""
    declared = None
    if spec.refine:
        module_name, func_name = spec.refine.split(":")
        declared = getattr(importlib.import_module(module_name), func_name)(folder)
    return ModelRef(spec=spec, path=folder, text=text, declared=declared)


def load_model(ref: str | ModelRef, device: str = "auto") -> LoadedModel:
    """Load a model (imports torch); the spec's `loader` ("module:function") does the work."""
    mref = ref if isinstance(ref, ModelRef) else resolve(ref)
    from engine.devices import resolve_device

    dev = resolve_device(device)
    module_name, func_name = mref.spec.loader.split(":")
    loader = getattr(importlib.import_module(module_name), func_name)
    return loader(mref, dev)
