"""Loaded models, kept per (reference, device) and loaded off the GUI thread through jobs."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from mlsp_gui.jobs import JobManager


def _load(state, ref: str, device: str):
    state.progress(0.05, "importing torch")
    from mlsp_gui.startup import import_heavy

    import_heavy()                      # never import transformers while the warm-up job does
    from engine.zoo import load_model

    state.progress(0.3, f"loading {ref}")
    model = load_model(ref, device)
    state.progress(1.0, "loaded")
    return model


def _load_checkpoint(state, ref: str, device: str, path: str, base):
    """A copy of `base` (loaded first when None) with the weights of `path`; `base` is untouched."""
    state.progress(0.05, "importing torch")
    from engine.checkpoints_io import apply_checkpoint, inspect_safetensors

    if path.lower().endswith(".safetensors"):
        inspect_safetensors(path)                  # a damaged file fails here, before any model work
    if base is None:
        from engine.zoo import load_model

        state.progress(0.3, f"loading {ref}")
        base = load_model(ref, device)
    state.progress(0.6, "reading the checkpoint")
    model = apply_checkpoint(base, path)
    state.progress(1.0, "loaded")
    return model


class ModelStore(QObject):
    """Holds the loaded models; `get(ref, device, callback)` loads once and calls back on the GUI thread."""

    loading = Signal(str, str)          # ref, what is being loaded (for status lines)
    loaded = Signal(str, object)        # ref, LoadedModel
    failed = Signal(str, str)           # ref, message

    def __init__(self, jobs: JobManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._models: dict[tuple[str, str], Any] = {}
        self._waiting: dict[tuple[str, str], list[Callable[[Any], None]]] = {}

    def cached(self, ref: str, device: str) -> Any | None:
        return self._models.get((ref, device))

    def loaded_refs(self) -> list[str]:
        """The references of the models held, in loading order, each once."""
        return list(dict.fromkeys(ref for ref, _device in self._models))

    def get(self, ref: str, device: str, callback: Callable[[Any], None] | None = None) -> None:
        key = (ref, device)
        if key in self._models:
            if callback:
                callback(self._models[key])
            return
        first = key not in self._waiting
        self._waiting.setdefault(key, [])
        if callback:
            self._waiting[key].append(callback)
        if first:
            self.loading.emit(ref, f"{ref} on {device}")
            self._jobs.submit(f"Load model {ref} on {device}", _load, ref, device,
                              on_done=lambda m, k=key: self._on_loaded(k, m),
                              on_error=lambda msg, k=key: self._on_failed(k, msg))

    def load_checkpoint(self, ref: str, device: str, path: str) -> None:
        """Load the weights of `path` into (a copy of) model `ref`; on success it replaces the model
        in the store, on failure the model already loaded stays in place and `failed` says why."""
        from pathlib import Path

        self.loading.emit(ref, f"checkpoint {Path(path).name} into {ref}")
        self._jobs.submit(f"Load checkpoint {Path(path).name} into {ref}", _load_checkpoint, ref, device,
                          path, self.cached(ref, device),
                          on_done=lambda m: self.replace(ref, device, m),
                          on_error=lambda msg: self.failed.emit(ref, msg))

    def replace(self, ref: str, device: str, model: Any) -> None:
        """Swap in a newly loaded model (e.g. a newer checkpoint); the old one stays until then."""
        self._models[(ref, device)] = model
        self.loaded.emit(ref, model)

    def forget(self, ref: str) -> None:
        for key in [k for k in self._models if k[0] == ref]:
            del self._models[key]

    def _on_loaded(self, key: tuple[str, str], model: Any) -> None:
        self._models[key] = model
        for cb in self._waiting.pop(key, []):
            cb(model)
        self.loaded.emit(key[0], model)

    def _on_failed(self, key: tuple[str, str], message: str) -> None:
        self._waiting.pop(key, None)
        self.failed.emit(key[0], message)
