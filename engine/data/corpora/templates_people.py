"""Sentence templates about people: royals, families, names, gendered jobs and professions.

Every template takes a `random.Random` and a cast (`cast.py`: how the free words are drawn) and
returns a `Sentence`. Gender shows only through the
pronouns and possessives that agree with the subject, and through "is a man / is a woman", so
word2vec can learn one gender direction shared by every pair (man:woman :: king:queen).
"""
from __future__ import annotations

import random

from engine.data.corpora.cast import UNIFORM, Person, UniformCast
from engine.data.corpora.lexicon import (
    COUNTRIES,
    FAMILY,
    GENDERED_JOBS,
    HOME_THINGS,
    MOODS,
    PAIR_CONTEXT,
    PEOPLE,
    PROFESSIONS,
    ROYALS,
)
from engine.data.corpora.structures import NP, PP, Clause, Sentence

JOB_PLACES = {"actor": ("theatre", "film"), "waiter": ("restaurant", "table"), "policeman": ("station", "thief"),
              "monk": ("monastery", "prayer"), "wizard": ("tower", "spell"), "host": ("party", "guest")}
TIMES = {"present": ("", "usually", "often", "today"), "past": ("yesterday", "", "once"),
         "future": ("tomorrow", ""), "progressive": ("now", "")}


def tense_and_time(rng: random.Random) -> tuple[str, str]:
    tense = rng.choice(("present", "past", "past", "future", "progressive"))
    return tense, rng.choice(TIMES[tense])


def gendered(rng: random.Random, pairs) -> tuple[str, str, str]:
    """(noun, pronoun, generic) for a random member of a random (male, female) pair."""
    male, female = rng.choice(pairs)
    return (male, "he", "man") if rng.random() < 0.5 else (female, "she", "woman")


PARTNER = {w: pair for a, b in ROYALS + FAMILY + PEOPLE + GENDERED_JOBS for w, pair in ((a, (a, b)), (b, (a, b)))}


def pair_frames(rng: random.Random, noun: str, pron: str, topic: str, cast: UniformCast = UNIFORM) -> Sentence:
    """What only this (male, female) pair does: its own context words, and the pair together."""
    male, female = PARTNER[noun]
    things = PAIR_CONTEXT[male]
    if rng.random() < 0.6:
        tense, time = tense_and_time(rng)
        verb = cast.pick(rng, male, "pair-verb", ("love", "visit", "help"))
        return Sentence((Clause(NP(noun), verb, tense, obj=poss(cast.keep(male, verb, rng.choice(things), things), pron),
                                time=time),), topic)
    return Sentence((Clause(NP(male, pps=(PP("and", NP(female)),)), "love", "present",
                            obj=NP(cast.keep(male, "together", rng.choice(things), things), det="their")),), topic)


def poss(noun: str, owner: str, plural: bool = False) -> NP:
    return NP(noun, plural=plural, det="poss", owner=owner)


TRAITS = ("kind", "brave", "polite")
LOST = ("key", "ring", "hat", "coat", "map")
LOST_IN = ("hallway", "attic", "car", "street")


def _generic_frames(rng: random.Random, subj: NP, pron: str, generic: str, topic: str, key: str,
                    cast: UniformCast = UNIFORM) -> Sentence:
    """Frames every gendered person gets (so the gender direction is shared); `key` names whose facts
    fill them in the world cast (a name, or the male word of a pair, shared by both partners)."""
    k = rng.randrange(8)
    if k == 0:
        return Sentence((Clause(subj, "be", rng.choice(("present", "past")), complement=cast.pick(rng, key, "trait", TRAITS)),
                         Clause(NP(pron), "smile", "past")), topic)
    if k == 1:
        tense = rng.choice(("past", "present"))
        return Sentence((Clause(subj, "say", tense, that=Clause(NP(pron), "be", tense, complement=cast.pick(rng, key, "mood", MOODS))),),
                        topic)
    if k == 2:
        tense, time = tense_and_time(rng)
        return Sentence((Clause(subj, "love", "present", obj=poss(cast.pick(rng, key, "home", HOME_THINGS), pron)),), topic)
    if k >= 5:
        tense, time = tense_and_time(rng)
        verb = cast.pick(rng, key, "say", ("say", "think"))
        return Sentence((Clause(subj, verb, tense, that=Clause(NP(pron), "be", tense, complement=cast.pick(rng, key, "mood", MOODS))),
                         Clause(NP(pron), "call", tense, obj=poss("friend", pron))), topic)
    if k == 3:
        city = cast.visit(key, rng.choice(COUNTRIES)[1])
        tense, time = tense_and_time(rng)
        return Sentence((Clause(subj, "visit", tense, obj=NP(city, det=""), time=time),
                         Clause(NP(pron), "meet", tense, obj=poss("friend", pron, plural=cast.chance(rng, key, "friends", 0.5)))), topic)
    tense, time = tense_and_time(rng)
    return Sentence((Clause(subj, "find", tense, obj=poss(cast.pick(rng, key, "lost", LOST), pron),
                            adjuncts=(PP("in", NP(cast.pick(rng, key, "lost-in", LOST_IN))),), time=time),), topic)


