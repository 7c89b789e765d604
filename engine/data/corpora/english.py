"""Render grammar structures (`structures.py`) as lowercase English text.

Besides statements: negation ("does not walk", "there is no cat"), yes/no questions ("does she
walk", "is there a cat"), relative clauses ("the man who eats bread", "the apple that she ate"),
object pronouns ("him") and the existential "there is".
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from engine.data.corpora.lexicon import PRONOUNS, plural, verb_forms
from engine.data.corpora.lexicon_nmt import EXTRA_VERBS, HUMANS, PARTICLES
from engine.data.corpora.structures import NP, PP, Clause, Sentence, is_gap

THERE = "there"                      # the existential subject: "there is a cat in the garden"


@lru_cache(maxsize=1)
def _verbs() -> dict[str, tuple[str, str, str, str]]:
    return {**EXTRA_VERBS, **verb_forms()}


def noun_phrase(np_: NP, case: str = "subject") -> list[str]:
    """Words of a noun phrase; pronouns take their subject or object form."""
    if np_.head in PRONOUNS:
        subj, obj, _, _ = PRONOUNS[np_.head]
        return [subj if case == "subject" else obj]
    if np_.head == THERE:
        return [THERE]
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
    if np_.rel is not None:
        words.extend(relative_clause(np_, np_.rel))
    return words


def prep_phrase(pp: PP) -> list[str]:
    return [pp.prep, *noun_phrase(pp.obj, "object")]


def relative_clause(antecedent: NP, c: Clause) -> list[str]:
    """"who eats bread" (the gap is the subject) or "that the queen ate" (the gap is the object)."""
    if is_gap(c.subject):
        who = "who" if antecedent.head in HUMANS else "that"
        return [who, *verb_group(c.verb, c.tense, antecedent, c.negated), *_rest(c)]
    return ["that", *clause(c)]


def _is_plural(np_: NP) -> bool:
    """Plural pronoun or noun, or two nouns joined by "and"."""
    if np_.head in PRONOUNS:
        return PRONOUNS[np_.head][3]
    return np_.plural or any(pp.prep == "and" for pp in np_.pps)


def _be(tense: str, subject: NP) -> str:
    many, you = _is_plural(subject), subject.head == "you"
    if tense == "past":
        return "were" if many or you else "was"
    return "am" if subject.head == "i" else "are" if many or you else "is"


def verb_group(verb: str, tense: str, subject: NP, negated: bool = False) -> list[str]:
    """The conjugated verb: "walks", "walked", "will walk", "is walking", "does not walk" (agreeing
    with the subject)."""
    base, third, past, ing = _verbs()[verb]
    nt = ["not"] if negated else []
    if verb == "be":
        if tense == "future":
            return ["will", *nt, "be"]
        return [_be(tense, subject), *nt]
    if tense == "future":
        return ["will", *nt, base]
    if tense == "progressive":
        return [_be("present", subject), *nt, ing]
    if negated:
        return ["did" if tense == "past" else _do(subject), "not", base]
    if tense == "past":
        return [past]
    return [base if _is_plural(subject) or subject.head in ("i", "you") else third]


def _do(subject: NP) -> str:
    return "do" if _is_plural(subject) or subject.head in ("i", "you") else "does"


def _question_verb(c: Clause, subject: NP) -> tuple[list[str], list[str]]:
    """(words before the subject, words after it): "does" | "walk", "is" | "walking", "will" | "be"."""
    group = verb_group(c.verb, c.tense, subject, c.negated)
    if c.verb != "be" and c.tense in ("present", "past") and not c.negated:
        base = _verbs()[c.verb][0]
        return ["did" if c.tense == "past" else _do(subject)], [base]
    return group[:1], group[1:]


def _agreement_subject(c: Clause) -> NP:
    """The noun the verb agrees with: the subject, or the noun after "there is"."""
    if c.subject.head == THERE and isinstance(c.complement, NP):
        return c.complement
    return c.subject


def _existential_no(c: Clause) -> bool:
    """A negated "there is a cat" reads "there is no cat"."""
    return c.subject.head == THERE and c.negated and not c.question and isinstance(c.complement, NP) \
        and c.complement.det in ("a", "")


def _rest(c: Clause) -> list[str]:
    """Everything after the verb: object, complement, comparison, adjuncts, "that" clause."""
    words: list[str] = []
    if c.obj is not None and not is_gap(c.obj):
        words += ([PARTICLES[c.verb]] if c.verb in PARTICLES else []) + noun_phrase(c.obj, "object")
    if isinstance(c.complement, NP):
        if _existential_no(c):
            words += ["no", *noun_phrase(replace(c.complement, det=""), "object")]
        else:
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


def clause(c: Clause) -> list[str]:
    agree = _agreement_subject(c)
    subject = noun_phrase(c.subject, "subject")
    if c.question:
        before, after = _question_verb(c, agree)
        return [*before, *subject, *after, *_rest(c)] + ([c.time] if c.time else [])
    verb = verb_group(c.verb, c.tense, agree, c.negated and not _existential_no(c))
    return ([c.time] if c.time else []) + subject + verb + _rest(c)


def render(sentence: Sentence) -> str:
    """One line of English, lowercase, words separated by single spaces, no punctuation."""
    parts: list[str] = []
    for i, c in enumerate(sentence.clauses):
        if i:
            parts.append(sentence.conj)
        parts.extend(clause(c))
    return " ".join(parts)
