"""Vectors with labels: sentence, word, token, audio-frame or image-patch embeddings."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Embeddings:
    """`vectors[i]` is the embedding of `labels[i]`; `metadata` holds extra columns (same length)."""

    labels: list[str]
    vectors: np.ndarray                                      # (N, D) float32
    kind: str = "sentence"                                   # sentence | word | token | audio-frame | image-patch
    model: str = ""
    metadata: dict[str, list[str]] = field(default_factory=dict)
    truncated: tuple[int, ...] = ()                          # items cut to the model's token limit
    note: str = ""                                           # one sentence on them, for every front end

    def __post_init__(self) -> None:
        if self.vectors.ndim != 2 or self.vectors.shape[0] != len(self.labels):
            raise ValueError(f"vectors must be (N, D) with N = {len(self.labels)} labels, got {self.vectors.shape}")
        for name, col in self.metadata.items():
            if len(col) != len(self.labels):
                raise ValueError(f"metadata column '{name}' has {len(col)} values for {len(self.labels)} items")

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def cosine_similarity(self) -> np.ndarray:
        """(N, N) cosine similarity between all items."""
        v = self.vectors.astype(np.float64)
        v = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
        return (v @ v.T).astype(np.float32)
