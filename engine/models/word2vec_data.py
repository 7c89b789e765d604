"""word2vec's data side, in numpy: the vocabulary, the corpus as a token stream cut into spans,
and the batch maker (sub-sampling of frequent words, randomly reduced windows, negatives drawn
from the unigram^0.75 distribution), all vectorised: no Python loop over words or pairs.

A batch is a set of windows: for every kept centre word, its context words (up to 2 x window,
padded, with a mask) and `negative` noise words shared by the pairs of that window.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np

from engine.errors import InputError


@dataclass(frozen=True)
class Vocabulary:
    """Words by descending count (ties alphabetical); `counts[i]` is the corpus count of `words[i]`."""

    words: tuple[str, ...]
    counts: np.ndarray                      # (V,) int64

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", {w: i for i, w in enumerate(self.words)})

    def __len__(self) -> int:
        return len(self.words)

    def to_tsv(self) -> str:
        return "".join(f"{w}\t{int(c)}\n" for w, c in zip(self.words, self.counts))

    @classmethod
    def from_tsv(cls, text: str) -> "Vocabulary":
        rows = [line.split("\t") for line in text.split("\n") if line]
        return cls(tuple(r[0] for r in rows), np.array([int(r[1]) for r in rows], dtype=np.int64))


def build_vocabulary(sentences: Iterable[list[str]], min_count: int, max_vocab: int = 0) -> Vocabulary:
    """Words seen at least `min_count` times (the `max_vocab` most frequent when > 0)."""
    counter: Counter = Counter()
    for words in sentences:
        counter.update(words)
    kept = sorted(((w, c) for w, c in counter.items() if c >= min_count), key=lambda wc: (-wc[1], wc[0]))
    if max_vocab > 0:
        kept = kept[:max_vocab]
    if not kept:
        raise InputError(f"no word occurs {min_count} times or more in the data; use more text "
                         f"or a lower min_count (--set min_count=1).")
    return Vocabulary(tuple(w for w, _ in kept), np.array([c for _, c in kept], dtype=np.int64))


@dataclass(frozen=True)
class TokenStream:
    """The corpus as vocabulary ids; `sentence[i]` numbers the line token i came from."""

    ids: np.ndarray                 # (N,) int32, out-of-vocabulary words dropped
    sentence: np.ndarray            # (N,) int32
    raw_words: int                  # tokens before dropping unknown words


def encode(sentences: Iterable[list[str]], vocab: Vocabulary) -> TokenStream:
    ids: list[int] = []
    sent: list[int] = []
    raw = 0
    index = vocab.index
    for n, words in enumerate(sentences):
        raw += len(words)
        row = [index[w] for w in words if w in index]
        ids.extend(row)
        sent.extend([n] * len(row))
    return TokenStream(np.asarray(ids, dtype=np.int32), np.asarray(sent, dtype=np.int32), raw)


class SpanDataset:
    """Map-style dataset: item i is the span [i*span, (i+1)*span) of the token stream (its start)."""

    def __init__(self, stream: TokenStream, span: int) -> None:
        self.stream, self.span = stream, span
        self.n = max(1, -(-len(stream.ids) // span))

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> int:
        if not 0 <= i < self.n:
            raise IndexError(i)
        return i * self.span

    def __getitems__(self, idx: list[int]) -> list[int]:
        return [self[i] for i in idx]


@dataclass(frozen=True)
class Sampler:
    """Sub-sampling keep probabilities and the negative-sampling CDF of a vocabulary."""

    keep: np.ndarray                # (V,) probability of keeping each occurrence
    noise_cdf: np.ndarray           # (V,) cumulative unigram^exponent distribution


def make_sampler(counts: np.ndarray, sample: float, exponent: float) -> Sampler:
    """word2vec's formulas: keep = (sqrt(c / t) + 1) * t / c with t = sample * total (capped at 1)."""
    c = counts.astype(np.float64)
    if sample > 0:
        t = sample * c.sum()
        keep = np.minimum(1.0, (np.sqrt(c / t) + 1.0) * t / c)
    else:
        keep = np.ones_like(c)
    p = c ** exponent
    cdf = np.cumsum(p / p.sum())
    cdf[-1] = 1.0
    return Sampler(keep, cdf)


def draw_noise(sampler: Sampler, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Negative words, int64 array of `shape`, from the unigram^exponent distribution."""
    return np.searchsorted(sampler.noise_cdf, rng.random(shape), side="right").astype(np.int64)


def make_windows(stream: TokenStream, starts: list[int], span: int, window: int, negative: int,
                 sampler: Sampler, rng: np.random.Generator) -> dict[str, Any]:
    """Windows of the spans beginning at `starts`.

    Returns numpy arrays: centers (L,), contexts (L, 2*window) with mask (L, 2*window) (padding
    points at word 0 with mask False), negatives (L, negative); and `words`, the tokens the
    spans cover (before sub-sampling). Context may reach `2*window` tokens beyond a span so
    that no pair is lost at span edges; a window never crosses a line."""
    margin = 2 * window
    n = len(stream.ids)
    pieces, seg, core = [], [], []
    for k, s in enumerate(starts):
        a, b, e = max(0, s - margin), min(n, s + span), min(n, s + span + margin)
        pieces.append(np.arange(a, e))
        seg.append(np.full(e - a, k, dtype=np.int64))
        c = np.zeros(e - a, dtype=bool)
        c[s - a:b - a] = True
        core.append(c)
    pos = np.concatenate(pieces)
    tok = stream.ids[pos].astype(np.int64)
    kept = rng.random(len(tok)) < sampler.keep[tok]
    tok, core_k = tok[kept], np.concatenate(core)[kept]
    line = stream.sentence[pos][kept].astype(np.int64) * (len(starts) + 1) + np.concatenate(seg)[kept]
    reach = rng.integers(1, window + 1, size=len(tok))            # word2vec's reduced window
    centers_at = np.nonzero(core_k)[0]
    offsets = np.concatenate([np.arange(-window, 0), np.arange(1, window + 1)])
    at = centers_at[:, None] + offsets[None, :]                     # (L, 2w)
    inside = (at >= 0) & (at < len(tok))
    at_c = np.clip(at, 0, max(len(tok) - 1, 0))
    mask = inside & (np.abs(offsets)[None, :] <= reach[centers_at][:, None])
    if len(tok):
        mask &= line[at_c] == line[centers_at][:, None]
    contexts = np.where(mask, tok[at_c] if len(tok) else 0, 0)
    centers = tok[centers_at]
    negatives = draw_noise(sampler, (len(centers), negative), rng)
    words = int(sum(min(n, s + span) - s for s in starts))
    return {"centers": centers, "contexts": contexts, "mask": mask, "negatives": negatives, "words": words}
