"""The built-in grammar's words by kind — people, countries, capitals, animals, foods, colours,
numbers, times, professions, verbs, adjectives — for colouring a word2vec projector by meaning
(the clusters word2vec should form). Inflected forms (plurals, tenses, comparatives) belong to
their lemma's group. At most 13 groups, so each gets its own colour-blind-safe colour."""
from __future__ import annotations

from functools import lru_cache

from engine.data.corpora import lexicon as lx

OTHER = "other"


def _nouns(words) -> list[str]:
    return [form for w in words for form in (w, lx.plural(w))]


@lru_cache(maxsize=1)
def word_groups() -> dict[str, str]:
    """word -> group for every word the built-in grammar uses with a clear kind."""
    groups: dict[str, str] = {}

    def put(group: str, words) -> None:
        for w in words:
            groups.setdefault(w, group)          # the first, most specific group wins

    pairs = lx.ROYALS + lx.FAMILY + lx.PEOPLE + lx.GENDERED_JOBS
    put("people", _nouns([w for pair in pairs for w in pair]) + list(lx.MALE_NAMES + lx.FEMALE_NAMES))
    put("country", [c[0] for c in lx.COUNTRIES])
    put("capital", [c[1] for c in lx.COUNTRIES])
    put("nationality", [w for c in lx.COUNTRIES for w in (c[2], c[3])])
    put("animal", _nouns([a[0] for a in lx.ANIMALS]))
    put("food", _nouns(lx.FRUITS + lx.VEGETABLES + lx.DISHES + lx.DRINKS) + list(lx.TASTES))
    put("colour", lx.COLOURS)
    put("number", lx.NUMBERS + lx.ORDINALS)
    put("time", lx.DAYS + lx.MONTHS + tuple(lx.WEATHER))
    put("profession", _nouns([p[0] for p in lx.PROFESSIONS]))
    put("verb", [form for forms in lx.verb_forms().values() for form in forms])
    put("adjective", [form for degrees in lx.ADJECTIVES for form in degrees] + list(lx.MOODS))
    put("thing", _nouns(lx.THINGS + lx.HOME_THINGS) + [p[1] for p in lx.PROFESSIONS])
    return groups


def group_column(words: list[str], vocabulary: list[str] | None = None, least: int = 20) -> list[str] | None:
    """Each word's group ("other" when it has none), or None when fewer than `least` words of the
    `vocabulary` (default: `words`) have one — a user's own corpus, where the column says nothing."""
    table = word_groups()
    if sum(w in table for w in (words if vocabulary is None else vocabulary)) < least:
        return None
    return [table.get(w, OTHER) for w in words]
