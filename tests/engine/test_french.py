"""The French realiser renders the grammar's structures as real French: the lecture's sentence,
articles with gender, number and elision, contractions, adjective agreement and placement,
conjugation (présent, passé composé with être/avoir and agreement, imparfait, futur), negation,
questions, relative clauses, object pronouns — checked against forms from French grammar
references (Bescherelle conjugation tables), not against the code's own output."""
from __future__ import annotations

import pytest

from engine.data.corpora import english, french
from engine.data.corpora import french_verbs as fv
from engine.data.corpora.structures import GAP, NP, PP, Clause, Sentence


def fr(*clauses: Clause, conj: str = "and") -> str:
    return french.render(Sentence(tuple(clauses), "test", conj))


def en(*clauses: Clause, conj: str = "and") -> str:
    return english.render(Sentence(tuple(clauses), "test", conj))


def test_the_lecture_sentence_and_the_issue_examples():
    student = Clause(NP("i"), "be", "present", complement=NP("student", det="a"))
    assert (en(student), fr(student)) == ("i am a student", "je suis étudiant")       # no article after être
    queen = Clause(NP("queen"), "eat", "progressive", obj=NP("apple", det="a"))
    assert (en(queen), fr(queen)) == ("the queen is eating an apple", "la reine mange une pomme")
    assert fr(Clause(NP("she"), "be", "present", complement=NP("student", det="a"))) == "elle est étudiante"
    assert fr(Clause(NP("we"), "be", "past", complement=NP("doctor", plural=True, det=""))) == "nous étions médecins"


@pytest.mark.parametrize("clause, french_text", [
    (Clause(NP("man"), "sleep", "present"), "l'homme dort"),                                        # elision
    (Clause(NP("man"), "walk", "present", adjuncts=(PP("to", NP("school")),)), "l'homme marche à l'école"),
    (Clause(NP("she"), "walk", "past", adjuncts=(PP("to", NP("market")),)), "elle a marché au marché"),
    (Clause(NP("they"), "walk", "future", adjuncts=(PP("from", NP("park")), PP("to", NP("hospital")))),
     "ils marcheront du parc à l'hôpital"),
    (Clause(NP("tom", det=""), "give", "past", obj=NP("gift", det="a"), adjuncts=(PP("to", NP("child", plural=True)),)),
     "tom a donné un cadeau aux enfants"),
    (Clause(NP("house", plural=True, adjs=("big",)), "be", "present", complement="old"), "les grandes maisons sont vieilles"),
    (Clause(NP("car", det="a", adjs=("small", "red")), "be", "present", complement="new"), "une petite voiture rouge est neuve"),
    (Clause(NP("tom", det=""), "see", "past", obj=NP("man", det="a", adjs=("old",))), "tom a vu un vieil homme"),
    (Clause(NP("bird", det="this"), "sing", "present"), "cet oiseau chante"),
    (Clause(NP("school", det="poss", owner="she"), "be", "present", complement="big"), "son école est grande"),
    (Clause(NP("there"), "be", "present", complement=NP("house", plural=True, det="", adjs=("big",))),
     "il y a de grandes maisons"),
    (Clause(NP("she"), "live", "present", adjuncts=(PP("in", NP("portugal", det="")),)), "elle vit au portugal"),
    (Clause(NP("she"), "live", "present", adjuncts=(PP("in", NP("italy", det="")),)), "elle vit en italie"),
    (Clause(NP("she"), "live", "present", adjuncts=(PP("in", NP("cairo", det="")),)), "elle vit au caire"),
    (Clause(NP("she"), "live", "present", adjuncts=(PP("in", NP("havana", det="")),)), "elle vit à la havane"),
    (Clause(NP("owl"), "hoot", "present", negated=True), "le hibou ne hulule pas"),                 # h aspiré
    (Clause(NP("you"), "arrive", "future", adjuncts=(PP("in", NP("hungary", det="")),)), "tu arriveras en hongrie"),
    (Clause(NP("paris", det=""), "be", "present", complement=NP("capital", pps=(PP("of", NP("france", det="")),))),
     "paris est la capitale de la france"),
    (Clause(NP("it"), "be", "present", complement="rainy", adjuncts=(PP("in", NP("spring", det="")),)),
     "il pleut au printemps"),
])
def test_articles_elision_contraction_agreement(clause, french_text):
    assert fr(clause) == french_text


