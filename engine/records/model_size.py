"""Parameter counts of transformers by part (the Model size view, `engine.probes.model_size`)."""
from __future__ import annotations

from dataclasses import dataclass

PARTS = ("embeddings", "attention", "feed-forward", "norms", "head")


@dataclass(frozen=True)
class ParameterCount:
    """Parameters of one model by part (PARTS), and how they were obtained ("counted" from the
    loaded network, or "formula" from a published configuration)."""

    name: str
    parts: dict[str, int]
    source: str = "formula"
    note: str = ""                     # e.g. the configuration the formula used

    @property
    def total(self) -> int:
        return int(sum(self.parts.values()))


@dataclass(frozen=True)
class ModelSize:
    """The loaded model counted from its weights, the same model by the formula, and the lecture's GPTs."""

    model: ParameterCount
    formula: ParameterCount
    references: tuple[ParameterCount, ...]
