"""Sentence templates for the English–French corpus: what translation needs beyond the word2vec
grammar — "i am a student", actions with objects and adjectives ("the queen is eating an apple"),
motion with être ("she went to the market"), negation, yes/no questions, relative clauses,
object pronouns, descriptions and comparisons, "there is", and two clauses joined by and / but /
because. Each takes a `random.Random` and returns a `Sentence`.
"""
from __future__ import annotations

import random

from engine.data.corpora import lexicon as lx
from engine.data.corpora.structures import GAP, NP, PP, Clause, Sentence

PEOPLE = [w for pair in lx.ROYALS + lx.FAMILY + lx.PEOPLE + lx.GENDERED_JOBS for w in pair]
JOBS = [p for p, _, _ in lx.PROFESSIONS]
OTHERS = ["child", "visitor", "tourist", "neighbour", "friend"]
RELATIVES = [w for pair in lx.FAMILY for w in pair]
SEVERAL = {"son", "daughter", "brother", "sister", "uncle", "aunt", "nephew", "niece"}   # "my sisters", not "my wives"
PRONOUN_SUBJECTS = ("i", "you", "he", "she", "we", "they")
PRONOUN_OF = {"m": "he", "f": "she"}
PLACES = ("market", "school", "park", "village", "town", "church", "library", "museum", "bakery", "hospital",
          "bank", "garden", "forest", "lake", "farm", "factory", "theatre", "restaurant", "castle", "palace",
          "airport", "university", "river")
ROOMS = ("garden", "kitchen", "forest", "park", "house", "village", "room", "car", "street", "library", "castle")
THINGS = lx.THINGS + ("book", "letter", "key", "coin", "wallet", "ring", "map", "lamp", "clock", "sofa", "table",
                      "boat", "picture", "newspaper", "flower")
PLURALS = {"gloves", "shoes"}          # plural in themselves
PETS = ("cat", "dog", "rabbit", "horse", "bird", "duck", "mouse", "goat")
MASS = {"bread", "cheese", "rice", "soup", "pasta", "salad", "water", "milk", "tea", "coffee", "juice", "wine",
        "honey"}
COUNT_FOOD = lx.FRUITS + ("carrot", "potato", "tomato", "onion", "cake", "pie", "sandwich", "egg")
OBJECTS = {  # verb -> what it takes
    "eat": COUNT_FOOD + ("bread", "cheese", "rice", "soup", "pasta", "salad"), "drink": lx.DRINKS,
    "buy": THINGS + COUNT_FOOD + ("shoes", "coat", "scarf"), "sell": THINGS + COUNT_FOOD,
    "cook": ("dinner", "lunch", "breakfast", "soup", "rice", "pasta", "cake"), "see": PETS + THINGS,
    "look": PETS + THINGS, "find": THINGS + PETS, "lose": ("key", "coin", "wallet", "ring", "map", "hat", "bag"),
    "read": ("book", "letter", "poem", "novel", "story", "newspaper"), "write": ("letter", "poem", "novel", "story"),
    "open": ("door", "window", "box", "parcel", "bag", "book"), "close": ("door", "window", "box", "book"),
    "wear": ("hat", "coat", "scarf", "shirt", "dress", "gloves", "shoes"),
    "build": ("house", "bridge", "tower", "boat", "shed"), "paint": ("house", "door", "chair", "boat", "picture"),
    "make": ("cake", "pie", "soup", "kite", "sandwich", "salad"), "take": ("train", "bus", "taxi", "photo"),
    "wait": ("train", "bus", "taxi"), "catch": ("ball", "butterfly", "thief", "bus"),
    "drive": ("car", "truck", "tractor", "van", "bus"), "hear": ("song", "bird", "dog", "storm", "melody"),
    "listen": ("song", "melody", "tune", "bird"), "want": THINGS + PETS + COUNT_FOOD,
    "have": THINGS + PETS, "choose": THINGS + ("dress", "hat", "shirt", "coat"), "love": PETS + THINGS,
    "feed": PETS, "play": ("game", "piano", "guitar", "football"),
}
PEOPLE_VERBS = ("know", "meet", "help", "call", "visit", "answer", "love", "see", "wait", "hear", "find")
THING_ADJS = lx.COLOURS + ("big", "small", "old", "new", "heavy", "beautiful", "clean", "dirty", "shiny")
PET_ADJS = ("big", "small", "old", "young", "black", "white", "brown", "grey", "fast", "slow", "beautiful")
FOOD_ADJS = lx.TASTES + ("big", "small", "red", "green", "yellow")
PERSON_ADJS = ("old", "young", "rich", "happy", "tall", "beautiful", "strong", "tired", "kind")
PERSON_STATES = lx.MOODS + ("old", "young", "rich", "happy", "tall", "kind", "brave", "polite", "strong", "hungry")
THING_STATES = lx.COLOURS + ("big", "small", "old", "new", "heavy", "clean", "dirty", "beautiful", "long", "short")
MOTION = ("go", "come", "arrive", "return")
TIME_OF = {"present": ("usually", "often", "today"), "past": ("yesterday", "once"), "future": ("tomorrow",),
           "progressive": ("now",)}


