"""What wav2vec-mini's pre-training task looks like on one input: masked spans, each masked frame's
similarity to its true quantised target and to the distractors, and the codes of every frame."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class MaskedPrediction:
    """One masked pass over an audio input (T frames of 20 ms, M masked, K distractors, G groups of V)."""

    input: str
    model: str
    times: np.ndarray              # (T,) seconds of each frame's centre
    mask: np.ndarray               # (T,) bool, True where masked
    codes: np.ndarray              # (T, G) codeword of each group (from the unmasked pass)
    masked_frames: np.ndarray      # (M,) frame index of each masked frame
    positive: np.ndarray           # (M,) cosine similarity of c_t to its true target q_t
    negatives: np.ndarray          # (M, K) cosine similarity of c_t to each distractor
    distractor_frames: np.ndarray  # (M, K) which frames the distractors were taken from
    code_probs: np.ndarray         # (T, G, V) the quantiser's softmax per frame
    entries: int                   # V
    duration: float

    @property
    def picked_right(self) -> np.ndarray:
        """(M,) bool: the true target scores above every distractor."""
        if not len(self.positive):
            return np.zeros(0, bool)
        return self.positive > self.negatives.max(axis=1)

    def usage(self) -> np.ndarray:
        """(G, V) how often each codeword is chosen in this input."""
        g = self.codes.shape[1]
        return np.stack([np.bincount(self.codes[:, i], minlength=self.entries) for i in range(g)])

    def perplexity(self) -> float:
        """Σ_g exp(H(p̄_g)) of the averaged softmax: how many codewords are in use (at most G · V)."""
        p = self.code_probs.mean(axis=0)                                   # (G, V)
        return float(np.exp(-(p * np.log(p + 1e-7)).sum(axis=1)).sum())

    def code_ids(self) -> np.ndarray:
        """(T,) one number per frame for a coloured strip: the product code g0 · V + g1 (first two groups)."""
        c = self.codes.astype(np.int64)
        return c[:, 0] * self.entries + c[:, 1] if c.shape[1] > 1 else c[:, 0]
