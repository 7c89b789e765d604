"""Render grammar structures (`structures.py`) as lowercase English text."""
from __future__ import annotations

from functools import lru_cache

from engine.data.corpora.lexicon import PRONOUNS, plural, verb_forms
from engine.data.corpora.structures import NP, PP, Clause, Sentence


@lru_cache(maxsize=1)
def _verbs() -> dict[str, tuple[str, str, str, str]]:
    return verb_forms()


def noun_phrase(np_: NP, case: str = "subject") -> list[str]:
    """Words of a noun phrase; pronouns take their subject or object form."""
    if np_.head in PRONOUNS:
        subj, obj, _, _ = PRONOUNS[np_.head]
        return [subj if case == "subject" else obj]
    words: list[str] = []
    if np_.det == "poss":
        words.append(PRONOUNS[np_.owner][2])
    elif np_.det == "a":
        words.append("an" if (np_.adjs[0] if np_.adjs else np_.head)[0] in "aeiou" else "a")
    elif np_.det:
        words.append(np_.det)
    words.extend(np_.adjs)
    words.append(plural(np_.head) if np_.plural else np_.head)
    for pp in np_.pps:
        words.extend(prep_phrase(pp))
    return words


def prep_phrase(pp: PP) -> list[str]:
    return [pp.prep, *noun_phrase(pp.obj, "object")]


def _is_plural(np_: NP) -> bool:
    """Plural pronoun or noun, or two nouns joined by "and"."""
    if np_.head in PRONOUNS:
        return PRONOUNS[np_.head][3]
    return np_.plural or any(pp.prep == "and" for pp in np_.pps)


def verb_group(verb: str, tense: str, subject: NP) -> list[str]:
    """The conjugated verb: "walks", "walked", "will walk", "is walking" (agreeing with the subject)."""
    base, third, past, ing = _verbs()[verb]
    many = _is_plural(subject)
    first = subject.head == "i"
    you = subject.head == "you"
    if verb == "be":
        if tense == "past":
            return ["were" if many or you else "was"]
        if tense == "future":
            return ["will", "be"]
        return ["am" if first else "are" if many or you else "is"]
    if tense == "past":
        return [past]
    if tense == "future":
        return ["will", base]
    if tense == "progressive":
        return ["am" if first else "are" if many or you else "is", ing]
    return [base if many or first or you else third]


def clause(c: Clause) -> list[str]:
    words: list[str] = [c.time] if c.time else []
    words += noun_phrase(c.subject, "subject")
    words += verb_group(c.verb, c.tense, c.subject)
    if c.obj is not None:
        words += noun_phrase(c.obj, "object")
    if isinstance(c.complement, NP):
        words += noun_phrase(c.complement, "object")
    elif c.complement:
        words.append(c.complement)
    if c.than is not None:
        words += ["than", *noun_phrase(c.than, "object")]
    for pp in c.adjuncts:
        words += prep_phrase(pp)
    if c.that is not None:
        words += ["that", *clause(c.that)]
    return words


def render(sentence: Sentence) -> str:
    """One line of English, lowercase, words separated by single spaces, no punctuation."""
    parts: list[str] = []
    for i, c in enumerate(sentence.clauses):
        if i:
            parts.append(sentence.conj)
        parts.extend(clause(c))
    return " ".join(parts)
