"""The built-in grammar: a deterministic stream of structured sentences over many topics.

    sentences(n_words, seed)       -> list[Sentence]   structures (render them as you need)
    english_lines(n_words, seed)   -> list[str]        one English sentence per line
    parallel_lines(n_words, seed)  -> list[(english, toy)]   the toy language (a lesson on word order)

English-French translation pairs come from `en_fr.py` (real French, `french.py`), not from here.

The same seed always gives the same sentences (Python's `random.Random`, no global state).
The templates fill their free words from the world cast (`cast.WORLD`: named characters with
facts of their own), so a masked word is mostly implied by its sentence; the English-French
corpus draws the same templates with the uniform cast.
"""
from __future__ import annotations

import random
from collections.abc import Callable

from engine.data.corpora import english
from engine.data.corpora import templates_people as people
from engine.data.corpora import templates_world as world
from engine.data.corpora.cast import WORLD
from engine.data.corpora.structures import Sentence

# (template, weight): how often each topic appears.
TOPICS: tuple[tuple[Callable[[random.Random], Sentence], int], ...] = (
    (people.royal, 10), (people.family, 9), (people.names, 6), (people.gendered_job, 6), (people.profession, 7),
    (world.geography, 16), (world.animals, 10), (world.food, 7), (world.colours, 6), (world.numbers, 6),
    (world.seasons, 5), (world.tenses, 12), (world.comparisons, 10),
)


def _stream(seed: int):
    rng = random.Random(seed)
    funcs = [f for f, _ in TOPICS]
    weights = [w for _, w in TOPICS]
    while True:
        for template in rng.choices(funcs, weights, k=256):
            yield template(rng, WORLD)


def sentences(n_words: int, seed: int = 0) -> list[Sentence]:
    """Sentences until their English renderings hold at least `n_words` words."""
    out: list[Sentence] = []
    total = 0
    for s in _stream(seed):
        out.append(s)
        total += len(english.render(s).split())
        if total >= n_words:
            return out
    return out


def english_lines(n_words: int, seed: int = 0) -> list[str]:
    """At least `n_words` words of English, one sentence per line."""
    lines: list[str] = []
    total = 0
    for s in _stream(seed):
        line = english.render(s)
        lines.append(line)
        total += line.count(" ") + 1
        if total >= n_words:
            return lines
    return lines


def parallel_lines(n_words: int, seed: int = 0) -> list[tuple[str, str]]:
    """(English, toy language) pairs of the same sentences, at least `n_words` English words."""
    from engine.data.corpora import toylang

    return [(english.render(s), toylang.render(s)) for s in sentences(n_words, seed)]