def _gender(noun: str) -> str:
    return "f" if noun in lx.FEMALE else "m"


def person(rng: random.Random, plural_ok: bool = True) -> tuple[NP, str]:
    """A person as a subject or object, and the pronoun that refers to it."""
    r = rng.random()
    if r < 0.2:
        name = rng.choice(lx.MALE_NAMES + lx.FEMALE_NAMES)
        return NP(name, det=""), PRONOUN_OF[_gender(name)]
    if r < 0.45:
        noun = rng.choice(JOBS + OTHERS)
        many = plural_ok and rng.random() < 0.35
        return NP(noun, plural=many, det=rng.choice(("the", "the", "a")) if not many else "the"), "they" if many else "he"
    if r < 0.65:
        noun = rng.choice(RELATIVES)
        many = plural_ok and noun in SEVERAL and rng.random() < 0.25
        owner = rng.choice(("i", "you", "he", "she", "we", "they"))
        return NP(noun, plural=many, det="poss", owner=owner), "they" if many else PRONOUN_OF[_gender(noun)]
    noun = rng.choice(PEOPLE)
    adjs = (rng.choice(PERSON_ADJS),) if rng.random() < 0.25 else ()
    return NP(noun, adjs=adjs), PRONOUN_OF[_gender(noun)]


def subject(rng: random.Random) -> tuple[NP, str]:
    if rng.random() < 0.3:
        pron = rng.choice(PRONOUN_SUBJECTS)
        return NP(pron), pron
    return person(rng)


def thing(rng: random.Random, noun: str, adjs_from=THING_ADJS) -> NP:
    """A thing with a determiner, sometimes plural, sometimes with one or two adjectives."""
    if noun in MASS:
        return NP(noun, det=rng.choice(("", "", "the")))
    plural = rng.random() < 0.3 and noun not in PLURALS
    det = rng.choice(("the", "", "two", "three")) if plural else rng.choice(("the", "a", "a", "poss", "this", "that"))
    k = rng.random()
    adjs: tuple[str, ...] = ()
    if k < 0.35:
        adjs = (rng.choice(adjs_from),)
    elif k < 0.45:
        size = rng.choice(("big", "small", "old", "beautiful"))
        adjs = (size, rng.choice([a for a in lx.COLOURS]))
    if noun in PLURALS:
        det = rng.choice(("the", "poss", ""))
    return NP(noun, plural=plural, det=det, adjs=adjs, owner=rng.choice(("i", "he", "she", "we", "they")))


def _modal(rng: random.Random, tense: str) -> tuple[bool, bool, str]:
    """(negated, question, time word)."""
    r = rng.random()
    negated, question = r < 0.25, 0.25 <= r < 0.4
    time = rng.choice(TIME_OF[tense]) if not question and rng.random() < 0.3 else ""
    return negated, question, time


