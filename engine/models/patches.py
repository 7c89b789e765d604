"""The `patches` feature extractor as a loaded model: it provides "image-patches"."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.zoo.spec import LoadedModel

SIZE = 224           # the side the image is resized to (ViT-B/16's input)
PATCH = 16           # the side of one patch


@dataclass
class ImagePatches(LoadedModel):
    """Settings of the patches; `engine.probes.image_patches.image_patches` cuts them."""

    size: int = SIZE
    patch: int = PATCH

    @property
    def grid(self) -> int:
        return self.size // self.patch


def load_patches(ref: Any, device: Any) -> ImagePatches:
    return ImagePatches(ref=ref, device=device, provides=frozenset({"image-patches"}))
