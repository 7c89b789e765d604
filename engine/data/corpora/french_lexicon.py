"""French adjectives, verbs and small words for the grammar's English lemmas.

    adjective(lemma) -> FrAdj        forms m / f / m.pl / f.pl, before or after the noun
    degree(lemma) -> (base, "cmp" | "sup" | "")   "bigger" -> ("big", "cmp")
    VERBS[lemma] -> FrVerb           infinitive, preposition before the object, how a bare object reads

Adjective table: `lemma | masculine [| feminine | m.plural | f.plural] | b(efore)/a(fter)`;
empty columns follow the regular rules (+e, +s).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from engine.data.corpora.lexicon import ADJECTIVES, COUNTRIES, NUMBERS, ORDINALS


@dataclass(frozen=True)
class FrAdj:
    forms: tuple[str, str, str, str]     # masculine, feminine, masculine plural, feminine plural
    before: bool = False                 # placed before the noun ("une grande maison")
    before_vowel: str = ""               # masculine singular before a vowel: "bel", "vieil", "nouvel"

    def form(self, gender: str, plural: bool) -> str:
        return self.forms[(2 if plural else 0) + (1 if gender == "f" else 0)]


_ADJS = """
ancient|ancien|ancienne|||a
bad|mauvais||||b
beautiful|beau|belle|beaux|belles|b
big|grand||||b
black|noir||||a
blue|bleu||||a
brave|courageux|courageuse|courageux||a
brown|marron|marron|marron|marron|a
busy|occupé||||a
calm|calme||||a
cheerful|joyeux|joyeuse|joyeux||a
clean|propre||||a
cold|froid||||a
delicious|délicieux|délicieuse|délicieux||a
dirty|sale||||a
empty|vide||||a
famous|célèbre||||a
fast|rapide||||a
fresh|frais|fraîche|frais|fraîches|a
full|plein||||a
good|bon|bonne|||b
grand|grandiose||||a
green|vert||||a
grey|gris||gris||a
happy|heureux|heureuse|heureux||a
heavy|lourd||||a
kind|gentil|gentille|||a
lively|vivant||||a
long|long|longue|||b
modern|moderne||||a
new|neuf|neuve|||a
noisy|bruyant||||a
old|vieux|vieille|vieux|vieilles|b
pink|rose||||a
polite|poli||||a
proud|fier|fière|||a
purple|violet|violette|||a
quiet|tranquille||||a
red|rouge||||a
rich|riche||||a
ripe|mûr||||a
sad|triste||||a
salty|salé||||a
shiny|brillant||||a
short|court||||a
slow|lent||||a
small|petit||||b
sour|acide||||a
strong|fort||||a
sweet|sucré||||a
tall|haut||||b
tired|fatigué||||a
warm|chaud||||a
white|blanc|blanche|||a
yellow|jaune||||a
young|jeune||||b
australian|australien|australienne|||a
austrian|autrichien|autrichienne|||a
brazilian|brésilien|brésilienne|||a
canadian|canadien|canadienne|||a
chilean|chilien|chilienne|||a
chinese|chinois||chinois||a
cuban|cubain||||a
danish|danois||danois||a
egyptian|égyptien|égyptienne|||a
english|anglais||anglais||a
finnish|finlandais||finlandais||a
french|français||français||a
german|allemand||||a
greek|grec|grecque|||a
hungarian|hongrois||hongrois||a
indian|indien|indienne|||a
irish|irlandais||irlandais||a
italian|italien|italienne|||a
japanese|japonais||japonais||a
kenyan|kényan||||a
norwegian|norvégien|norvégienne|||a
peruvian|péruvien|péruvienne|||a
polish|polonais||polonais||a
portuguese|portugais||portugais||a
russian|russe||||a
spanish|espagnol||||a
swedish|suédois||suédois||a
thai|thaïlandais||thaïlandais||a
vietnamese|vietnamien|vietnamienne|||a
"""
_BEFORE_VOWEL = {"beautiful": "bel", "old": "vieil"}
_ORDINALS_FR = ("premier", "deuxième", "troisième", "quatrième", "cinquième", "sixième", "septième", "huitième",
                "neuvième", "dixième", "onzième", "douzième")
NUMBERS_FR = dict(zip(NUMBERS, ("un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
                                "onze", "douze")))
NATIONALITIES = {adj for _, _, adj, _, _ in COUNTRIES}
# "better" and "worse", "best" and "worst": one word in French too.
IRREGULAR_DEGREES = {("good", "cmp"): "meilleur", ("good", "sup"): "meilleur", ("bad", "cmp"): "pire",
                     ("bad", "sup"): "pire"}

# Moods and states that French says with another verb: "she is hungry" -> "elle a faim".
AVOIR_STATES = {"hungry": "faim"}
INVARIABLE_STATES = {"angry": "en colère"}
# "it is hot" -> "il fait chaud": (verb, words after it); "y" marks "il y a du vent".
WEATHER = {"hot": ("faire", "chaud"), "mild": ("faire", "doux"), "fresh": ("faire", "frais"),
           "cool": ("faire", "frais"), "dark": ("faire", "sombre"), "bright": ("faire", "clair"),
           "wet": ("faire", "humide"), "sunny": ("faire", "beau"), "freezing": ("geler", ""),
           "snowy": ("neiger", ""), "rainy": ("pleuvoir", ""), "windy": ("y-avoir", "du vent"),
           "cold": ("faire", "froid")}


def _regular(m: str) -> tuple[str, str, str, str]:
    f = m if m.endswith("e") else m + "e"
    return m, f, m if m.endswith(("s", "x")) else m + "s", f + "s"


@lru_cache(maxsize=1)
def adjectives() -> dict[str, FrAdj]:
    out: dict[str, FrAdj] = {}
    for line in _ADJS.strip().splitlines():
        lemma, m, f, mp, fp, pos = line.split("|")
        reg = _regular(m)
        f = f or reg[1]
        forms = (m, f, mp or reg[2], fp or (f if f.endswith("s") else f + "s"))
        out[lemma] = FrAdj(forms, pos == "b", _BEFORE_VOWEL.get(lemma, ""))
    for en, fr in zip(ORDINALS, _ORDINALS_FR):
        fem = "première" if fr == "premier" else fr
        out[en] = FrAdj((fr, fem, fr + "s", fem + "s"), True)
    return out


def adjective(lemma: str) -> FrAdj:
    return adjectives()[lemma]


@lru_cache(maxsize=1)
def _degrees() -> dict[str, tuple[str, str]]:
    out = {}
    for pos, comp, sup in ADJECTIVES:
        out[comp], out[sup] = (pos, "cmp"), (pos, "sup")
    return out


def degree(lemma: str) -> tuple[str, str]:
    """("big", "cmp") for "bigger", ("big", "sup") for "biggest", (lemma, "") otherwise."""
    return _degrees().get(lemma, (lemma, ""))


@dataclass(frozen=True)
class FrVerb:
    infinitive: str
    prep: str = ""            # before the object: "à" (répondre au professeur), "sur" (règne sur), "de"
    particle: str = ""        # a word after the verb: "besoin" (avoir besoin de)
    generic: str = "part"     # a bare English object: "part" (du pain, des pommes) | "def" (aime les chats)
    stative: bool = False     # English past -> imparfait ("était", "avait"), not passé composé
    with_object: str = ""     # another verb when there is an object ("leave the house" -> "quitter")


VERBS: dict[str, FrVerb] = {
    "be": FrVerb("être", stative=True), "have": FrVerb("avoir", stative=True),
    "need": FrVerb("avoir", "de", "besoin", stative=True), "think": FrVerb("penser", stative=True),
    "love": FrVerb("aimer", generic="def", stative=True), "live": FrVerb("vivre", stative=True),
    "know": FrVerb("connaître", stative=True), "want": FrVerb("vouloir", stative=True),
    "walk": FrVerb("marcher"), "run": FrVerb("courir"), "swim": FrVerb("nager"), "fly": FrVerb("voler"),
    "dance": FrVerb("danser"), "jump": FrVerb("sauter"), "sleep": FrVerb("dormir"), "climb": FrVerb("escalader"),
    "sing": FrVerb("chanter"), "write": FrVerb("écrire"), "drive": FrVerb("conduire"), "speak": FrVerb("parler"),
    "eat": FrVerb("manger"), "drink": FrVerb("boire"), "see": FrVerb("voir"), "play": FrVerb("jouer", "à"),
    "cook": FrVerb("préparer"), "paint": FrVerb("peindre"), "build": FrVerb("construire"), "buy": FrVerb("acheter"),
    "sell": FrVerb("vendre"), "find": FrVerb("trouver"), "give": FrVerb("donner"), "teach": FrVerb("enseigner"),
    "take": FrVerb("prendre"), "open": FrVerb("ouvrir"), "wear": FrVerb("porter"), "catch": FrVerb("attraper"),
    "say": FrVerb("dire"), "visit": FrVerb("visiter"), "work": FrVerb("travailler"), "rule": FrVerb("régner", "sur"),
    "feed": FrVerb("nourrir"), "travel": FrVerb("voyager"), "meet": FrVerb("rencontrer"), "help": FrVerb("aider"),
    "count": FrVerb("compter"), "call": FrVerb("appeler"), "smile": FrVerb("sourire"), "go": FrVerb("aller"),
    "close": FrVerb("fermer"), "read": FrVerb("lire"), "make": FrVerb("faire"), "wait": FrVerb("attendre"),
    "hear": FrVerb("entendre"), "lose": FrVerb("perdre"), "answer": FrVerb("répondre", "à"), "finish": FrVerb("finir"),
    "choose": FrVerb("choisir"), "look": FrVerb("regarder"), "listen": FrVerb("écouter"), "arrive": FrVerb("arriver"),
    "come": FrVerb("venir"), "leave": FrVerb("partir", with_object="quitter"), "stay": FrVerb("rester"),
    "return": FrVerb("retourner"), "fall": FrVerb("tomber"), "enter": FrVerb("entrer", "dans"),
    "bring": FrVerb("apporter"),
    # animal sounds
    "bark": FrVerb("aboyer"), "meow": FrVerb("miauler"), "moo": FrVerb("meugler"), "neigh": FrVerb("hennir"),
    "quack": FrVerb("cancaner"), "roar": FrVerb("rugir"), "squeak": FrVerb("couiner"), "howl": FrVerb("hurler"),
    "grunt": FrVerb("grogner"), "croak": FrVerb("coasser"), "hoot": FrVerb("hululer"), "trumpet": FrVerb("barrir"),
    "chatter": FrVerb("jacasser"), "hop": FrVerb("sautiller"), "growl": FrVerb("gronder"), "bleat": FrVerb("bêler"),
    "crawl": FrVerb("ramper"),
}

# A verb that reads differently with some objects: "speak the truth" -> "dire la vérité",
# "play the piano" -> "jouer du piano", "give a speech" -> "faire un discours".
OBJECT_VERBS = {("speak", "truth"): FrVerb("dire"), ("speak", "words"): FrVerb("dire"),
                ("speak", "sentence"): FrVerb("dire"), ("play", "piano"): FrVerb("jouer", "de"),
                ("play", "guitar"): FrVerb("jouer", "de"), ("give", "speech"): FrVerb("faire")}
# Bare English nouns that take the definite article in French whatever the verb ("catch flu" ->
# "attraper la grippe", "teach maths" -> "enseigner les mathématiques").
DEFINITE_NOUNS = {"flu", "truth", "maths", "football"}
# Prepositions by English word; place-dependent ones ("in", "to", "at", "from", "on") are in french_np.
PREPOSITIONS = {"with": "avec", "for": "pour", "near": "près de", "of": "de", "and": "et", "plus": "plus",
                "minus": "moins", "under": "sous", "behind": "derrière", "without": "sans"}
AT_PLACES = {"ship": "sur", "army": "dans", "kitchen": "dans", "garden": "dans"}
TIMES = {"yesterday": "hier", "today": "aujourd'hui", "tomorrow": "demain", "now": "maintenant",
         "usually": "d'habitude", "often": "souvent", "once": "un jour", "sometimes": "parfois"}
CONJUNCTIONS = {"and": "et", "but": "mais", "because": "parce que", "so": "alors"}
