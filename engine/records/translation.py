"""Translation records: what `engine.probes.translation` returns and the Translation views draw."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Beam:
    """One translation: its text, output tokens (</s> included when it finished), the probability
    of each token when it was chosen, its total log-probability and the beam search's score
    (log-probability / length ** length_penalty). cross_attention: (L, H, T, S), T output tokens x
    S source tokens: which source tokens each output step attended to (every layer and head;
    (0, 0, T, S) for a model without attention)."""

    text: str
    tokens: list[str]
    token_probs: np.ndarray            # (T,) float32
    logprob: float
    score: float
    finished: bool
    cross_attention: np.ndarray        # (L, H, T, S) float32


@dataclass(frozen=True)
class Translation:
    """Every beam of one source sentence, best first."""

    model: str
    source: str
    source_tokens: list[str]           # what the encoder read (</s> included)
    beams: list[Beam]
    beam_size: int
    length_penalty: float
    note: str = ""                     # unknown words, a length limit reached, ...

    @property
    def best(self) -> Beam:
        return self.beams[0]


@dataclass(frozen=True)
class SentenceScore:
    """One test sentence: source, reference, the model's translation and its sentence BLEU."""

    source: str
    reference: str
    hypothesis: str
    bleu: float


@dataclass(frozen=True)
class LengthScore:
    min_len: int
    max_len: int
    bleu: float
    sentences: int


@dataclass(frozen=True)
class TranslationQuality:
    """BLEU and chrF (sacrebleu, 0-100) of a model on one split, by source length, and its sentences."""

    model: str
    data: str
    split: str
    bleu: float
    chrf: float
    sentences: int
    by_length: list[LengthScore] = field(default_factory=list)
    scored: list[SentenceScore] = field(default_factory=list)     # every sentence (for the worst-sentences browser)
    beam: int = 1

    def worst(self, n: int = 20) -> list[SentenceScore]:
        return sorted(self.scored, key=lambda s: s.bleu)[:n]
