"""What the vision views share: which model they use (the session's when it can do what the view
needs, else the shipped one), a run's checkpoints followed, and the image they show (the current
image input, or a held-out digit)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from engine.records.inputs import ImageInput


def model_for(ref: str, capability: str, fallback: str) -> str:
    """`ref` when it declares `capability` for images, else `fallback` (a registry id)."""
    if not ref:
        return fallback
    try:
        from engine.zoo import resolve

        found = resolve(ref)
        return ref if found.can(capability) and found.modality == "image" else fallback
    except Exception:                   # noqa: BLE001 - a reference that does not resolve: the fallback
        return fallback


def digit_input(index: int) -> ImageInput:
    """Held-out digit `index` (of the 360 test digits) as an 8 × 8 image input."""
    from engine.data.image_sets import digit_image

    return digit_image(index)


def load_checkpoint_model(state, run_dir: str, checkpoint: str, device: str) -> Any:
    """A vision model loaded from one checkpoint folder of a run (a job)."""
    from pathlib import Path

    from engine.contract.spec import ModelRef
    from engine.devices import resolve_device
    from engine.loaders.vision import load_vision
    from engine.training.runs import read_run_model_id
    from engine.zoo import get_spec

    state.progress(0.2, f"loading {Path(checkpoint).name}")
    spec = get_spec(read_run_model_id(Path(run_dir)))
    return load_vision(ModelRef(spec=spec, path=Path(checkpoint), text=f"{Path(run_dir).name}@{Path(checkpoint).name}"),
                       resolve_device(device))


def image_to_rgb(pixels: np.ndarray) -> np.ndarray:
    """(S, S, 3) float 0..1 -> uint8 for an ImageItem."""
    return (np.clip(pixels, 0, 1) * 255).round().astype(np.uint8)


Callback = Callable[[Any], None]
