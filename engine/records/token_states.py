"""Per-layer token states of a transformer: what `hidden_states(text)` returns for the projector."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TokenStates:
    """states[l, t] is token t's vector after layer l (l = 0: the embeddings; l = L: the last layer)."""

    tokens: list[str]
    states: np.ndarray                 # (L + 1, T, D) float32
    model: str = ""
    truncated: bool = False
    note: str = ""

    def __post_init__(self) -> None:
        if self.states.ndim != 3 or self.states.shape[1] != len(self.tokens):
            raise ValueError(f"states must be (L + 1, {len(self.tokens)}, D), got {self.states.shape}")

    @property
    def layers(self) -> int:
        """L: the number of blocks (states has L + 1 rows)."""
        return int(self.states.shape[0]) - 1

    @property
    def dim(self) -> int:
        return int(self.states.shape[2])