STATIVE = {"have", "know", "want", "love", "need", "hear", "see"}      # no "is knowing" in English


def _tense(rng: random.Random, verb: str = "") -> str:
    return unambiguous(verb, rng.choice(("present", "present", "past", "past", "future", "progressive")))


def unambiguous(verb: str, tense: str) -> str:
    """No "is knowing" (a stative verb); no present "we read" (it reads like the past: one English
    sentence must have one French translation)."""
    if tense == "progressive" and verb in STATIVE:
        return "present"
    return "progressive" if verb == "read" and tense == "present" else tense


def identity(rng: random.Random) -> Sentence:
    """i am a student / she is not french / were they tired / will you be a doctor."""
    subj, pron = subject(rng)
    tense = rng.choice(("present", "present", "past", "future"))
    negated, question, time = _modal(rng, tense)
    many = pron in ("we", "they")
    k = rng.random()
    if k < 0.45:
        comp: str | NP = NP(rng.choice(JOBS), plural=many, det="" if many else "a")
    elif k < 0.65:
        comp = rng.choice(lx.COUNTRIES)[2]
    else:
        comp = rng.choice(PERSON_STATES)
    return Sentence((Clause(subj, "be", tense, complement=comp, negated=negated, question=question, time=time),),
                    "nmt-identity")


def _object_for(rng: random.Random, verb: str) -> NP:
    noun = rng.choice(OBJECTS[verb])
    adjs = FOOD_ADJS if noun in COUNT_FOOD else PET_ADJS if noun in PETS else THING_ADJS
    if verb in ("eat", "drink") and noun in MASS:
        return NP(noun, det=rng.choice(("", "", "the")))
    if verb == "play":
        return NP(noun, det="" if noun == "football" else "the" if noun != "game" else rng.choice(("a", "the")))
    return thing(rng, noun, adjs)


def _adjunct(rng: random.Random, verb: str) -> tuple[PP, ...]:
    r = rng.random()
    if r < 0.55:
        return ()
    if r < 0.75:
        return (PP(rng.choice(("in", "near")), NP(rng.choice(ROOMS))),)
    if r < 0.85 and verb not in ("wait", "listen", "look"):
        return (PP(rng.choice(("with", "for")), person(rng, plural_ok=False)[0]),)
    if r < 0.93:
        return (PP("on", NP(rng.choice(lx.DAYS), det="")),)
    return (PP("in", NP(rng.choice(lx.COUNTRIES)[rng.choice((0, 1))], det="")),)


def action(rng: random.Random) -> Sentence:
    """the queen is eating an apple / my brother did not buy the red car / does she drink tea."""
    subj, _ = subject(rng)
    verb = rng.choice(sorted(OBJECTS))
    tense = _tense(rng, verb)
    negated, question, time = _modal(rng, tense)
    obj = _object_for(rng, verb)
    adjuncts: tuple[PP, ...] = ()
    if verb == "feed":
        adjuncts = (PP("with", NP(rng.choice(("bread", "cheese", "rice", "honey")), det="")),)
    elif verb in ("buy", "sell", "make", "cook") and rng.random() < 0.2:
        adjuncts = (PP("for", person(rng, plural_ok=False)[0]),)
    else:
        adjuncts = _adjunct(rng, verb)
    return Sentence((Clause(subj, verb, tense, obj=obj, adjuncts=adjuncts, negated=negated, question=question,
                            time=time),), "nmt-action")


def giving(rng: random.Random) -> Sentence:
    """the king gave a gift to the queen / i will bring flowers to my mother."""
    subj, _ = subject(rng)
    tense = _tense(rng)
    negated, question, time = _modal(rng, tense)
    obj = thing(rng, rng.choice(("gift", "letter", "book", "flower", "cake", "key", "map", "newspaper")))
    to = person(rng)[0]
    return Sentence((Clause(subj, rng.choice(("give", "bring", "sell")), tense, obj=obj, adjuncts=(PP("to", to),),
                            negated=negated, question=question, time=time),), "nmt-giving")


