"""Utterance features of a spoken-word corpus with their labels: what a linear probe is trained on."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class WordFeatureSet:
    """X[i] is the pooled feature vector of clip i, y[i] its word (an index into `label_names`)."""

    X: np.ndarray                    # (N, D) float32
    y: np.ndarray                    # (N,) int64
    label_names: tuple[str, ...]
    model: str
    data: str                        # "builtin:words" or a folder
    split: str                       # "train" | "valid" | "test"
    names: tuple[str, ...] = ()      # where each clip came from ("seven/espeak-en-us+m3~a")

    def __post_init__(self) -> None:
        if self.X.ndim != 2 or self.X.shape[0] != self.y.shape[0]:
            raise ValueError(f"X must be (N, D) with N = {self.y.shape[0]} labels, got {self.X.shape}")

    @property
    def dim(self) -> int:
        return int(self.X.shape[1])

    def per_label(self) -> dict[str, int]:
        return {w: int(c) for w, c in zip(self.label_names, np.bincount(self.y, minlength=len(self.label_names)))}
