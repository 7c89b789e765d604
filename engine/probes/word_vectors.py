"""Queries on word vectors (any model that provides "word-vectors": `words`, `vectors` (V, D),
and for the slide `output_vectors` (V, D)): nearest neighbours, analogies, similarity,
vocabulary completion and the lecture's one-hot x W1 slide (analogy-test accuracy is a metric:
`engine.metrics.analogy`). numpy only.
"""
from __future__ import annotations

import difflib
from typing import Any

import numpy as np

from engine.contract.capabilities import Capability
from engine.errors import InputError, ModelError
from engine.metrics.analogy import unit_rows
from engine.records.words import AnalogyResult, Neighbors, Word2VecSlide, WordScore, WordSimilarity


def _parts(model: Any) -> tuple[list[str], np.ndarray]:
    model.require(Capability.WORD_VECTORS)
    return list(model.words), np.asarray(model.vectors, dtype=np.float32)


def _unit(model: Any) -> np.ndarray:
    cached = getattr(model, "unit_vectors", None)
    return cached() if callable(cached) else unit_rows(model.vectors)


def word_index(model: Any, word: str) -> int:
    """Row of `word` (exact, then ignoring case); InputError naming close spellings otherwise."""
    words, _ = _parts(model)
    index = getattr(model, "index", None) or {w: i for i, w in enumerate(words)}
    w = str(word).strip()
    if not w:
        raise InputError("the word is empty; type a word from the vocabulary.")
    if w in index:
        return index[w]
    low = w.lower()
    if low in index:
        return index[low]
    pool = [x for x in words if x[:1] == low[:1]][:20000] or words[:20000]
    close = difflib.get_close_matches(low, pool, n=3, cutoff=0.7)
    hint = (f"; did you mean {', '.join(repr(c) for c in close)}?" if close
            else "; check the spelling or train on a corpus that has it.")
    raise InputError(f"'{w}' is not in the vocabulary of '{getattr(model, 'name', 'the model')}' ({len(words)} words){hint}")


def _top(scores: np.ndarray, words: list[str], k: int, exclude: set[int]) -> tuple[WordScore, ...]:
    scores = scores.astype(np.float32, copy=True)
    for i in exclude:
        scores[i] = -np.inf
    k = max(0, min(k, len(words) - len(exclude)))
    if k == 0:
        return ()
    best = np.argpartition(-scores, k - 1)[:k]
    best = best[np.argsort(-scores[best], kind="stable")]
    return tuple(WordScore(words[i], float(scores[i])) for i in best)


def _check_k(k: int) -> int:
    if int(k) < 1:
        raise InputError(f"k must be 1 or more, got {k}.")
    return int(k)


def neighbors(model: Any, word: str, k: int = 10) -> Neighbors:
    """The k nearest words by cosine similarity."""
    words, _ = _parts(model)
    i = word_index(model, word)
    unit = _unit(model)
    return Neighbors(word=words[i], neighbors=_top(unit @ unit[i], words, _check_k(k), {i}), model=model.name)


def analogy(model: Any, a: str, b: str, c: str, k: int = 5) -> AnalogyResult:
    """a is to b as c is to ? (3CosAdd on unit vectors, inputs excluded)."""
    words, _ = _parts(model)
    ia, ib, ic = (word_index(model, w) for w in (a, b, c))
    unit = _unit(model)
    target = unit[ib] - unit[ia] + unit[ic]
    answers = _top(unit @ target, words, _check_k(k), {ia, ib, ic})
    return AnalogyResult(a=words[ia], b=words[ib], c=words[ic], answers=answers, model=model.name)


def similarity(model: Any, word1: str, word2: str) -> WordSimilarity:
    words, _ = _parts(model)
    i, j = word_index(model, word1), word_index(model, word2)
    unit = _unit(model)
    return WordSimilarity(word1=words[i], word2=words[j], similarity=float(unit[i] @ unit[j]), model=model.name)


def complete(model: Any, prefix: str, limit: int = 20) -> list[str]:
    """Vocabulary words starting with `prefix` (case-insensitive), most frequent first."""
    words, _ = _parts(model)
    p = str(prefix).strip().lower()
    if not p:
        return []
    return [w for w in words if w.lower().startswith(p)][:max(0, limit)]


def slide(model: Any, word: str, top: int = 10) -> Word2VecSlide:
    """one_hot(word) @ W1 = h; scores = h @ W2; softmax over the vocabulary; the `top` best words."""
    words, w1 = _parts(model)
    out = getattr(model, "output_vectors", None)
    if out is None:
        raise ModelError(f"model '{model.name}' has no output vectors (W2), so it cannot show the whole slide.")
    i = word_index(model, word)
    h = w1[i].copy()
    w2 = np.asarray(out, dtype=np.float32).T
    scores = h @ w2
    e = np.exp(scores - scores.max())
    probs = (e / e.sum()).astype(np.float32)
    best = _top(probs, words, min(_check_k(top), len(words)), set())
    return Word2VecSlide(word=words[i], index=i, words=tuple(words), w1=w1, hidden=h, w2=w2,
                         scores=scores.astype(np.float32), probs=probs, top=best, model=model.name)