def motion(rng: random.Random) -> Sentence:
    """she went to the market / my sisters arrived in paris / he left the house / we stayed in the garden."""
    subj, _ = subject(rng)
    tense = rng.choice(("past", "past", "present", "future", "progressive"))
    negated, question, time = _modal(rng, tense)
    k = rng.random()
    obj = None
    if k < 0.5:
        verb = rng.choice(MOTION)
        named = rng.random() < 0.3
        where = NP(rng.choice(lx.COUNTRIES)[rng.choice((0, 1))], det="") if named else NP(rng.choice(PLACES))
        prep = "from" if verb == "come" else ("in" if named else "at") if verb == "arrive" else "to"
        adjuncts: tuple[PP, ...] = (PP(prep, where),)
    elif k < 0.7:
        verb, adjuncts = rng.choice(("stay", "fall", "walk", "run", "swim", "sleep", "dance")), (PP("in", NP(rng.choice(ROOMS))),)
    elif k < 0.85:
        verb, adjuncts, obj = rng.choice(("leave", "enter")), (), NP(rng.choice(("house", "castle", "church", "school", "museum", "room", "library")))
    else:
        verb = rng.choice(("walk", "run", "fly", "travel"))
        adjuncts = (PP("from", NP(rng.choice(PLACES))), PP("to", NP(rng.choice(PLACES))))
    return Sentence((Clause(subj, verb, tense, obj=obj, adjuncts=adjuncts, negated=negated, question=question,
                            time=time),), "nmt-motion")


def pronoun_object(rng: random.Random) -> Sentence:
    """she saw him yesterday / we did not call them / i will help you / do you know her."""
    subj, pron = subject(rng)
    obj = rng.choice([p for p in ("i", "you", "he", "she", "we", "they") if p != pron])
    verb = rng.choice(PEOPLE_VERBS)
    tense = _tense(rng, verb)
    negated, question, time = _modal(rng, tense)
    return Sentence((Clause(subj, verb, tense, obj=NP(obj), negated=negated, question=question, time=time),),
                    "nmt-pronoun")


def people(rng: random.Random) -> Sentence:
    """the doctor knows my brother / did the queen answer the king."""
    subj, _ = subject(rng)
    verb = rng.choice(PEOPLE_VERBS)
    tense = _tense(rng, verb)
    negated, question, time = _modal(rng, tense)
    return Sentence((Clause(subj, verb, tense, obj=person(rng)[0], negated=negated,
                            question=question, time=time),), "nmt-people")


def description(rng: random.Random) -> Sentence:
    """the big houses are old / the small red car is not new / my brother is taller than my sister."""
    tense = rng.choice(("present", "present", "past", "future"))
    negated, question, time = _modal(rng, tense)
    if rng.random() < 0.5:
        subj = thing(rng, rng.choice(THINGS + PETS))
        subj = NP(subj.head, subj.plural, "the" if subj.det in ("", "a") else subj.det, subj.adjs, owner=subj.owner)
        states = THING_STATES
    else:
        subj, _ = person(rng)
        states = PERSON_STATES
    if rng.random() < 0.3:
        _, comp, _ = rng.choice([a for a in lx.ADJECTIVES if a[0] in states or a[0] in ("fast", "slow", "strong")])
        other = person(rng)[0] if states is PERSON_STATES else NP(rng.choice(THINGS))
        return Sentence((Clause(subj, "be", tense, complement=comp, than=other, negated=negated, question=question),),
                        "nmt-description")
    return Sentence((Clause(subj, "be", tense, complement=rng.choice(states), negated=negated, question=question,
                            time=time),), "nmt-description")


