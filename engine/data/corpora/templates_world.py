"""Sentence templates about the world: geography, animals, food, colours, numbers, time, verb
tenses and comparisons. Each takes a `random.Random` and a cast (`cast.py`: how the free words are
drawn) and returns a `Sentence`."""
from __future__ import annotations

import random

from engine.data.corpora.cast import UNIFORM, UniformCast
from engine.data.corpora.lexicon import (
    ADJECTIVE_NOUNS,
    ADJECTIVES,
    ANIMALS,
    COLOURS,
    COUNTRIES,
    DAYS,
    DISHES,
    DRINKS,
    FRUITS,
    MONTHS,
    NATURE_COLOURS,
    NUMBERS,
    ORDINALS,
    SEASON_OF_MONTH,
    TASTES,
    THINGS,
    VEGETABLES,
    VERBS,
    WEATHER,
)
from engine.data.corpora.structures import NP, PP, Clause, Sentence
from engine.data.corpora.templates_people import tense_and_time

MASS = {"fish", "grass", "hay", "meat", "cheese", "corn", "honey", "bread", "lettuce", "rice", "soup", "pasta",
        "salad", "truth", "money", "tuna", "flu", "maths"} | set(DRINKS)
CLOTHES = ("shirt", "dress", "hat", "coat", "scarf")


def _name(word: str) -> NP:
    return NP(word, det="")


def geography(rng: random.Random, cast: UniformCast = UNIFORM) -> Sentence:
    """In the world cast a named person speaks their home country's language, in its capital or in
    the country at random (as often beside one as the other: word2vec's capital-country direction
    stays straight); flights between random cities are the uniform cast's only."""
    place = rng.choice(COUNTRIES)
    country, capital, adj, language, continent = place
    k = rng.randrange(11)
    while k == 5 and not cast.free_travel:
        k = rng.randrange(11)
    if k == 9:
        who = cast.person(rng).np      # free: a person tied to a nationality alone would bend country-nationality
        return Sentence((Clause(who, "be", "present", complement=adj), Clause(who, "love", "present", obj=NP("food", det="", adjs=(adj,)))), "geography")
    if k == 10:
        return Sentence((Clause(NP("flag", pps=(PP("of", _name(country)),)), "be", "present", complement=NP("flag", det="an" if adj[0] in "aeiou" else "a", adjs=(adj,))),), "geography")
    if k == 0:
        return Sentence((Clause(_name(capital), "be", "present", complement=NP("capital", pps=(PP("of", _name(country)),))),), "geography")
    if k == 1:
        kind = rng.choice(("busy", "ancient", "lively"))
        return Sentence((Clause(_name(capital), "be", "present", complement=NP("city", det="a", adjs=(kind,)),
                                adjuncts=(PP("in", _name(country)),)),), "geography")
    if k == 2:
        return Sentence((Clause(_name(country), "be", "present", complement=NP("country", det="a"), adjuncts=(PP("in", _name(continent)),)),), "geography")
    if k == 3:
        tense, time = tense_and_time(rng)
        if rng.random() < 0.5:
            who = NP("person", plural=True, det="")      # speak and speaks
        else:
            p = cast.person(rng)
            who = p.np
            country, capital, adj, language, continent = cast.keep(p.key, "home", place, COUNTRIES)
        return Sentence((Clause(who, "speak", tense, obj=_name(language),
                                adjuncts=(PP("in", _name(rng.choice((country, capital)))),), time=time),), "geography")
    if k == 4:
        return Sentence((Clause(NP("government", pps=(PP("of", _name(country)),)), "be", "present", adjuncts=(PP("in", _name(capital)),)),), "geography")
    if k == 5:
        who = cast.person(rng).np
        other = rng.choice(COUNTRIES)[1]
        tense, time = tense_and_time(rng)
        return Sentence((Clause(who, "fly", tense, adjuncts=(PP("from", _name(capital)), PP("to", _name(other))), time=time),),
                        "geography")
    if k == 6:
        return Sentence((Clause(_name(capital), "be", "present", complement=NP("city", det="a", adjs=(adj,))),), "geography")
    if k == 7:
        return Sentence((Clause(NP("person", plural=True, adjs=(adj,)), "live", "present", adjuncts=(PP("in", _name(country)),)),), "geography")
    what = rng.choice(("streets", "people", "markets", "museums"))
    return Sentence((Clause(NP(what[:-1] if what != "people" else "person", plural=True, pps=(PP("of", _name(capital)),)),
                            "be", "present", complement=rng.choice(("busy", "beautiful", "famous", "ancient"))),),
                    "geography")


def _food_np(word: str, rng: random.Random) -> NP:
    return NP(word, det="") if word in MASS else NP(word, plural=rng.random() < 0.6, det="" if rng.random() < 0.5 else "the")


ANIMAL_NAMES = tuple(a[0] for a in ANIMALS)


