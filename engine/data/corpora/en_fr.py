"""English–French sentence pairs from the built-in grammar: one structure, two renderers.

    sentences(seed)             -> endless deterministic stream of `Sentence`s
    pairs(n_pairs, seed)        -> list[(english, french)], `n_pairs` distinct English sentences

The stream mixes the word2vec grammar's topics (royals, families, geography, animals, food,
colours, numbers, seasons, tenses, comparisons: `grammar.TOPICS`) with the translation templates
(`templates_nmt.TEMPLATES`: identity, actions, motion, pronouns, relatives, negation, questions).
Now and then two sentences are joined by "and" ("et"): the short joins are ordinary training
sentences; sentences of `LONG_FROM` to `MAX_WORDS` English words (joins, and some two-clause
templates) make the test split's length-generalisation bucket, thinned to `LONG_KEEP` % by a hash
so that it stays a small part of the test split. One English sentence always has one French
translation (the renderers are functions of the structure, and no two structures the templates
make read alike in English). The first pairs are the lecture's examples (`LECTURE`).
"""
from __future__ import annotations

import random
from collections.abc import Iterator

from engine.data.corpora import english, french, grammar, templates_nmt
from engine.data.corpora.structures import NP, Clause, Sentence
from engine.data.parallel import n_words, stable_hash

JOIN_RATE = 0.02               # how often two sentences are joined into one
MAX_WORDS = 25                 # longer English sentences are left out
LONG_FROM = 16                 # sentences of this many English words or more: the length-generalisation bucket
LONG_KEEP = 30                 # percent of the long sentences kept (by a hash of the English)
OLD_TOPICS_RATE = 0.4          # how often a sentence comes from the word2vec grammar's topics

# The lecture's example and the issue's, first in every corpus (and kept in training).
LECTURE = (
    Sentence((Clause(NP("i"), "be", "present", complement=NP("student", det="a")),), "lecture"),
    Sentence((Clause(NP("queen"), "eat", "progressive", obj=NP("apple", det="a")),), "lecture"),
)


def _joinable(a: Sentence, b: Sentence) -> bool:
    """Joining keeps every pronoun next to what it refers to, and one conjunction ("and") for all."""
    if a.conj != "and" or b.conj != "and" or any(c.question for c in a.clauses + b.clauses):
        return False
    return b.clauses[0].subject.head not in ("it", "they") and a.clauses[0].subject.head != "it"


def sentences(seed: int = 0) -> Iterator[Sentence]:
    """The lecture's examples, then an endless stream of sentences (the same for the same seed)."""
    yield from LECTURE
    rng = random.Random(seed)
    old = [f for f, _ in grammar.TOPICS], [w for _, w in grammar.TOPICS]
    new = [f for f, _ in templates_nmt.TEMPLATES], [w for _, w in templates_nmt.TEMPLATES]

    def one() -> Sentence:
        funcs, weights = old if rng.random() < OLD_TOPICS_RATE else new
        return rng.choices(funcs, weights)[0](rng)

    while True:
        s = one()
        if rng.random() < JOIN_RATE:
            other = one()
            if _joinable(s, other):
                s = Sentence(s.clauses + other.clauses, "joined", "and")
        yield s


def _keep(english_text: str) -> bool:
    """At most MAX_WORDS words; a long sentence only for LONG_KEEP % of hashes (the bucket stays small)."""
    n = n_words(english_text)
    if n > MAX_WORDS:
        return False
    return n < LONG_FROM or stable_hash(english_text) % 100 < LONG_KEEP


def pairs(n_pairs: int, seed: int = 0) -> list[tuple[str, str]]:
    """(english, french) for the first `n_pairs` distinct English sentences of the stream."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for s in sentences(seed):
        en = english.render(s)
        if en in seen or not _keep(en):
            continue
        seen.add(en)
        out.append((en, french.render(s)))
        if len(out) >= n_pairs:
            break
    return out