def there_is(rng: random.Random) -> Sentence:
    """there is a cat in the garden / there are no books in the library / is there a doctor in the village."""
    noun = rng.choice(PETS + THINGS + tuple(JOBS))
    many = rng.random() < 0.4
    what = NP(noun, plural=many, det=rng.choice(("", "two", "three", "many")) if many else "a",
              adjs=(rng.choice(THING_ADJS),) if noun in THINGS and rng.random() < 0.3 else ())
    tense = rng.choice(("present", "present", "past", "future"))
    negated = rng.random() < 0.25 and what.det in ("a", "")
    question = not negated and rng.random() < 0.2
    return Sentence((Clause(NP("there", det=""), "be", tense, complement=what, adjuncts=(PP("in", NP(rng.choice(ROOMS))),),
                            negated=negated, question=question),), "nmt-there")


def relative(rng: random.Random) -> Sentence:
    """the man who lives in the village eats bread / the apple that the queen ate was sweet."""
    if rng.random() < 0.5:
        who, _ = person(rng)
        while who.det == "":                               # no relative clause on a name ("lucy who ...")
            who, _ = person(rng)
        verb = rng.choice(("eat", "read", "buy", "drink", "wear"))
        inner = Clause(GAP, verb, unambiguous(verb, rng.choice(("present", "past"))), obj=_object_for(rng, verb),
                       negated=rng.random() < 0.15)
        if rng.random() < 0.4:
            inner = Clause(GAP, rng.choice(("live", "work")), rng.choice(("present", "past")),
                           adjuncts=(PP("in", NP(rng.choice(("village", "town", "castle", "house")))),))
        head = NP(who.head, who.plural, who.det, who.adjs, owner=who.owner, rel=inner)
        main_verb = rng.choice(("be", "know", "help"))
        if main_verb == "be":
            main = Clause(head, "be", rng.choice(("present", "past")), complement=rng.choice(PERSON_STATES))
        else:
            main = Clause(subject(rng)[0], main_verb, rng.choice(("present", "past")), obj=head)
        return Sentence((main,), "nmt-relative")
    verb = rng.choice(("eat", "buy", "find", "see", "make", "read", "choose", "paint", "lose"))
    obj = _object_for(rng, verb)
    obj = NP(obj.head, obj.plural, "the", obj.adjs[:1],
             rel=Clause(subject(rng)[0], verb, unambiguous(verb, rng.choice(("past", "past", "present", "future"))), obj=GAP))
    state = rng.choice(FOOD_ADJS if obj.head in COUNT_FOOD or obj.head in MASS else THING_STATES)
    return Sentence((Clause(obj, "be", rng.choice(("present", "past")), complement=state,
                            negated=rng.random() < 0.2),), "nmt-relative")


def two_clauses(rng: random.Random) -> Sentence:
    """the queen is tired because she worked at the palace / he ate an apple but she drank tea."""
    first = rng.choice((identity, action, motion, description))(rng).clauses[0]
    first = Clause(first.subject, first.verb, first.tense, first.obj, first.complement, first.than, first.adjuncts,
                   negated=first.negated, time=first.time)
    pron = _pronoun_for(first.subject)
    second = rng.choice((action, motion, identity))(rng).clauses[0]
    while isinstance(second.complement, NP):              # "he is a doctor" agrees with its own subject
        second = identity(rng).clauses[0]
    subj = NP(pron) if pron and rng.random() < 0.7 else subject(rng)[0]
    second = Clause(subj, second.verb, second.tense, second.obj, second.complement, second.than, second.adjuncts,
                    negated=second.negated)
    return Sentence((first, second), "nmt-two", rng.choice(("and", "but", "because")))


def _pronoun_for(np_: NP) -> str:
    if np_.head in ("i", "you", "he", "she", "we", "they"):
        return np_.head
    if np_.plural:
        return "they"
    if np_.head in lx.FEMALE:
        return "she"
    if np_.head in lx.MALE or np_.head in JOBS or np_.head in OTHERS:
        return "he"
    return ""


# (template, weight)
TEMPLATES = ((identity, 9), (action, 22), (giving, 4), (motion, 12), (pronoun_object, 7), (people, 6),
             (description, 9), (there_is, 6), (relative, 9), (two_clauses, 12))
