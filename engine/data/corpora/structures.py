"""Sentences of the built-in grammar as structured objects, before any language renders them.

A `Sentence` is one or two `Clause`s; a clause has a subject, a verb lemma with a tense, and
optional object, complement and adjuncts. Nouns carry their number, so the English renderer
(`english.py`), the French one (`french.py`) and the toy second language (`toylang.py`) can each
inflect and order words their own way: the same structure feeds word2vec, masked-LM, GPT and the
English-French translation corpus.

A clause may be negated ("does not eat", "ne mange pas") or a yes/no question ("does she eat",
"est-ce qu'elle mange"); a noun phrase may carry a relative clause whose subject or object is
the gap `GAP` ("the man who eats bread", "the apple that the queen ate").
"""
from __future__ import annotations

from dataclasses import dataclass

TENSES = ("present", "past", "future", "progressive")


@dataclass(frozen=True)
class NP:
    """A noun phrase: `det adjs head pps` in English. `head` is a lemma (noun, name or pronoun).

    det: "the" | "a" | "" | "this" | "every" | "poss" (possessive of `owner`) | a number word.
    """

    head: str
    plural: bool = False
    det: str = "the"
    adjs: tuple[str, ...] = ()
    pps: tuple[PP, ...] = ()
    owner: str = ""                 # pronoun lemma whose possessive is the determiner (det="poss")
    rel: Clause | None = None     # relative clause; its subject or object is GAP (the noun itself)


@dataclass(frozen=True)
class PP:
    """A prepositional phrase: `prep obj` ("in the kingdom", "of france")."""

    prep: str
    obj: NP


@dataclass(frozen=True)
class Clause:
    """`subject verb [object] [complement] [adjuncts]`, verb a lemma ("be" for copulas).

    complement: an adjective (str) or NP after "be"; `than` makes a comparison ("bigger than X");
    `that` embeds a clause ("he said that ..."); `time` is a leading adverb ("yesterday").
    """

    subject: NP
    verb: str
    tense: str = "present"
    obj: NP | None = None
    complement: str | NP | None = None
    than: NP | None = None
    adjuncts: tuple[PP, ...] = ()
    that: Clause | None = None
    time: str = ""
    negated: bool = False           # "does not eat" / "ne mange pas"
    question: bool = False          # "does she eat" / "est-ce qu'elle mange" (a main clause only)


GAP = NP("_", det="")               # the relativised noun's place inside its relative clause


def is_gap(np_: NP | None) -> bool:
    return np_ is not None and np_.head == GAP.head


@dataclass(frozen=True)
class Sentence:
    """One sentence: clauses joined by `conj` ("and", "but", "because") and its topic (template name)."""

    clauses: tuple[Clause, ...]
    topic: str
    conj: str = "and"
