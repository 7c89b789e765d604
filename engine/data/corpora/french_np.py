"""French noun phrases: articles with gender, number and elision, partitives, possessives,
demonstratives, adjective agreement and placement, superlatives, prepositions that depend on the
place ("en france", "au portugal", "à paris", "au printemps"), and the final pass that contracts
and elides ("à le marché" -> "au marché", "le homme" -> "l'homme", "que il" -> "qu'il").

    Ref                          what a phrase refers to: gender, number, person, human
    noun_phrase(np_, role, ctx)  -> (words, Ref)
    prep_phrase(pp, ctx)         -> words
    finish(words) -> str         contractions, then elisions, joined by spaces
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from engine.data.corpora import french_lexicon as fl
from engine.data.corpora.french_nouns import LANGUAGES, article_and_name, noun, nouns
from engine.data.corpora.lexicon import (
    COLOURS,
    GENDERED_JOBS,
    NUMBERS,
    PROFESSIONS,
    PRONOUNS,
)
from engine.data.corpora.lexicon_nmt import HUMANS
from engine.data.corpora.structures import NP, PP

VOWELS = set("aeiouyàâäéèêëîïôöûùüœæ")
# Words starting with an h (or a number) that blocks elision: "le hibou", "le onzième".
H_ASPIRE = ("hibou", "hamac", "haricot", "hongr", "havane", "haut", "hurl", "hulul", "henn", "huit", "onz")
PROFESSION_NOUNS = {p for p, _, _ in PROFESSIONS} | {w for pair in GENDERED_JOBS for w in pair}
SUBJECT_PRONOUNS = {"i": ("je", 0), "you": ("tu", 1), "he": ("il", 2), "she": ("elle", 2), "we": ("nous", 3)}
DISJUNCTIVE = {"i": "moi", "you": "toi", "he": "lui", "she": "elle", "we": "nous"}
_POSSESSIVE = {"i": ("mon", "ma", "mes"), "you": ("ton", "ta", "tes"), "he": ("son", "sa", "ses"),
               "she": ("son", "sa", "ses"), "it": ("son", "sa", "ses"), "we": ("notre", "notre", "nos"),
               "they": ("leur", "leur", "leurs")}


@dataclass(frozen=True)
class Ref:
    """What a phrase refers to, for agreement and for the pronouns of the next clause."""

    gender: str = "m"
    plural: bool = False
    person: int = 2            # 0..5: je, tu, il/elle, nous, vous, ils/elles
    human: bool = False


@dataclass(frozen=True)
class Ctx:
    """Antecedents for "it"/"they" (the previous clause's phrases) and the relative-clause renderer."""

    antecedents: tuple[Ref, ...] = ()
    relative: Callable[[NP, Ref, Ctx], list[str]] | None = None


def starts_with_vowel(word: str) -> bool:
    w = word.lower()
    if not w or w.startswith(H_ASPIRE):
        return False
    return w[0] in VOWELS or (w[0] == "h" and len(w) > 1)


def _third(gender: str, plural: bool, human: bool) -> Ref:
    return Ref(gender, plural, 5 if plural else 2, human)


def resolve_pronoun(head: str, ctx: Ctx) -> Ref:
    """The referent of a subject pronoun; "it"/"they" take the gender of the previous clause's noun."""
    if head in SUBJECT_PRONOUNS:
        return Ref("f" if head == "she" else "m", head == "we", SUBJECT_PRONOUNS[head][1], True)
    plural = head == "they"
    for ref in ctx.antecedents:
        if ref.plural == plural and ref.person in (2, 5) and (plural or not ref.human):
            return replace(ref, person=5 if plural else 2)
    return _third("m", plural, False)


def subject_pronoun(head: str, ref: Ref) -> str:
    if head in SUBJECT_PRONOUNS:
        return SUBJECT_PRONOUNS[head][0]
    return ("elles" if ref.plural else "elle") if ref.gender == "f" else ("ils" if ref.plural else "il")


def disjunctive(head: str, ref: Ref) -> str:
    if head in DISJUNCTIVE:
        return DISJUNCTIVE[head]
    return ("elles" if ref.plural else "elle") if ref.gender == "f" else ("eux" if ref.plural else "lui")


def ref_of(np_: NP, ctx: Ctx) -> Ref:
    """Gender, number and person of a noun phrase without rendering it."""
    if np_.head in PRONOUNS:
        return resolve_pronoun(np_.head, ctx)
    if any(pp.prep == "and" for pp in np_.pps):
        refs = [ref_of(replace(np_, pps=()), ctx)] + [ref_of(pp.obj, ctx) for pp in np_.pps if pp.prep == "and"]
        return _third("f" if all(r.gender == "f" for r in refs) else "m", True, any(r.human for r in refs))
    if np_.head in NUMBERS or np_.head in COLOURS or np_.head in LANGUAGES or np_.head in ("all", "before"):
        return _third("m", np_.plural, False)
    n = noun(np_.head)
    plural = np_.plural or n.inherent_plural
    gender = "m" if np_.head == "person" and plural else n.gender
    return _third(gender, plural, np_.head in HUMANS or n.kind == "name")


def _definite(gender: str, plural: bool) -> list[str]:
    return ["les"] if plural else ["la" if gender == "f" else "le"]


def _bare(np_: NP, ref: Ref, role: str, generic: str, neg: bool, after_de: bool) -> list[str]:
    """The article of a noun with no English determiner ("bread", "apples", "people")."""
    if role == "subject" or np_.head in fl.DEFINITE_NOUNS or (role == "object" and generic == "def"):
        return _definite(ref.gender, ref.plural)
    if neg or after_de:
        return ["de"] if neg and not after_de else []
    return ["des"] if ref.plural else ["de", *_definite(ref.gender, False)]     # de le -> du (finish)


def _determiner(np_: NP, ref: Ref, role: str, generic: str, neg: bool, after_de: bool) -> list[str]:
    det, g, pl = np_.det, ref.gender, ref.plural
    if det == "the":
        return _definite(g, pl)
    if det in ("a", "an"):                          # "an advice" -> "des conseils" (plural in French)
        return ["de"] if neg else ["des"] if pl else ["une" if g == "f" else "un"]
    if det == "":
        return _bare(np_, ref, role, generic, neg, after_de)
    if det == "one":
        return ["une" if g == "f" else "un"]
    if det in fl.NUMBERS_FR:
        return [fl.NUMBERS_FR[det]]
    if det == "many":
        return ["beaucoup", "de"]
    if det in ("this", "that"):
        return ["ces" if pl else "cette" if g == "f" else "ce"]
    if det == "every":
        return ["chaque"]
    if det in ("poss", "their"):
        forms = _POSSESSIVE["they" if det == "their" else np_.owner]
        return [forms[2] if pl else forms[1] if g == "f" else forms[0]]
    raise ValueError(f"no French determiner for {det!r}")


def _adjective_words(lemma: str, ref: Ref) -> tuple[list[str], list[str]]:
    """(words before the noun, words after it) for one English adjective, superlatives included."""
    base, deg = fl.degree(lemma)
    if (base, deg) in fl.IRREGULAR_DEGREES:
        return [_irregular_degree(base, deg, ref)], []
    adj = _adj(base, ref)
    form = adj.form(ref.gender, ref.plural)
    more = ["plus"] if deg else []
    if adj.before:
        return more + [form], []
    if deg == "sup":
        return [], _definite(ref.gender, ref.plural) + ["plus", form]
    return [], more + [form]


BUSY_PLACE = fl.FrAdj(("animé", "animée", "animés", "animées"))   # a busy street; a busy man is "occupé"
# A tall or short person is "grand" or "petit" (a tall tower is "haute").
FOR_PEOPLE = {"tall": fl.FrAdj(("grand", "grande", "grands", "grandes"), True),
              "short": fl.FrAdj(("petit", "petite", "petits", "petites"), True)}


def _adj(base: str, ref: Ref) -> fl.FrAdj:
    if ref.human and base in FOR_PEOPLE:
        return FOR_PEOPLE[base]
    return BUSY_PLACE if base == "busy" and not ref.human else fl.adjective(base)


def _irregular_degree(base: str, deg: str, ref: Ref) -> str:
    """meilleur(e)(s), pire(s)."""
    word = fl.IRREGULAR_DEGREES[(base, deg)]
    if word == "pire":
        return word + ("s" if ref.plural else "")
    return word + ("e" if ref.gender == "f" else "") + ("s" if ref.plural else "")


def adjective_form(lemma: str, ref: Ref) -> list[str]:
    """An adjective after "être": "grande", "plus grande", "la plus grande", "meilleure"."""
    base, deg = fl.degree(lemma)
    if (base, deg) in fl.IRREGULAR_DEGREES:
        word = _irregular_degree(base, deg, ref)
        return (_definite(ref.gender, ref.plural) + [word]) if deg == "sup" else [word]
    form = _adj(base, ref).form(ref.gender, ref.plural)
    if deg == "sup":
        return _definite(ref.gender, ref.plural) + ["plus", form]
    return (["plus"] if deg else []) + [form]


def _noun_core(np_: NP, ref: Ref, feminine: bool) -> list[str]:
    """The noun with its adjectives in French order: "petite voiture rouge"."""
    n = noun(np_.head)
    word = n.plural if ref.plural and not n.inherent_plural else n.word
    if feminine and n.feminine:
        word = n.feminine + ("s" if ref.plural else "")
    adjs = np_.adjs
    if np_.head == "person" and ref.plural and adjs and adjs[0] in fl.NATIONALITIES:
        word, adjs = fl.adjective(adjs[0]).forms[2], adjs[1:]        # the french people -> les français
    before: list[str] = []
    after: list[str] = []
    for lemma in adjs:
        b, a = _adjective_words(lemma, ref)
        before += b
        after += a
    return before + word.split() + after


def _fix_before_vowel(det: list[str], core: list[str], np_: NP, ref: Ref) -> list[str]:
    """cet oiseau, mon école, bel arbre, vieil homme; de grandes maisons (des before an adjective)."""
    if det == ["des"] and any(_placed_before(a) for a in np_.adjs):
        det = ["de"]
    if ref.plural or not core:
        return det + core
    if ref.gender == "m" and np_.adjs and len(core) > 1 and starts_with_vowel(core[1]):
        adj = fl.adjectives().get(np_.adjs[0])
        if adj is not None and adj.before_vowel and core[0] == adj.forms[0]:
            core = [adj.before_vowel] + core[1:]
    if det and starts_with_vowel(core[0]):
        swap = {"ce": "cet", "ma": "mon", "ta": "ton", "sa": "son"}
        det = det[:-1] + [swap.get(det[-1], det[-1])]
    return det + core


def _placed_before(lemma: str) -> bool:
    adj = fl.adjectives().get(fl.degree(lemma)[0])
    return adj is not None and adj.before


def noun_phrase(np_: NP, role: str, ctx: Ctx, *, neg: bool = False, after_de: bool = False,
                generic: str = "part", hint: Ref | None = None, feminine: bool = False,
                repeat: tuple[str, ...] = ()) -> tuple[list[str], Ref]:
    """French words of a noun phrase and what it refers to.

    role: "subject" | "object" | "complement" | "pp"; neg: a direct object under negation (un -> de);
    after_de: the phrase follows the preposition de (des/du dropped); hint: the phrase "of all" agrees with;
    repeat: the preposition each conjunct repeats ("du pain et du fromage", "au parc et au marché").
    """
    conjuncts = [pp.obj for pp in np_.pps if pp.prep == "and"]
    if conjuncts:
        first, ref = noun_phrase(replace(np_, pps=tuple(pp for pp in np_.pps if pp.prep != "and")), role, ctx,
                                 neg=neg, after_de=after_de, generic=generic, hint=hint, feminine=feminine)
        for other in conjuncts:
            words, _ = noun_phrase(other, role, ctx, neg=neg, after_de=after_de, generic=generic, hint=hint)
            first += ["et", *repeat, *words]
        return first, ref_of(np_, ctx)
    ref = ref_of(np_, ctx)
    words = _special_head(np_, ref, role, hint)
    if words is None:
        words = _named(np_) if noun(np_.head).kind != "common" else None
    if words is None:
        det = _determiner(np_, ref, role, generic, neg, after_de)
        core = _noun_core(np_, ref, feminine)
        if np_.det == "that":
            core[-1] += "-là"
        words = _fix_before_vowel(det, core, np_, ref)
    for pp in np_.pps:
        words += prep_phrase(pp, ctx, hint=ref)
    if np_.rel is not None and ctx.relative is not None:
        words += ctx.relative(np_, ref, ctx)
    return words, ref


def _special_head(np_: NP, ref: Ref, role: str, hint: Ref | None) -> list[str] | None:
    """Pronouns, "all", "before", numbers, colours and languages used as nouns."""
    head = np_.head
    if head in PRONOUNS:
        return [subject_pronoun(head, ref) if role == "subject" else disjunctive(head, ref)]
    if head == "all":
        return ["toutes" if hint is not None and hint.gender == "f" else "tous"]
    if head == "before":
        return ["avant"]
    if np_.det == "" and head in fl.NUMBERS_FR:
        return [fl.NUMBERS_FR[head]]
    if np_.det == "" and head in COLOURS:
        return ["le", fl.adjective(head).forms[0]]
    if np_.det == "" and head in LANGUAGES:
        return [LANGUAGES[head]]
    return None


def _named(np_: NP) -> list[str] | None:
    """Names, places and dates: "john", "la france", "l'europe", "janvier", "l'hiver"."""
    n = noun(np_.head)
    if np_.det not in ("", "the") or np_.adjs:
        return None
    if n.kind in ("name", "city", "country", "month", "day"):
        return n.word.split()
    if n.kind in ("continent", "season"):
        return _definite(n.gender, False) + [n.word]
    return None


def _place(pp: PP, ctx: Ctx) -> list[str] | None:
    """in/to/from a country, city, continent, month or season; "in the world"; "at nine"."""
    prep, obj = pp.prep, pp.obj
    if prep == "at" and obj.head in fl.NUMBERS_FR and obj.det == "":
        return ["à", "une" if obj.head == "one" else fl.NUMBERS_FR[obj.head], "heure" if obj.head == "one" else "heures"]
    if prep == "on" and obj.head in PRONOUNS:
        return None
    n = nouns().get(obj.head) if obj.head not in PRONOUNS and obj.head not in LANGUAGES else None
    kind = n.kind if n is not None else ""
    if prep == "in" and obj.head == "world":
        return ["du", "monde"]
    if prep == "on" and kind == "day":
        return [n.word]
    if prep in ("in", "to") and kind == "city":
        return ["à", *n.word.split()]
    if prep in ("in", "to") and kind == "country":
        name, article = article_and_name(n)
        if not article:
            return ["à", name]
        return (["en"] if n.gender == "f" or article == "l'" else ["au"]) + name.split()
    if prep == "from" and kind == "country":
        name, article = article_and_name(n)
        return ["de", *name.split()] if n.gender == "f" or not article else ["du", *name.split()]
    if prep == "in" and kind in ("continent", "month"):
        return ["en", n.word]
    if prep == "in" and kind == "season":
        return ["au", n.word] if obj.head == "spring" else ["en", n.word]
    return None


def prep_phrase(pp: PP, ctx: Ctx, hint: Ref | None = None) -> list[str]:
    placed = _place(pp, ctx)
    if placed is not None:
        return placed
    prep, obj = pp.prep, pp.obj
    if prep == "at":
        fr = fl.AT_PLACES.get(obj.head, "à")
    elif prep == "in":
        fr = "dans"
    elif prep == "to":
        fr = "à"
    elif prep == "from":
        fr = "de"
    elif prep == "on":
        fr = "sur"
    else:
        fr = fl.PREPOSITIONS[prep]
    words, _ = noun_phrase(obj, "pp", ctx, after_de=fr.endswith("de"), hint=hint,
                           repeat=(fr,) if fr in ("à", "de") else ())
    return fr.split() + words


def _contract(words: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        after = words[i + 2] if i + 2 < len(words) else ""
        if w in ("à", "de") and (nxt == "les" or (nxt == "le" and not starts_with_vowel(after))):
            out.append({("à", "le"): "au", ("à", "les"): "aux", ("de", "le"): "du", ("de", "les"): "des"}[(w, nxt)])
            i += 2
            continue
        out.append(w)
        i += 1
    return out


_ELIDE = {"le", "la", "je", "me", "te", "se", "ne", "de", "que", "ce"}


def finish(words: list[str]) -> str:
    """Join words into a French sentence: contractions (au, du, aux, des), then elisions (l', d', qu')."""
    flat = [part for w in words for part in w.split()]
    flat = _contract(flat)
    out: list[str] = []
    i = 0
    while i < len(flat):
        w = flat[i]
        if w in _ELIDE and i + 1 < len(flat) and starts_with_vowel(flat[i + 1]):
            flat[i + 1] = w[:-1] + "'" + flat[i + 1]
        else:
            out.append(w)
        i += 1
    return " ".join(out)
