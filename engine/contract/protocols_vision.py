"""Capability protocols of the vision models (registered with engine.contract.protocols)."""
from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from engine.contract.capabilities import Capability, InputKind
from engine.contract.protocols import register_protocol


@runtime_checkable
class ImageReconstructor(Protocol):
    """RECONSTRUCT of an image: the model's square input and its masked-patch reconstruction.

    `reconstruct_pixels(pixels (S, S, 3) float32 0..1, mask (rows, cols) bool) -> (S, S, 3)`."""

    image_size: int
    patch: int

    def input_pixels(self, image: Any) -> Any: ...

    def reconstruct_pixels(self, pixels: Any, mask: Any) -> Any: ...


@runtime_checkable
class ImageClassifier(Protocol):
    """CLASSIFY of an image: a ClassProbabilities record."""

    def classify_image(self, image: Any) -> Any: ...


register_protocol(Capability.RECONSTRUCT, ImageReconstructor, InputKind.IMAGE)
register_protocol(Capability.CLASSIFY, ImageClassifier, InputKind.IMAGE)
