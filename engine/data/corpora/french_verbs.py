"""French conjugation: présent, imparfait, futur and the past participle, for regular -er, -ir
(finir) and -re (vendre) verbs with their spelling changes (mangeons, achète, appelle, règne,
aboie) and a table of the irregular verbs the grammar uses.

    present(inf, person) / imperfect(inf, person) / future(inf, person) -> str
    participle(inf) -> str        "mangé", "allé", "pris"
    auxiliary(inf) -> "être" | "avoir"

`person` is 0..5: je, tu, il/elle, nous, vous, ils/elles.
"""
from __future__ import annotations

# infinitive -> (six present forms, participle, future stem, imperfect stem)
IRREGULAR = {
    "être": ("suis es est sommes êtes sont", "été", "ser", "ét"),
    "avoir": ("ai as a avons avez ont", "eu", "aur", "av"),
    "aller": ("vais vas va allons allez vont", "allé", "ir", "all"),
    "faire": ("fais fais fait faisons faites font", "fait", "fer", "fais"),
    "dire": ("dis dis dit disons dites disent", "dit", "dir", "dis"),
    "voir": ("vois vois voit voyons voyez voient", "vu", "verr", "voy"),
    "prendre": ("prends prends prend prenons prenez prennent", "pris", "prendr", "pren"),
    "venir": ("viens viens vient venons venez viennent", "venu", "viendr", "ven"),
    "partir": ("pars pars part partons partez partent", "parti", "partir", "part"),
    "dormir": ("dors dors dort dormons dormez dorment", "dormi", "dormir", "dorm"),
    "courir": ("cours cours court courons courez courent", "couru", "courr", "cour"),
    "ouvrir": ("ouvre ouvres ouvre ouvrons ouvrez ouvrent", "ouvert", "ouvrir", "ouvr"),
    "lire": ("lis lis lit lisons lisez lisent", "lu", "lir", "lis"),
    "écrire": ("écris écris écrit écrivons écrivez écrivent", "écrit", "écrir", "écriv"),
    "boire": ("bois bois boit buvons buvez boivent", "bu", "boir", "buv"),
    "conduire": ("conduis conduis conduit conduisons conduisez conduisent", "conduit", "conduir", "conduis"),
    "construire": ("construis construis construit construisons construisez construisent", "construit",
                   "construir", "construis"),
    "peindre": ("peins peins peint peignons peignez peignent", "peint", "peindr", "peign"),
    "vivre": ("vis vis vit vivons vivez vivent", "vécu", "vivr", "viv"),
    "connaître": ("connais connais connaît connaissons connaissez connaissent", "connu", "connaîtr", "connaiss"),
    "vouloir": ("veux veux veut voulons voulez veulent", "voulu", "voudr", "voul"),
    "sourire": ("souris souris sourit sourions souriez sourient", "souri", "sourir", "souri"),
    "pleuvoir": ("pleus pleus pleut pleuvons pleuvez pleuvent", "plu", "pleuvr", "pleuv"),
}
ETRE_VERBS = {"aller", "venir", "partir", "arriver", "rester", "retourner", "tomber", "entrer", "sortir", "rentrer"}
FINIR_VERBS = {"finir", "choisir", "nourrir", "rugir", "hennir", "barrir", "grandir", "remplir"}
E_GRAVE = {"acheter", "geler", "lever", "mener"}           # achète, achèterai
E_ACUTE = {"régner", "préférer", "répéter"}               # règne, régnerai
DOUBLE_L = {"appeler"}                                    # appelle, appellerai
_ENDINGS = {"er": ("e", "es", "e", "ons", "ez", "ent"), "ir": ("is", "is", "it", "issons", "issez", "issent"),
            "re": ("s", "s", "", "ons", "ez", "ent")}
_IMPERFECT = ("ais", "ais", "ait", "ions", "iez", "aient")
_FUTURE = ("ai", "as", "a", "ons", "ez", "ont")
_MUTE = (0, 1, 2, 5)                                      # present forms whose ending is a silent e


def _group(inf: str) -> str:
    if inf.endswith("er"):
        return "er"
    return "ir" if inf in FINIR_VERBS else "re"


def _mute_stem(inf: str) -> str:
    """The -er stem before a silent ending: achèt-, appell-, règn-, aboi-."""
    stem = inf[:-2]
    if inf in E_GRAVE:
        i = stem.rfind("e")
        return stem[:i] + "è" + stem[i + 1:]
    if inf in E_ACUTE:
        i = stem.rfind("é")
        return stem[:i] + "è" + stem[i + 1:]
    if inf in DOUBLE_L:
        return stem + "l"
    if stem.endswith(("oy", "uy")):
        return stem[:-1] + "i"
    return stem


def _soft(stem: str, ending: str) -> str:
    """mange-ons, commenç-ons: keep g and c soft before a and o."""
    if ending[:1] in ("a", "o"):
        if stem.endswith("g"):
            return stem + "e" + ending
        if stem.endswith("c"):
            return stem[:-1] + "ç" + ending
    return stem + ending


def present(inf: str, person: int) -> str:
    if inf in IRREGULAR:
        return IRREGULAR[inf][0].split()[person]
    group = _group(inf)
    ending = _ENDINGS[group][person]
    if group == "er":
        stem = _mute_stem(inf) if person in _MUTE else inf[:-2]
        return _soft(stem, ending)
    if group == "ir":
        return inf[:-2] + ending
    stem = inf[:-2]
    return stem + ("" if person == 2 and stem.endswith(("d", "t")) else ending)


def participle(inf: str) -> str:
    if inf in IRREGULAR:
        return IRREGULAR[inf][1]
    group = _group(inf)
    return inf[:-2] + {"er": "é", "ir": "i", "re": "u"}[group]


def future_stem(inf: str) -> str:
    if inf in IRREGULAR:
        return IRREGULAR[inf][2]
    if inf.endswith("er") and (inf in E_GRAVE or inf in DOUBLE_L or inf[:-2].endswith(("oy", "uy"))):
        return _mute_stem(inf) + "er"
    return inf[:-1] if inf.endswith("re") else inf


def future(inf: str, person: int) -> str:
    return future_stem(inf) + _FUTURE[person]


def imperfect(inf: str, person: int) -> str:
    if inf in IRREGULAR:
        stem = IRREGULAR[inf][3]
    else:
        group = _group(inf)
        stem = inf[:-2] + ("iss" if group == "ir" else "")
    return _soft(stem, _IMPERFECT[person])


def auxiliary(inf: str) -> str:
    return "être" if inf in ETRE_VERBS else "avoir"


def agree(participle_: str, gender: str, plural: bool) -> str:
    """"allé" -> "allée", "allés", "allées"; "pris" -> "prise", "pris"."""
    word = participle_ + ("e" if gender == "f" else "")
    if plural and not word.endswith("s"):
        word += "s"
    return word
