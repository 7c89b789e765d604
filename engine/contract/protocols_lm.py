"""The fill-mask capability's protocol (the generate one, TextGenerator, is in protocols.py).

Imported by the modules whose models fill masks (`engine.pretrained.masked_lm`), which registers it."""
from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from engine.contract.capabilities import Capability
from engine.contract.protocols import register_protocol


@runtime_checkable
class MaskFiller(Protocol):
    """FILL_MASK: the top-k tokens at every [MASK] of a text (and at extra token positions)."""

    def fill_mask(self, text: str, top_k: int = 5, positions: Any = ()) -> Any: ...

    def encode(self, text: str, pair: str | None = None, limit: int | None = None) -> Any: ...


register_protocol(Capability.FILL_MASK, MaskFiller)
