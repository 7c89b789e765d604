"""What a spoken-word classifier says about one audio input (`mlsp classify`, the lstm-attn view)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class WordPrediction:
    """The predicted word of one input, every word's probability, and where the model listened.

    `attention[t]` is a_t of the frame centred at `times[t]` seconds (None for a model without
    attention pooling); it sums to 1."""

    input: str                       # the input's name (file name or "recording 3")
    model: str
    label: str                       # the most probable word
    labels: tuple[str, ...]          # every word the model knows, in its output order
    probs: np.ndarray                # (C,) float32, sums to 1
    attention: np.ndarray | None     # (T,) float32 a_t
    times: np.ndarray | None         # (T,) float32 seconds of each frame's centre
    duration: float                  # seconds of audio the model heard
    note: str = ""                   # what the user should know (cut to a limit, quiet, ...)

    @property
    def probability(self) -> float:
        return float(self.probs[self.labels.index(self.label)])

    def top(self, k: int = 5) -> list[tuple[str, float]]:
        order = np.argsort(-self.probs)[:k]
        return [(self.labels[i], float(self.probs[i])) for i in order]

    def as_json(self) -> dict:
        """{"input", "label", "probs": {word: p}, "attention": [a_t], "times": [s], ...}: strict JSON."""
        return {"input": self.input, "label": self.label, "model": self.model,
                "probs": {w: round(float(p), 6) for w, p in zip(self.labels, self.probs)},
                "attention": [] if self.attention is None else [round(float(a), 6) for a in self.attention],
                "times": [] if self.times is None else [round(float(t), 4) for t in self.times],
                "duration": round(float(self.duration), 4), "note": self.note}