def animals(rng: random.Random, cast: UniformCast = UNIFORM) -> Sentence:
    """Every animal sentence names the animal with its own sound, food or home (singular or plural)."""
    animal, sound, food, home, size, speed = rng.choice(ANIMALS)
    many = rng.random() < 0.5
    det = rng.choice(NUMBERS[1:6]) if many and rng.random() < 0.5 else "the"
    subj = NP(animal, plural=many, det=det)
    k = rng.randrange(6)
    tense, time = tense_and_time(rng)
    if k == 0:
        return Sentence((Clause(subj, sound, tense, adjuncts=(PP("in", NP(home)),), time=time),), "animals")
    if k == 1:
        return Sentence((Clause(subj, "eat", tense, obj=_food_np(food, rng), time=time),), "animals")
    if k == 2:
        return Sentence((Clause(subj, "live", "present", adjuncts=(PP("in", NP(home, det="a", plural=False)),)),
                         Clause(NP("they" if many else "it"), "love", "present", obj=_food_np(food, rng))), "animals")
    if k == 3:
        return Sentence((Clause(subj, sound, tense, time=time), Clause(NP("they" if many else "it"), "eat", tense, obj=_food_np(food, rng))), "animals")
    if k == 4:
        return Sentence((Clause(subj, "be", "present", complement=NP("animal", det="an" if not many else "", plural=many),
                                adjuncts=(PP("from", NP(home)),)),), "animals")
    who = cast.person_for(rng, "pet", animal, ANIMAL_NAMES).np
    return Sentence((Clause(who, "feed", tense, obj=NP(animal, plural=many), adjuncts=(PP("with", _food_np(food, rng)),), time=time),), "animals")


def food(rng: random.Random, cast: UniformCast = UNIFORM) -> Sentence:
    """In the world cast a named person eats (or buys, cooks, sells) their own favourite of each kind."""
    group, items = rng.choice((("fruit", FRUITS), ("vegetable", VEGETABLES), ("dish", DISHES), ("drink", DRINKS)))
    item = rng.choice(items)
    k = rng.randrange(4)
    if k == 0 and group != "dish":
        return Sentence((Clause(NP(item, det="a" if item not in MASS else ""), "be", "present", complement=NP(group, det="a")),), "food")
    if k == 1:
        return Sentence((Clause(NP(item, plural=item not in MASS), "be", "present", complement=cast.pick(rng, item, "taste", TASTES)),),
                        "food")
    p = cast.person_for(rng, "likes-" + group, item, items)
    tense, time = tense_and_time(rng)
    verb = "drink" if group == "drink" else cast.pick(rng, p.key, "food-verb", ("eat", "buy", "cook", "sell"))
    who = p.np
    return Sentence((Clause(who, verb, tense, obj=_food_np(item, rng), time=time),), "food")


def colours(rng: random.Random, cast: UniformCast = UNIFORM) -> Sentence:
    """In the world cast a named person wears and paints in their own colour, and each thing has one."""
    colour = rng.choice(COLOURS)
    k = rng.randrange(5)
    if k == 0:
        thing, col = rng.choice(NATURE_COLOURS)
        return Sentence((Clause(NP(thing), "be", "present", complement=col),), "colours")
    if k == 1:
        return Sentence((Clause(_name(colour), "be", "present", complement=NP("colour", det="a")),), "colours")
    p = cast.person(rng)
    who = p.np
    tense, time = tense_and_time(rng)
    if k == 2:
        colour = cast.keep(p.key, "colour", colour, COLOURS)
        return Sentence((Clause(who, "wear", tense, obj=NP(cast.pick(rng, p.key, "clothes", CLOTHES), det="a", adjs=(colour,)), time=time),),
                        "colours")
    if k == 3:
        colour = cast.keep(p.key, "colour", colour, COLOURS)
        return Sentence((Clause(who, "paint", tense, obj=NP(cast.pick(rng, p.key, "paints", THINGS)), complement=colour, time=time),),
                        "colours")
    thing = rng.choice(THINGS)
    return Sentence((Clause(NP(thing, adjs=(cast.keep(thing, "colour", colour, COLOURS),)), "be", "present",
                            complement=cast.pick(rng, thing, "state", ("new", "clean", "dirty", "shiny"))),), "colours")


COUNTED = ("apple", "book", "coin", "egg", "flower", "ticket", "pencil", "candle")


