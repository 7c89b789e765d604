"""French nouns for every English noun lemma the grammar uses: word, gender, plural, the feminine
of a person's noun ("étudiant" / "étudiante") and what kind of name it is (country, city, ...).

    noun(lemma) -> FrNoun        KeyError names a lemma with no French

The common nouns are a plain-text table beside this file (`french_nouns.txt`), one lemma a line:
`lemma|french|gender[|plural[|feminine]]`; gender `m`/`f`, or `mp`/`fp` for a noun that is plural
in itself ("books" -> "livres"); an empty plural column means the regular plural (`plural_of`).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from engine.data.corpora.lexicon import (
    COUNTRIES,
    DAYS,
    FEMALE_NAMES,
    MALE_NAMES,
    MONTHS,
)


@dataclass(frozen=True)
class FrNoun:
    word: str                 # singular ("cheval"), or the plural for an inherently plural noun
    gender: str               # "m" | "f"
    plural: str               # "chevaux"
    feminine: str = ""        # a person's noun for a woman ("étudiante"); "" when the same
    inherent_plural: bool = False
    kind: str = "common"      # common | name | country | city | continent | month | day | season | language



# Places, with their article: "la france", "le portugal", "cuba" (none), "le caire".
_COUNTRIES = {"france": "la france", "italy": "l'italie", "germany": "l'allemagne", "spain": "l'espagne",
              "portugal": "le portugal", "greece": "la grèce", "poland": "la pologne", "sweden": "la suède",
              "norway": "la norvège", "finland": "la finlande", "ireland": "l'irlande", "austria": "l'autriche",
              "hungary": "la hongrie", "denmark": "le danemark", "england": "l'angleterre", "russia": "la russie",
              "egypt": "l'égypte", "kenya": "le kenya", "japan": "le japon", "china": "la chine", "india": "l'inde",
              "thailand": "la thaïlande", "vietnam": "le viêt nam", "canada": "le canada", "cuba": "cuba",
              "peru": "le pérou", "chile": "le chili", "brazil": "le brésil", "australia": "l'australie"}
_COUNTRY_GENDER = {"france": "f", "italy": "f", "germany": "f", "spain": "f", "greece": "f", "poland": "f",
                   "sweden": "f", "norway": "f", "finland": "f", "ireland": "f", "austria": "f", "hungary": "f",
                   "england": "f", "russia": "f", "egypt": "f", "china": "f", "india": "f", "thailand": "f",
                   "australia": "f", "cuba": "f"}
_CITIES = {"lisbon": "lisbonne", "athens": "athènes", "warsaw": "varsovie", "vienna": "vienne",
           "copenhagen": "copenhague", "london": "londres", "moscow": "moscou", "cairo": "le caire",
           "beijing": "pékin", "hanoi": "hanoï", "havana": "la havane"}
_CONTINENTS = {"europe": "europe", "africa": "afrique", "asia": "asie", "america": "amérique", "oceania": "océanie"}
_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre")
_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_SEASONS = {"winter": "hiver", "spring": "printemps", "summer": "été", "autumn": "automne"}
LANGUAGES = {"french": "français", "italian": "italien", "german": "allemand", "spanish": "espagnol",
             "portuguese": "portugais", "greek": "grec", "polish": "polonais", "swedish": "suédois",
             "norwegian": "norvégien", "finnish": "finnois", "english": "anglais", "hungarian": "hongrois",
             "danish": "danois", "russian": "russe", "arabic": "arabe", "swahili": "swahili", "japanese": "japonais",
             "chinese": "chinois", "hindi": "hindi", "thai": "thaï", "vietnamese": "vietnamien"}


def plural_of(word: str) -> str:
    """Regular French plural: -s, none after s/x/z, -x after -eau/-au/-eu, -aux for -al."""
    if word.endswith(("s", "x", "z")):
        return word
    if word.endswith(("eau", "au", "eu")):
        return word + "x"
    if word.endswith("al"):
        return word[:-2] + "aux"
    return word + "s"


TABLE = Path(__file__).with_name("french_nouns.txt")


def _parse(table: str) -> dict[str, FrNoun]:
    out: dict[str, FrNoun] = {}
    for line in table.strip().splitlines():
        if line.startswith("#"):
            continue
        lemma, word, gender, *rest = line.split("|")
        plural = rest[0] if rest and rest[0] else plural_of(word)
        feminine = rest[1] if len(rest) > 1 else ""
        out[lemma] = FrNoun(word, gender[0], word if gender.endswith("p") else plural, feminine, gender.endswith("p"))
    return out


def _article_name(phrase: str) -> tuple[str, str]:
    """("la france" -> ("france", "la")); a bare name -> (name, "")."""
    for art in ("le ", "la ", "l'"):
        if phrase.startswith(art):
            return phrase[len(art):], art.strip()
    return phrase, ""


@lru_cache(maxsize=1)
def nouns() -> dict[str, FrNoun]:
    """English lemma -> French noun, for every noun of the grammar (names keep their spelling)."""
    table = _parse(TABLE.read_text(encoding="utf-8"))
    for country, *_ in COUNTRIES:
        word = _COUNTRIES[country]
        table[country] = FrNoun(word, _COUNTRY_GENDER.get(country, "m"), word, kind="country")
    for _, capital, *_ in COUNTRIES:
        word = _CITIES.get(capital, capital)
        table[capital] = FrNoun(word, "f" if word.startswith("la ") else "m", word, kind="city")
    for en, fr in _CONTINENTS.items():
        table[en] = FrNoun(fr, "f", fr, kind="continent")
    for en, fr in zip(MONTHS, _MONTHS):
        table[en] = FrNoun(fr, "m", fr, kind="month")
    for en, fr in zip(DAYS, _DAYS):
        table[en] = FrNoun(fr, "m", fr, kind="day")
    for en, fr in _SEASONS.items():
        table[en] = FrNoun(fr, "m", fr, kind="season")
    for name in MALE_NAMES + FEMALE_NAMES:
        table[name] = FrNoun(name, "m" if name in MALE_NAMES else "f", name, kind="name")
    return table


def noun(lemma: str) -> FrNoun:
    return nouns()[lemma]


def article_and_name(n: FrNoun) -> tuple[str, str]:
    """A country's or city's (name, article): ("france", "la"), ("portugal", "le"), ("cuba", "")."""
    return _article_name(n.word)
