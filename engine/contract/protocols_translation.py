"""The protocol behind Capability.TRANSLATE (registered with the other capability protocols)."""
from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from engine.contract.capabilities import Capability
from engine.contract.protocols import register_protocol


@runtime_checkable
class Translator(Protocol):
    """TRANSLATE: beam search over one sentence (a Translation record, every beam) and greedy
    translation of many (strings, for BLEU)."""

    def translate(self, text: str, beam: int = 4, length_penalty: float = 1.0,
                  max_len: int | None = None) -> Any: ...

    def translate_many(self, texts: list[str], beam: int = 1) -> list[str]: ...


register_protocol(Capability.TRANSLATE, Translator)
