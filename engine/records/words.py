"""Records of word-vector queries: neighbours, analogies, similarity, the lecture's word2vec slide."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class WordScore:
    """One word and its cosine similarity (or, in a slide's top list, its softmax probability)."""

    word: str
    similarity: float


@dataclass(frozen=True)
class Neighbors:
    """The k words nearest to `word` by cosine similarity, nearest first (the word itself excluded)."""

    word: str
    neighbors: tuple[WordScore, ...]
    model: str = ""


@dataclass(frozen=True)
class AnalogyResult:
    """`a` is to `b` as `c` is to answers[0]: 3CosAdd, argmax cos(x, b) - cos(x, a) + cos(x, c),
    the three input words excluded."""

    a: str
    b: str
    c: str
    answers: tuple[WordScore, ...]
    model: str = ""


@dataclass(frozen=True)
class WordSimilarity:
    """Cosine similarity of two words' vectors."""

    word1: str
    word2: str
    similarity: float
    model: str = ""


@dataclass(frozen=True)
class AnalogyScore:
    """How many analogy questions a model answers right; `sections` maps a section to (correct, total)."""

    correct: int
    total: int                                   # questions whose four words are in the vocabulary
    skipped: int                                 # questions with a word outside the vocabulary
    sections: dict[str, tuple[int, int]] = field(default_factory=dict)
    wrong: tuple[tuple[str, str, str, str, str], ...] = ()    # (a, b, c, expected, answered)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class Word2VecSlide:
    """The lecture's slide with a model's real numbers: one-hot x W1 = h, then h x W2 -> softmax.

    words[i] is row i of W1 and column i of W2; the one-hot input is 1 at `index`."""

    word: str
    index: int
    words: tuple[str, ...]
    w1: np.ndarray                  # (V, N) input vectors
    hidden: np.ndarray              # (N,) = w1[index]
    w2: np.ndarray                  # (N, V) output vectors, transposed
    scores: np.ndarray              # (V,) = hidden @ w2
    probs: np.ndarray               # (V,) softmax(scores)
    top: tuple[WordScore, ...]      # most probable output words (probability in `similarity`)
    model: str = ""

    @property
    def vocab_size(self) -> int:
        return len(self.words)

    @property
    def dim(self) -> int:
        return int(self.w1.shape[1])
