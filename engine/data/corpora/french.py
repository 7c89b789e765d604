"""Render grammar structures (`structures.py`) as lowercase French, UTF-8 with accents.

The same `Sentence` that `english.py` renders: subject pronouns (je, tu, il/elle by the gender of
what "it"/"they" refers to), conjugation in présent, passé composé (être or avoir, with agreement)
or imparfait for states ("était", "avait"), and futur; the English progressive is the présent
("the queen is eating an apple" -> "la reine mange une pomme"); ne ... pas with "de" for an
indefinite object; est-ce que questions; relative clauses with qui / que (and the participle
agreeing with a preceding direct object: "la pomme que la reine a mangée"); object pronouns
before the verb ("elle l'a vu"); no article for a profession after être ("je suis étudiant");
"il y a", the weather ("il fait chaud", "il pleut"), "c'est", "avoir faim".

    render(sentence) -> str
"""
from __future__ import annotations

from dataclasses import replace

from engine.data.corpora import french_lexicon as fl
from engine.data.corpora import french_verbs as fv
from engine.data.corpora.french_np import (
    PROFESSION_NOUNS,
    Ctx,
    Ref,
    adjective_form,
    finish,
    noun_phrase,
    prep_phrase,
    ref_of,
    resolve_pronoun,
)
from engine.data.corpora.lexicon import NUMBERS, PRONOUNS
from engine.data.corpora.structures import NP, Clause, Sentence, is_gap

_DIRECT = {"i": "me", "you": "te", "he": "le", "she": "la", "we": "nous", "they": "les"}
_INDIRECT = {"i": "me", "you": "te", "he": "lui", "she": "lui", "we": "nous", "they": "leur"}


def _tense(tense: str, v: fl.FrVerb) -> str:
    if tense == "past":
        return "imperfect" if v.stative else "compound"
    return "future" if tense == "future" else "present"


def verb_group(v: fl.FrVerb, tense: str, subject: Ref, negated: bool = False, clitics: tuple[str, ...] = (),
               object_ref: Ref | None = None) -> list[str]:
    """"mange", "a mangé", "est allée", "ne mangera pas", "ne l'a pas vue", "a besoin"."""
    inf, person = v.infinitive, subject.person
    ne, pas = (["ne"], ["pas"]) if negated else ([], [])
    particle = [v.particle] if v.particle else []
    t = _tense(tense, v)
    if t != "compound":
        form = {"present": fv.present, "imperfect": fv.imperfect, "future": fv.future}[t](inf, person)
        return ne + list(clitics) + [form] + pas + particle
    aux = fv.auxiliary(inf)
    part = fv.participle(inf)
    if aux == "être":
        part = fv.agree(part, subject.gender, subject.plural)
    elif object_ref is not None:
        part = fv.agree(part, object_ref.gender, object_ref.plural)
    return ne + list(clitics) + [fv.present(aux, person)] + pas + [part] + particle


def _verb(c: Clause) -> fl.FrVerb:
    if c.obj is not None and not is_gap(c.obj):
        special = fl.OBJECT_VERBS.get((c.verb, c.obj.head))
        if special is not None:
            return special
    v = fl.VERBS[c.verb]
    if v.with_object and c.obj is not None:
        return fl.FrVerb(v.with_object)
    return v


def _subject(c: Clause, ctx: Ctx, antecedent: tuple[NP, Ref] | None) -> tuple[list[str], Ref]:
    if is_gap(c.subject):
        return ["qui"], antecedent[1]
    return noun_phrase(c.subject, "subject", ctx)


def _object(c: Clause, v: fl.FrVerb, ctx: Ctx) -> tuple[list[str], tuple[str, ...], Ref | None]:
    """(words after the verb, clitics before it, the direct object that agrees with a participle)."""
    obj = c.obj
    if obj is None or is_gap(obj):
        return [], (), None
    if obj.head in PRONOUNS:
        ref = resolve_pronoun(obj.head, ctx) if obj.head != "it" else ref_of(obj, ctx)
        if v.prep == "à":
            return [], (_INDIRECT.get(obj.head, "lui"),), None
        if v.prep:
            return [*v.prep.split(), *noun_phrase(obj, "pp", ctx)[0]], (), None
        clitic = _DIRECT.get(obj.head) or ("la" if ref.gender == "f" else "le")
        return [], (clitic,), ref
    if v.prep:
        words, _ = noun_phrase(obj, "pp", ctx, after_de=v.prep == "de", generic=v.generic,
                               repeat=(v.prep,) if v.prep in ("à", "de") else ())
        return [*v.prep.split(), *words], (), None
    words, _ = noun_phrase(obj, "object", ctx, neg=c.negated, generic=v.generic)
    return words, (), None


def _complement(c: Clause, subject: Ref, ctx: Ctx) -> list[str]:
    comp = c.complement
    if comp is None:
        return []
    if c.verb != "be":
        return ["en", fl.adjective(comp).forms[0]] if isinstance(comp, str) else noun_phrase(comp, "object", ctx)[0]
    if isinstance(comp, str):
        if comp in fl.INVARIABLE_STATES:
            return [fl.INVARIABLE_STATES[comp]]
        return adjective_form(comp, subject)
    if comp.head in PROFESSION_NOUNS and comp.det in ("a", "an", "") and not comp.adjs and not comp.pps:
        feminine = subject.gender == "f"
        return noun_phrase(replace(comp, det="the"), "complement", ctx, feminine=feminine)[0][1:]
    return noun_phrase(comp, "complement", ctx)[0]


