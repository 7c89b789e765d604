"""A toy second language for translation corpora, rendered from the same structures as English.

It differs from English where translation gets interesting: subject-object-verb order,
adjectives and determiners after the noun, postpositions instead of prepositions, a plural
suffix and tense suffixes on the verb. Its words are made-up syllables derived from the
English lemma by a fixed hash, so the lexicon is deterministic and needs no table.
"""
from __future__ import annotations

import zlib
from functools import cache

from engine.data.corpora.lexicon import PRONOUNS
from engine.data.corpora.structures import NP, PP, Clause, Sentence

CONSONANTS = "ptkmnslrvbdgfz"
VOWELS = "aeiou"
PLURAL_SUFFIX = "en"
TENSE_SUFFIX = {"present": "", "past": "ta", "future": "ko", "progressive": "ri"}


@cache
def word(lemma: str) -> str:
    """The toy-language word of an English lemma: 2-3 consonant-vowel syllables."""
    h = zlib.crc32(lemma.encode("utf-8"))
    n = 2 + (h & 1) if len(lemma) > 3 else 2
    h >>= 1
    out = []
    for _ in range(n):
        out.append(CONSONANTS[h % len(CONSONANTS)])
        h //= len(CONSONANTS)
        out.append(VOWELS[h % len(VOWELS)])
        h //= len(VOWELS)
    return "".join(out)


def noun_phrase(np_: NP) -> list[str]:
    """noun(+plural) adjectives determiner/possessor, then its postpositional phrases."""
    if np_.head in PRONOUNS:
        return [word("pron-" + np_.head)]
    words = [word(np_.head) + (PLURAL_SUFFIX if np_.plural else "")]
    words += [word(a) for a in np_.adjs]
    if np_.det == "poss":
        words.append(word("poss-" + np_.owner))
    elif np_.det in ("a", "an"):
        words.append(word("det-a"))
    elif np_.det:
        words.append(word(np_.det))
    for pp in np_.pps:
        words += post_phrase(pp)
    return words


def post_phrase(pp: PP) -> list[str]:
    return [*noun_phrase(pp.obj), word("prep-" + pp.prep)]


def clause(c: Clause) -> list[str]:
    words = [word(c.time)] if c.time else []
    words += noun_phrase(c.subject)
    if c.obj is not None:
        words += noun_phrase(c.obj)
    for pp in c.adjuncts:
        words += post_phrase(pp)
    if c.than is not None:
        words += [*noun_phrase(c.than), word("than")]
    if isinstance(c.complement, NP):
        words += noun_phrase(c.complement)
    elif c.complement:
        words.append(word(c.complement))
    words.append(word("verb-" + c.verb) + TENSE_SUFFIX[c.tense])
    if c.that is not None:
        words += [word("that"), *clause(c.that)]
    return words


def render(sentence: Sentence) -> str:
    """One line of the toy language: words separated by single spaces."""
    parts: list[str] = []
    for i, c in enumerate(sentence.clauses):
        if i:
            parts.append(word("conj-" + sentence.conj))
        parts.extend(clause(c))
    return " ".join(parts)