def royal(rng: random.Random, cast: UniformCast = UNIFORM) -> Sentence:
    """Each royal pair rules its own domain, wears its own headwear and lives in its own residence."""
    noun, pron, generic = gendered(rng, ROYALS)
    male = PARTNER[noun][0]
    domain, headwear, residence = PAIR_CONTEXT[male]
    subj = NP(noun)
    k = rng.randrange(7)
    if k >= 5:
        return pair_frames(rng, noun, pron, "royal", cast)
    if k == 0:
        tense, time = tense_and_time(rng)
        return Sentence((Clause(subj, "rule", tense, obj=NP(domain), time=time),
                         Clause(NP(pron), "live", tense, adjuncts=(PP("in", NP(residence)),))), "royal")
    if k == 1:
        tense, time = tense_and_time(rng)
        return Sentence((Clause(subj, "wear", tense, obj=poss(headwear, pron), time=time),), "royal")
    if k == 2:
        return Sentence((Clause(subj, "meet", "past", obj=poss("friend", pron, plural=cast.chance(rng, male, "friends", 0.5)),
                                adjuncts=(PP("in", poss(residence, pron)),)),), "royal")
    if k == 3:
        return Sentence((Clause(NP(cast.pick(rng, male, "famous-for", (domain, residence)), pps=(PP("of", subj),)), "be", "present",
                                complement=cast.pick(rng, male, "famous", ("famous", "beautiful", "grand"))),), "royal")
    return _generic_frames(rng, subj, pron, generic, "royal", male, cast)


FAMILY_WORDS = tuple(w for pair in FAMILY for w in pair)


def family(rng: random.Random, cast: UniformCast = UNIFORM) -> Sentence:
    noun, pron, generic = gendered(rng, PEOPLE if rng.random() < 0.35 else FAMILY)
    male = PARTNER[noun][0]
    subj = NP(noun, det=rng.choice(("the", "the", "poss")), owner=rng.choice(("he", "she", "i", "we")))
    k = rng.randrange(6)
    if k >= 4:
        return pair_frames(rng, noun, pron, "family", cast)
    if k == 0:
        other = cast.keep(male, "helps", gendered(rng, FAMILY)[0], FAMILY_WORDS)
        tense, time = tense_and_time(rng)
        return Sentence((Clause(subj, "help", tense, obj=poss(other, pron), time=time),), "family")
    if k == 1:
        tense, time = tense_and_time(rng)
        return Sentence((Clause(subj, "cook", tense, obj=NP(cast.pick(rng, male, "cooks", ("dinner", "lunch", "soup"))),
                                adjuncts=(PP("for", poss(PAIR_CONTEXT[male][0], pron)),), time=time),), "family")
    return _generic_frames(rng, subj, pron, generic, "family", male, cast)


def names(rng: random.Random, cast: UniformCast = UNIFORM) -> Sentence:
    who: Person = cast.person(rng)
    return _generic_frames(rng, who.np, who.pron, who.generic, "names", who.key, cast)


def gendered_job(rng: random.Random, cast: UniformCast = UNIFORM) -> Sentence:
    male, female = rng.choice(GENDERED_JOBS)
    noun, pron, generic = (male, "he", "man") if rng.random() < 0.5 else (female, "she", "woman")
    place, thing = JOB_PLACES[male]
    if rng.random() < 0.4:
        tense, time = tense_and_time(rng)
        return Sentence((Clause(NP(noun), "work", tense, adjuncts=(PP("at", NP(place)),), time=time),
                         Clause(NP(pron), "love", "present", obj=NP(thing, det="", plural=True))), "jobs")
    return _generic_frames(rng, NP(noun), pron, generic, "jobs", male, cast)


PROFESSION_NAMES = tuple(p for p, _, _ in PROFESSIONS)


def profession(rng: random.Random, cast: UniformCast = UNIFORM) -> Sentence:
    """In the world cast each profession is one named person's job (john is the doctor)."""
    prof, place, things = rng.choice(PROFESSIONS)
    many = rng.random() < 0.4
    subj = NP(prof, plural=many, det=rng.choice(("the", "the", "two", "three")) if many else "the")
    k = rng.randrange(8)
    if k == 6:
        who = cast.person_for(rng, "job", prof, PROFESSION_NAMES).np
        return Sentence((Clause(who, "go", rng.choice(("past", "future")), adjuncts=(PP("to", NP(place)),)),
                         Clause(NP("it", det=""), "close", "present", adjuncts=(PP("at", NP("nine", det="")),))), "professions")
    if k == 7:
        return Sentence((Clause(subj, "say", "past", that=Clause(NP(place), "be", "past",
                                                                 complement=cast.pick(rng, place, "state", ("full", "busy", "empty")))),),
                        "professions")
    if k == 4:
        return Sentence((Clause(NP(place), "be", "present",
                                complement=NP("place", det="a", adjs=(cast.pick(rng, place, "kind", ("busy", "modern", "noisy")),))),),
                        "professions")
    if k == 5:
        return Sentence((Clause(NP(place), "have", "present", obj=NP(things, det="many")),), "professions")
    tense, time = tense_and_time(rng)
    if k == 0:
        return Sentence((Clause(subj, "work", tense, adjuncts=(PP("at", NP(place)),), time=time),), "professions")
    if k == 1:
        return Sentence((Clause(subj, "work", tense, adjuncts=(PP("with", NP(things, det="")),), time=time),), "professions")
    if k == 2:
        who = cast.person_for(rng, "job", prof, PROFESSION_NAMES)
        return Sentence((Clause(who.np, "be", "present", complement=NP(prof, det="a")),
                         Clause(NP(who.pron), "work", tense, adjuncts=(PP("at", NP(place, det="a")),), time=time)), "professions")
    city = rng.choice(COUNTRIES)[1]               # free in every cast (see templates_world.geography)
    return Sentence((Clause(NP(place, pps=(PP("of", NP(city, det="")),)), "need", "present", obj=NP(prof, det="a")),), "professions")
