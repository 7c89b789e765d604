"""word2vec's data side, in numpy: the vocabulary, the corpus as a token stream cut into spans,
and the batch maker (sub-sampling of frequent words, randomly reduced windows, negatives drawn
from the unigram^0.75 distribution), all vectorised: no Python loop over words or pairs.

For the pure-torch path a batch is a set of windows: for every kept centre word, its context words
(up to 2 x window, padded, with a mask) and `negative` noise words shared by the pairs of that
window (`make_windows`). For the fused kernel it is the sub-sampled token run itself, with each
centre's reduced reach; the kernel enumerates the pairs and draws the noise words (`make_run`).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

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
    def from_tsv(cls, text: str) -> Vocabulary:
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


NOISE_TABLE = 1 << 22           # slots of the noise table (word2vec's unigram table has 1e8)


@dataclass(frozen=True)
class Sampler:
    """Sub-sampling keep probabilities and the negative-sampling distribution of a vocabulary.

    `noise_table` (built on first use: the fused kernel draws from its own alias table instead)
    holds word ids in proportion to their noise probability (word2vec's unigram table): a uniform
    draw of a slot is a draw from the distribution, without a search."""

    keep: np.ndarray                # (V,) probability of keeping each occurrence
    noise_cdf: np.ndarray           # (V,) cumulative unigram^exponent distribution

    @cached_property
    def noise_table(self) -> np.ndarray:
        """(NOISE_TABLE,) int32 word ids."""
        slots = (np.arange(NOISE_TABLE) + 0.5) / NOISE_TABLE
        return np.searchsorted(self.noise_cdf, slots, side="right").astype(np.int32)


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
    return sampler.noise_table[rng.integers(0, NOISE_TABLE, size=shape)].astype(np.int64)


def reach_classes(window: int) -> list[tuple[int, int]]:
    """Reaches 1..window in two classes, each padded to its widest reach: little padding, and two
    groups of about equal work (one per worker thread). window 5 -> [(1, 3), (4, 5)]."""
    cut = max(1, round(window * 0.6))
    return [(1, cut)] + ([(cut + 1, window)] if cut < window else [])


@dataclass(frozen=True)
class Windows:
    """Windows whose reach is in one class: `contexts` (L, 2m) around `centers` (L,) for the class's
    widest reach m; `mask` (L, 2m) is False beyond a window's own reach and where a line end or
    the corpus edge cuts it (those entries point at word 0)."""

    centers: np.ndarray
    contexts: np.ndarray
    mask: np.ndarray
    negatives: np.ndarray          # (L, K) noise words shared by the window's pairs
    positions: np.ndarray          # (L,) where each centre word is in the token stream
    reach: np.ndarray              # (L,) each window's reduced reach b (its mask covers offsets -b..b)


def make_windows(stream: TokenStream, starts: list[int], span: int, window: int, negative: int,
                 sampler: Sampler, rng: np.random.Generator) -> tuple[list[Windows], int]:
    """Windows of the spans beginning at `starts`, grouped by their reduced reach b = 1..window
    (see `reach_classes`); and the tokens the spans cover.

    Sub-sampling drops frequent words first (windows then reach over them, as in word2vec).
    Context may reach `2*window` tokens beyond a span so that no pair is lost at span edges; a
    window never crosses a line."""
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
    tok, core_k, kept_pos = tok[kept], np.concatenate(core)[kept], pos[kept]
    line = stream.sentence[pos][kept].astype(np.int64) * (len(starts) + 1) + np.concatenate(seg)[kept]
    centers_at = np.nonzero(core_k)[0]
    reach = rng.integers(1, window + 1, size=len(centers_at))      # word2vec's reduced window
    negatives = draw_noise(sampler, (len(centers_at), negative), rng)
    groups = []
    for lo, hi in reach_classes(window):
        sel = (reach >= lo) & (reach <= hi)
        if not sel.any():
            continue
        at_c = centers_at[sel]
        offsets = np.concatenate([np.arange(-hi, 0), np.arange(1, hi + 1)])
        at = at_c[:, None] + offsets[None, :]                      # (L, 2 hi)
        inside = (at >= 0) & (at < len(tok)) & (np.abs(offsets)[None, :] <= reach[sel][:, None])
        at = np.clip(at, 0, len(tok) - 1)
        mask = inside & (line[at] == line[at_c][:, None])
        groups.append(Windows(tok[at_c], np.where(mask, tok[at], 0), mask, negatives[sel], kept_pos[at_c],
                              reach[sel]))
    words = int(sum(min(n, s + span) - s for s in starts))
    return groups, words


@dataclass(frozen=True)
class TokenRun:
    """The sub-sampled tokens of a step's spans (with their margins) for the fused kernel: `tokens`
    (n,) int32 word ids, `lines` (n,) int32 (equal for neighbours on the same line of the same
    span), `centers` (m,) int32 positions in `tokens` of the spans' own words, `reach` (m,) int32
    each centre's reduced window b (context = positions p-b..p+b on its line)."""

    tokens: np.ndarray
    lines: np.ndarray
    centers: np.ndarray
    reach: np.ndarray


def make_run(stream: TokenStream, starts: list[int], span: int, window: int, sampler: Sampler,
             rng: np.random.Generator) -> tuple[TokenRun, int]:
    """The same draws as `make_windows` (sub-sampling, then reduced windows), without building
    windows; and the tokens the spans cover."""
    margin = 2 * window
    n = len(stream.ids)
    bounds = [(max(0, s - margin), s, min(n, s + span), min(n, s + span + margin)) for s in starts]
    pos = np.concatenate([np.arange(a, e) for a, _, _, e in bounds]) if bounds else np.zeros(0, np.int64)
    core = np.concatenate([(np.arange(a, e) >= s) & (np.arange(a, e) < b) for a, s, b, e in bounds]) \
        if bounds else np.zeros(0, bool)
    seg = np.concatenate([np.full(e - a, k) for k, (a, _, _, e) in enumerate(bounds)]) if bounds else pos
    tok = stream.ids[pos]
    kept = rng.random(len(tok)) < sampler.keep[tok]
    tok, line, seg, core = tok[kept], stream.sentence[pos][kept], seg[kept], core[kept]
    new_line = np.ones(len(tok), dtype=bool)
    new_line[1:] = (line[1:] != line[:-1]) | (seg[1:] != seg[:-1])
    centers = np.nonzero(core)[0].astype(np.int32)
    reach = rng.integers(1, window + 1, size=len(centers)).astype(np.int32)
    words = int(sum(b - s for _, s, b, _ in bounds))
    return TokenRun(tok.astype(np.int32), (np.cumsum(new_line) - 1).astype(np.int32), centers, reach), words