def test_passe_compose_with_etre_and_avoir_and_agreement():
    assert fr(Clause(NP("she"), "go", "past", adjuncts=(PP("to", NP("market")),))) == "elle est allée au marché"
    assert fr(Clause(NP("sister", plural=True, det="poss", owner="i"), "arrive", "past",
                     adjuncts=(PP("at", NP("village")),))) == "mes sœurs sont arrivées au village"
    assert fr(Clause(NP("queen"), "eat", "past", obj=NP("apple", det="a"))) == "la reine a mangé une pomme"
    # a direct object before the verb: the participle agrees with it
    apple = NP("apple", rel=Clause(NP("queen"), "eat", "past", obj=GAP))
    sweet = Clause(apple, "be", "past", complement="sweet")
    assert (en(sweet), fr(sweet)) == ("the apple that the queen ate was sweet", "la pomme que la reine a mangée était sucrée")
    assert fr(Clause(NP("she"), "see", "past", obj=NP("he"), time="yesterday")) == "hier elle l'a vu"
    assert fr(Clause(NP("he"), "see", "past", obj=NP("she"))) == "il l'a vue"
    assert fr(Clause(NP("we"), "see", "past", obj=NP("they"), negated=True)) == "nous ne les avons pas vus"


def test_negation_ne_pas_and_de():
    eat = Clause(NP("he"), "eat", "present", negated=True)
    assert (en(eat), fr(eat)) == ("he does not eat", "il ne mange pas")
    car = Clause(NP("she"), "have", "present", obj=NP("car", det="a"), negated=True)
    assert (en(car), fr(car)) == ("she does not have a car", "elle n'a pas de voiture")
    assert fr(Clause(NP("he"), "eat", "past", obj=NP("bread", det=""), negated=True)) == "il n'a pas mangé de pain"
    assert fr(Clause(NP("he"), "drink", "future", obj=NP("water", det=""), negated=True)) == "il ne boira pas d'eau"
    assert fr(Clause(NP("it"), "be", "present", complement="windy", negated=True)) == "il n'y a pas de vent"
    nocat = Clause(NP("there"), "be", "present", complement=NP("cat", det="a"), adjuncts=(PP("in", NP("garden")),), negated=True)
    assert (en(nocat), fr(nocat)) == ("there is no cat in the garden", "il n'y a pas de chat dans le jardin")
    assert fr(Clause(NP("he"), "be", "present", complement=NP("cat", det="a"), negated=True)) == "il n'est pas un chat"


def test_questions_and_relative_clauses():
    q = Clause(NP("she"), "eat", "present", obj=NP("bread", det=""), question=True)
    assert (en(q), fr(q)) == ("does she eat bread", "est-ce qu'elle mange du pain")
    q = Clause(NP("king"), "go", "past", adjuncts=(PP("to", NP("paris", det="")),), question=True)
    assert (en(q), fr(q)) == ("did the king go to paris", "est-ce que le roi est allé à paris")
    man = NP("man", rel=Clause(GAP, "eat", "present", obj=NP("bread", det="")))
    c = Clause(man, "live", "present", adjuncts=(PP("in", NP("house")),))
    assert (en(c), fr(c)) == ("the man who eats bread lives in the house", "l'homme qui mange du pain vit dans la maison")


def test_pronouns_follow_the_gender_of_what_they_refer_to():
    cows = Clause(NP("cow", plural=True), "moo", "present")
    they = Clause(NP("they"), "eat", "present", obj=NP("grass", det=""))
    assert fr(cows, they) == "les vaches meuglent et elles mangent de l'herbe"
    went = Clause(NP("john", det=""), "go", "past", adjuncts=(PP("to", NP("school")),))
    it = Clause(NP("it"), "close", "present", adjuncts=(PP("at", NP("nine", det="")),))
    assert fr(went, it) == "john est allé à l'école et elle ferme à neuf heures"
    tired = Clause(NP("queen"), "be", "present", complement="tired")
    assert fr(tired, Clause(NP("she"), "sleep", "past"), conj="because") == "la reine est fatiguée parce qu'elle a dormi"