def numbers(rng: random.Random, cast: UniformCast = UNIFORM) -> Sentence:
    """In the world cast a named person has their own thing; numbers and days stay free in every cast
    (tied to people they would stop being each other's nearest neighbours in word2vec)."""
    k = rng.randrange(4)
    if k == 0:
        a, b = rng.randrange(1, 12), rng.randrange(1, 12)
        op, result = ("plus", a + b) if a + b <= 12 else ("minus", a - b) if a > b else ("minus", b - a)
        a, b = (b, a) if op == "minus" and b > a else (a, b)
        if result == 0:
            return Sentence((Clause(_name(NUMBERS[a - 1]), "be", "present", complement=NP("number", det="a")),), "numbers")
        return Sentence((Clause(NP(NUMBERS[a - 1], det="", pps=(PP(op, _name(NUMBERS[b - 1])),)), "be", "present",
                                complement=NUMBERS[result - 1]),), "numbers")
    if k == 1:
        i = rng.randrange(12)
        return Sentence((Clause(_name(MONTHS[i]), "be", "present", complement=NP("month", adjs=(ORDINALS[i],))),), "numbers")
    if k == 2:
        i = rng.randrange(7)
        return Sentence((Clause(_name(DAYS[i]), "be", "present", complement=NP("day", adjs=(ORDINALS[i],), pps=(PP("of", NP("week")),))),), "numbers")
    p = cast.person(rng)
    who = p.np
    n = rng.randrange(2, 13)
    thing = cast.keep(p.key, "counts", rng.choice(COUNTED), COUNTED)
    tense, time = tense_and_time(rng)
    return Sentence((Clause(who, cast.pick(rng, p.key, "count-verb", ("have", "count", "buy")), tense, obj=NP(thing, plural=True, det=NUMBERS[n - 1]),
                            time=time),), "numbers")


def seasons(rng: random.Random, cast: UniformCast = UNIFORM) -> Sentence:
    """In the world cast each month has its weather, and a named person does their own hobby."""
    i = rng.randrange(12)
    season = SEASON_OF_MONTH[i]
    k = rng.randrange(4)
    if k == 0:
        return Sentence((Clause(NP("it", det=""), "be", "present", complement=cast.pick(rng, MONTHS[i], "weather", WEATHER[season]), adjuncts=(PP("in", _name(MONTHS[i])),)),), "time")
    if k == 1:
        return Sentence((Clause(_name(MONTHS[i]), "be", "present", adjuncts=(PP("in", _name(season)),)),), "time")
    p = cast.person(rng)
    verb = cast.keep(p.key, "hobby", rng.choice(VERBS), VERBS)
    tense, time = tense_and_time(rng)
    return Sentence((Clause(p.np, verb[0], tense, obj=NP(verb[4][0]) if verb[4] else None,
                            adjuncts=(PP("on", _name(rng.choice(DAYS))),), time=time),), "time")


VISITORS = ("child", "visitor", "tourist", "neighbour")


def tenses(rng: random.Random, cast: UniformCast = UNIFORM) -> Sentence:
    """The same verbs in every tense, with the time word that goes with it and two of the verb's own
    words (in the world cast: two neighbours in the verb's list, and the named person whose hobby it is)."""
    verb = rng.choice(VERBS)
    r = rng.random()
    if r < 0.4:
        subj = cast.person_for(rng, "hobby", verb, VERBS).np
    elif r < 0.8:
        subj = NP(rng.choice(("he", "she", "they", "we", "i", "you")))
    else:
        subj = NP(cast.keep(verb[0], "who", rng.choice(VISITORS), VISITORS), plural=rng.random() < 0.5)
    base, _, _, _, objects, places = verb
    tense, time = tense_and_time(rng)
    if objects:
        one, two = cast.two(rng, objects)
        obj = NP(one, det=_det(one), pps=(PP("and", NP(two, det=_det(two))),))
        return Sentence((Clause(subj, base, tense, obj=obj, time=time),), "tenses")
    one, two = cast.two(rng, places)
    return Sentence((Clause(subj, base, tense, adjuncts=(PP("from", NP(one)), PP("to", NP(two))), time=time),), "tenses")


def _det(noun: str) -> str:
    return "" if noun in MASS else "the" if noun.endswith("s") else "a"


def comparisons(rng: random.Random, cast: UniformCast = UNIFORM) -> Sentence:
    """The three degrees of an adjective around the nouns it describes: very big, bigger than, the biggest."""
    pos, comp, sup = rng.choice(ADJECTIVES)
    noun = rng.choice(ADJECTIVE_NOUNS[pos])
    k = rng.randrange(6)
    if k == 0:
        return Sentence((Clause(NP(noun), "be", rng.choice(("present", "past")), complement=pos),), "comparisons")
    if k == 1:
        return Sentence((Clause(NP(noun, adjs=(pos,)), "be", "present", adjuncts=(PP("near", NP(cast.pick(rng, noun, "near", ("town", "lake")))),)),), "comparisons")
    if k == 2:
        return Sentence((Clause(NP(noun, det="this"), "be", "present", complement=comp, than=NP(noun, det="that")),), "comparisons")
    if k == 3:
        return Sentence((Clause(NP(noun), "be", rng.choice(("present", "past")), complement=comp, than=NP("before", det="")),), "comparisons")
    if k == 4:
        return Sentence((Clause(NP("it", det=""), "be", "present", complement=NP(noun, adjs=(sup,), pps=(PP("of", NP("all", det="")),))),), "comparisons")
    return Sentence((Clause(NP(noun), "be", "present", complement=NP(noun, adjs=(sup,)), adjuncts=(PP("in", NP("world")),)),), "comparisons")
