"""How a template fills its free slots: at random (`UNIFORM`) or from the facts of a small world (`WORLD`).

Every template of the grammar takes a `random.Random` and a cast. The uniform cast draws every
free word independently (the English-French corpus uses it, unchanged since it was made). The
world cast is the monolingual corpus's (`builtin:grammar`): the sixteen named people are
characters with facts of their own (john has a home country, owns one pet, wears one colour, has
one mood, finds one thing in one place, visits one friend, ...), and each (male, female) pair,
animal, month and thing has its own words too. Cities, numbers and days stay free: tied to people
they would bend the directions and neighbourhoods word2vec learns from the same corpus. A masked
word is then a fact the context implies (a masked-language model can learn it, as BERT learns
facts from text), while the tense, time word, number and template still vary. A (male, female) pair shares
its facts, so the gender direction word2vec learns stays the same for every pair.

    cast.person(rng)                       -> Person   someone to talk about
    cast.person_for(rng, slot, value, opts)-> Person   someone whose `slot` fact is `value`, or else the one
                                                       person `value` goes with (uniform: anyone)
    cast.pick(rng, key, slot, options)     -> word     a free word (uniform: a random one)
    cast.keep(key, slot, value, options)   -> word     a word already drawn (uniform: that word)
    cast.chance(rng, key, slot, p)         -> bool     a free yes/no (uniform: with probability p)
    cast.two(rng, options)                 -> (a, b)   two different words (uniform: a random pair)
    cast.visit(key, city)                  -> word     whom key visits: a named friend (uniform: `city`)
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

from engine.data.corpora.lexicon import FEMALE_NAMES, GENDER_PAIRS, MALE_NAMES
from engine.data.corpora.structures import NP

NAMES = MALE_NAMES + FEMALE_NAMES


@dataclass(frozen=True)
class Person:
    """A named person: the noun phrase, the pronoun that refers back, and the key of their facts."""

    np: NP
    pron: str
    generic: str
    key: str


def named(name: str) -> Person:
    male = name in MALE_NAMES
    return Person(NP(name, det=""), "he" if male else "she", "man" if male else "woman", name)


class UniformCast:
    """Every free word drawn independently (the draws and their order are the templates' originals)."""

    free_travel = True       # flights between random cities (the world cast has none: they would stay unpredictable)

    def person(self, rng: random.Random) -> Person:
        if rng.random() < 0.5:
            return named(rng.choice(MALE_NAMES))
        return named(rng.choice(FEMALE_NAMES))

    def person_for(self, rng: random.Random, slot: str, value: str, options) -> Person:
        return self.person(rng)

    def pick(self, rng: random.Random, key: str, slot: str, options):
        return rng.choice(options)

    def keep(self, key: str, slot: str, value, options):
        return value

    def chance(self, rng: random.Random, key: str, slot: str, p: float) -> bool:
        return rng.random() < p

    def two(self, rng: random.Random, options) -> tuple:
        return tuple(rng.sample(options, 2))

    def visit(self, key: str, city: str) -> str:
        return city


class WorldCast(UniformCast):
    """Free words are facts of the thing they are about (`fact`); people are the named characters."""

    free_travel = False

    def person_for(self, rng: random.Random, slot: str, value: str, options) -> Person:
        who = [n for n in NAMES if fact(n, slot, options) == value]
        return named(rng.choice(who)) if who else named(fact(repr(value), slot + "/by", NAMES))

    def pick(self, rng: random.Random, key: str, slot: str, options):
        return fact(key, slot, options)

    def keep(self, key: str, slot: str, value, options):
        return fact(key, slot, options)

    def chance(self, rng: random.Random, key: str, slot: str, p: float) -> bool:
        return _hash(f"{key}/{slot}") % 100 < p * 100

    def two(self, rng: random.Random, options) -> tuple:
        i = rng.randrange(len(options))
        return options[i], options[(i + 1) % len(options)]

    def visit(self, key: str, city: str) -> str:
        """Whom `key` visits: a named friend of theirs (a city tied to a person, and not to its
        country and nationality as well, would bend word2vec's country-nationality direction)."""
        friend = fact(key, "friend", NAMES)
        return friend if friend != key else NAMES[(NAMES.index(key) + 1) % len(NAMES)]


UNIFORM = UniformCast()
WORLD = WorldCast()


def fact(key: str, slot: str, options):
    """The `slot` fact of `key` among `options`: fixed, and different for the first len(options) keys."""
    order = _shuffled(tuple(options), slot)
    return order[_rank(key, slot) % len(order)]


@cache
def _shuffled(options: tuple, slot: str) -> tuple:
    out = list(options)
    random.Random(slot).shuffle(out)
    return tuple(out)


_RANK = {**{n: i for i, n in enumerate(NAMES)}, **{m: i for i, (m, _) in enumerate(GENDER_PAIRS)},
         **{f: i for i, (_, f) in enumerate(GENDER_PAIRS)}}


def _rank(key: str, slot: str) -> int:
    return _RANK[key] if key in _RANK else _hash(f"{key}/{slot}")


def _hash(text: str) -> int:
    import hashlib

    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest(), "big")