def test_comparisons_superlatives_and_idioms():
    assert fr(Clause(NP("house", det="this"), "be", "present", complement="bigger", than=NP("house", det="that"))) \
        == "cette maison est plus grande que celle-là"
    older = Clause(NP("bridge"), "be", "past", complement="older", than=NP("before", det=""))
    assert fr(older) == "le pont était plus vieux qu'avant"
    assert fr(Clause(NP("it"), "be", "present", complement=NP("car", adjs=("fastest",), pps=(PP("of", NP("all", det="")),)))) \
        == "c'est la voiture la plus rapide de toutes"
    better = Clause(NP("meal"), "be", "present", complement="better", than=NP("soup", det=""))
    assert fr(better) == "le repas est meilleur que la soupe"
    assert fr(Clause(NP("she"), "be", "past", complement="hungry")) == "elle avait faim"
    assert fr(Clause(NP("tom", det=""), "play", "present", obj=NP("piano"))) == "tom joue du piano"
    assert fr(Clause(NP("tom", det=""), "play", "present", obj=NP("football", det=""))) == "tom joue au football"
    assert fr(Clause(NP("hospital"), "need", "present", obj=NP("doctor", det="a"))) == "l'hôpital a besoin d'un médecin"
    assert fr(Clause(NP("two", det="", pps=(PP("plus", NP("three", det="")),)), "be", "present", complement="five")) \
        == "deux plus trois font cinq"


@pytest.mark.parametrize("inf, present, future, imperfect, participle", [
    ("être", "suis es est sommes êtes sont", "serai", "étais", "été"),
    ("avoir", "ai as a avons avez ont", "aurai", "avais", "eu"),
    ("aller", "vais vas va allons allez vont", "irai", "allais", "allé"),
    ("manger", "mange manges mange mangeons mangez mangent", "mangerai", "mangeais", "mangé"),
    ("acheter", "achète achètes achète achetons achetez achètent", "achèterai", "achetais", "acheté"),
    ("appeler", "appelle appelles appelle appelons appelez appellent", "appellerai", "appelais", "appelé"),
    ("régner", "règne règnes règne régnons régnez règnent", "régnerai", "régnais", "régné"),
    ("aboyer", "aboie aboies aboie aboyons aboyez aboient", "aboierai", "aboyais", "aboyé"),
    ("finir", "finis finis finit finissons finissez finissent", "finirai", "finissais", "fini"),
    ("vendre", "vends vends vend vendons vendez vendent", "vendrai", "vendais", "vendu"),
    ("prendre", "prends prends prend prenons prenez prennent", "prendrai", "prenais", "pris"),
    ("boire", "bois bois boit buvons buvez boivent", "boirai", "buvais", "bu"),
    ("voir", "vois vois voit voyons voyez voient", "verrai", "voyais", "vu"),
    ("connaître", "connais connais connaît connaissons connaissez connaissent", "connaîtrai", "connaissais", "connu"),
    ("peindre", "peins peins peint peignons peignez peignent", "peindrai", "peignais", "peint"),
])
def test_conjugation_tables(inf, present, future, imperfect, participle):
    assert [fv.present(inf, p) for p in range(6)] == present.split()
    assert (fv.future(inf, 0), fv.imperfect(inf, 0), fv.participle(inf)) == (future, imperfect, participle)


def test_every_sentence_of_the_grammar_renders():
    """Every lemma, determiner, preposition and construction the templates produce has French (a
    KeyError would name the missing word), and no English function word leaks into the French."""
    import itertools

    from engine.data.corpora import en_fr

    english_only = {"the", "an", "is", "are", "was", "were", "will", "does", "did", "not", "and", "of", "in",
                    "to", "who", "that", "he", "she", "they", "we", "it", "his", "her", "their", "my", "there"}
    for s in itertools.islice(en_fr.sentences(seed=11), 20_000):
        text = french.render(s)
        assert text and not (set(text.split()) & english_only), (english.render(s), text)
