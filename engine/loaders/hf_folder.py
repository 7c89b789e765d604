"""The `hf` entry's loader: ViT and ViT-MAE folders become the project's vision models, every
other folder goes to the text loader (engine.pretrained.hf_text)."""
from __future__ import annotations

from typing import Any


def load_hf_any(ref: Any, device: Any):
    from engine.pretrained.folder_kind import declared

    if ref.path is not None and declared(ref.path).inputs[:1] and declared(ref.path).inputs[0].value == "image":
        from engine.loaders.hf_vision import load_vision_folder

        return load_vision_folder(ref, device)
    from engine.pretrained.hf_text import load_hf_folder

    return load_hf_folder(ref, device)