def _than(c: Clause, ctx: Ctx) -> list[str]:
    """que + what is compared: "que celle-là", "qu'avant", "que le roi"."""
    than = c.than
    if than is None:
        return []
    if than.det == "that" and than.head == c.subject.head and not than.adjs:
        ref = ref_of(than, ctx)
        pron = ("celles" if ref.plural else "celle") if ref.gender == "f" else ("ceux" if ref.plural else "celui")
        return ["que", pron + "-là"]
    return ["que", *noun_phrase(than, "subject", ctx)[0]]


def _special(c: Clause, ctx: Ctx) -> tuple[list[str], list[str], Ref, fl.FrVerb, tuple[str, ...], list[str]] | None:
    """(subject words, words after the verb, agreement, verb, clitics, ...) for "il y a", the weather,
    "c'est" and sums; None for an ordinary clause."""
    it = c.subject.head == "it" and c.verb == "be"
    if c.subject.head == "there" and isinstance(c.complement, NP):
        words, _ = noun_phrase(c.complement, "object", ctx, neg=c.negated)
        return ["il"], words, Ref(), fl.FrVerb("avoir", stative=True), ("y",), []
    if it and isinstance(c.complement, str) and c.complement in fl.WEATHER and not ctx.antecedents:
        verb, after = fl.WEATHER[c.complement]
        if verb == "y-avoir":
            after = "de vent" if c.negated else after
            return ["il"], after.split(), Ref(), fl.FrVerb("avoir", stative=True), ("y",), []
        return ["il"], after.split(), Ref(), fl.FrVerb(verb, stative=True), (), []
    if it and isinstance(c.complement, NP):
        ref = ref_of(c.complement, ctx)
        return ["ce"], noun_phrase(c.complement, "complement", ctx)[0], replace(ref, person=5 if ref.plural else 2), \
            fl.VERBS["be"], (), []
    sums = [pp for pp in c.subject.pps if pp.prep in ("plus", "minus")]
    if c.subject.head in NUMBERS and sums and isinstance(c.complement, str):
        words, _ = noun_phrase(c.subject, "subject", ctx)
        return words, [fl.NUMBERS_FR[c.complement]], Ref(plural=True, person=5), fl.FrVerb("faire"), (), []
    return None


def clause(c: Clause, ctx: Ctx, antecedent: tuple[NP, Ref] | None = None) -> tuple[list[str], tuple[Ref, ...]]:
    """French words of one clause and the phrases a pronoun in the next clause may refer to."""
    special = _special(c, ctx)
    if special is not None:
        subj_words, after, subject, v, clitics, _ = special
        verb = verb_group(v, c.tense, subject, c.negated, clitics)
        rest = after + [w for pp in c.adjuncts for w in prep_phrase(pp, ctx)]
        return _assemble(c, subj_words, verb, rest), ()
    subj_words, subject = _subject(c, ctx, antecedent)
    v = _verb(c)
    if c.verb == "be" and c.complement in fl.AVOIR_STATES:
        v = fl.FrVerb("avoir", particle=fl.AVOIR_STATES[c.complement], stative=True)
    obj_words, clitics, obj_ref = _object(c, v, ctx)
    if antecedent is not None and is_gap(c.obj):
        obj_ref = antecedent[1]                         # la pomme que la reine a mangée
        subj_words = ["que"] + subj_words
    verb = verb_group(v, c.tense, subject, c.negated, clitics, obj_ref)
    rest = obj_words
    if v.particle not in fl.AVOIR_STATES.values():
        rest = rest + _complement(c, subject, ctx)
    rest = rest + _than(c, ctx) + [w for pp in c.adjuncts for w in prep_phrase(pp, ctx)]
    if c.that is not None:
        rest += ["que", *clause(c.that, Ctx((subject,), ctx.relative))[0]]
    refs = (subject,) + tuple(ref_of(pp.obj, ctx) for pp in c.adjuncts if pp.obj.head not in PRONOUNS)
    if c.obj is not None and not is_gap(c.obj) and c.obj.head not in PRONOUNS:
        refs = (subject, ref_of(c.obj, ctx)) + refs[1:]
    return _assemble(c, subj_words, verb, rest), refs


def _assemble(c: Clause, subject: list[str], verb: list[str], rest: list[str]) -> list[str]:
    time = fl.TIMES[c.time].split() if c.time else []
    if c.question:
        return ["est-ce", "que", *subject, *verb, *rest, *time]
    return [*time, *subject, *verb, *rest]


def _relative(antecedent: NP, ref: Ref, ctx: Ctx) -> list[str]:
    """qui mange du pain / que la reine a mangée."""
    words, _ = clause(antecedent.rel, Ctx(ctx.antecedents, _relative), (antecedent, ref))
    return words


def render(sentence: Sentence) -> str:
    """One line of French, lowercase, no punctuation (like the English)."""
    words: list[str] = []
    antecedents: tuple[Ref, ...] = ()
    for i, c in enumerate(sentence.clauses):
        if i:
            words += fl.CONJUNCTIONS[sentence.conj].split()
        clause_words, refs = clause(c, Ctx(antecedents, _relative))
        words += clause_words
        antecedents = refs or antecedents
    return finish(words)
