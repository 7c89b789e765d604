"""Audio model views' shared pieces: a loaded model per (reference, device, checkpoint) for their
jobs, and whether a reference declares a capability for audio (no torch)."""
from __future__ import annotations

import threading

_models: dict = {}                    # (ref, device, checkpoint) -> LoadedModel, shared by the views' jobs
_models_lock = threading.Lock()


def model_for(ref: str, device: str, checkpoint: str = ""):
    """The loaded model `ref` (with the weights of `checkpoint` when given), loaded once per job thread pool."""
    key = (ref, device, checkpoint)
    with _models_lock:
        if key in _models:
            return _models[key]
    from engine.zoo import load_model

    model = load_model(ref, device)
    if checkpoint:
        from pathlib import Path

        from engine.checkpoints_io import apply_checkpoint

        folder = Path(checkpoint)
        model = apply_checkpoint(model, folder / "model.safetensors" if folder.is_dir() else folder)
    with _models_lock:
        if len(_models) > 6:
            _models.clear()
        _models[key] = model
    return model


def declares_for_audio(ref: str, capability: str) -> bool:
    """Whether the model reference `ref` declares `capability` (a Capability value) for audio input."""
    from engine.contract.capabilities import Capability, InputKind
    from engine.errors import MlspError
    from engine.zoo import resolve

    try:
        r = resolve(ref)
    except MlspError:
        return False
    return r.can(Capability(capability)) and InputKind.AUDIO in r.inputs
