"""Queries on word vectors (any model that provides "word-vectors": `words`, `vectors` (V, D),
and for the slide `output_vectors` (V, D)): nearest neighbours, analogies, similarity,
vocabulary completion, the lecture's one-hot x W1 slide, and analogy-test accuracy. numpy only.
"""
from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from engine.errors import InputError, ModelError
from engine.records.words import AnalogyResult, AnalogyScore, Neighbors, Word2VecSlide, WordScore, WordSimilarity

ANALOGIES_FILE = Path(__file__).resolve().parents[1] / "data" / "corpora" / "grammar_analogies.txt"
Question = tuple[str, str, str, str, str]          # (section, a, b, c, d): a is to b as c is to d


def _parts(model: Any) -> tuple[list[str], np.ndarray]:
    if "word-vectors" not in getattr(model, "provides", ()):
        raise ModelError(f"model '{getattr(model, 'name', model)}' has no word vectors; use word2vec or a word2vec run.")
    return list(model.words), np.asarray(model.vectors, dtype=np.float32)


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (zero rows stay zero), float32."""
    v = np.asarray(vectors, dtype=np.float32)
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


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
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else "; check the spelling or train on a corpus that has it."
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


def read_analogies(path: str | Path) -> list[Question]:
    """questions-words.txt format: ': section' lines, then 'a b c d' (a is to b as c is to d)."""
    out: list[Question] = []
    section = ""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the analogy file {path} ({exc.strerror or exc}).") from None
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(":"):
            section = line[1:].strip()
            continue
        parts = line.lower().split()
        if len(parts) != 4:
            raise InputError(f"{path} line {n}: an analogy needs four words 'a b c d', got {line!r}.")
        out.append((section, *parts))
    return out


@lru_cache(maxsize=1)
def _builtin() -> tuple[Question, ...]:
    return tuple(read_analogies(ANALOGIES_FILE))


def builtin_analogies() -> list[Question]:
    """The analogies the built-in grammar is written to teach (grammar_analogies.txt)."""
    return list(_builtin())


def analogy_accuracy(words: list[str], vectors: np.ndarray, questions: list[Question],
                     chunk: int = 512) -> AnalogyScore:
    """3CosAdd accuracy over the questions whose four words are all in `words`."""
    index = {w: i for i, w in enumerate(words)}
    usable = [q for q in questions if all(w in index for w in q[1:])]
    unit = unit_rows(vectors)
    sections: dict[str, list[int]] = {}
    wrong = []
    correct = 0
    for start in range(0, len(usable), chunk):
        part = usable[start:start + chunk]
        ids = np.array([[index[w] for w in q[1:]] for q in part])
        target = unit[ids[:, 1]] - unit[ids[:, 0]] + unit[ids[:, 2]]
        scores = target @ unit.T
        rows = np.arange(len(part))
        for col in range(3):
            scores[rows, ids[:, col]] = -np.inf
        answer = scores.argmax(1)
        for q, got, want in zip(part, answer, ids[:, 3]):
            ok = bool(got == want)
            correct += ok
            tally = sections.setdefault(q[0], [0, 0])
            tally[0] += ok
            tally[1] += 1
            if not ok:
                wrong.append((q[1], q[2], q[3], q[4], words[got]))
    return AnalogyScore(correct=correct, total=len(usable), skipped=len(questions) - len(usable),
                        sections={k: (v[0], v[1]) for k, v in sections.items()}, wrong=tuple(wrong))
