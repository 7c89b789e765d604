"""The `patches` feature extractor as a loaded model: it embeds each 16 x 16 patch of an image."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.contract.loaded import LoadedModel

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

    def embed_image(self, image):
        """Every 16 x 16 patch of the image resized to 224 x 224 (engine.probes.image_patches)."""
        from engine.probes.image_patches import image_patches

        return image_patches(self, image)


def load_patches(ref: Any, device: Any) -> ImagePatches:
    return ImagePatches(ref=ref, device=device)
