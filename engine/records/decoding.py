"""Decoding records: what `engine.decoding` returns (numpy and plain Python only)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Hypothesis:
    """One decoded continuation: the new token ids (the prompt or source not included), the
    probability the model gave each of them when it was chosen, and its total log-probability.
    `score` is what beam search ranks by (log-probability / length ** length_penalty)."""

    ids: tuple[int, ...]
    token_probs: tuple[float, ...]
    logprob: float
    score: float
    finished: bool                     # ended with the end-of-sequence token (False: stopped at max length)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class NextTokenDistribution:
    """The next-token distribution after temperature, top-k and top-p (Transformer Explainer's bars).

    probs: (V,) the distribution sampled from (0 where cut off); raw: (V,) softmax(logits) at
    temperature 1; kept: (V,) True for tokens that survive the filters; greedy: True when the
    settings reduce to picking the most likely token (temperature 0 or top-p 0)."""

    probs: np.ndarray
    raw: np.ndarray
    kept: np.ndarray
    temperature: float
    top_k: int
    top_p: float
    greedy: bool

    def top(self, k: int) -> list[tuple[int, float, float, bool]]:
        """The k most likely tokens at temperature 1: (id, raw prob, filtered prob, kept)."""
        order = np.argsort(-self.raw, kind="stable")[:k]
        return [(int(i), float(self.raw[i]), float(self.probs[i]), bool(self.kept[i])) for i in order]
