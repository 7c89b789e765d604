"""Analogy-test accuracy of word vectors (3CosAdd, as word2vec's questions-words.txt test):
"a is to b as c is to d" is right when d is the nearest word to b - a + c, inputs excluded."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from engine.errors import InputError
from engine.records.words import AnalogyScore

ANALOGIES_FILE = Path(__file__).resolve().parents[1] / "data" / "corpora" / "grammar_analogies.txt"
Question = tuple[str, str, str, str, str]          # (section, a, b, c, d): a is to b as c is to d


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (zero rows stay zero), float32."""
    v = np.asarray(vectors, dtype=np.float32)
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)



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
