"""The two casts of the grammar's templates: the uniform one draws every free word independently
(the English-French corpus), the world one fills them with facts (builtin:grammar), so that a
masked word is implied by the rest of its sentence."""
from __future__ import annotations

import random
from collections import defaultdict

from engine.data.corpora import english, grammar
from engine.data.corpora.cast import NAMES, UNIFORM, WORLD, fact
from engine.data.corpora.lexicon import COLOURS, COUNTRIES, MOODS
from engine.probes.lm_scores import content_words


def _lines(cast, n: int = 6000, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    funcs, weights = [f for f, _ in grammar.TOPICS], [w for _, w in grammar.TOPICS]
    return [english.render(rng.choices(funcs, weights)[0](rng, cast)) for _ in range(n)]


def test_uniform_is_the_default_and_draws_the_same_as_no_cast():
    for template, _ in grammar.TOPICS:
        a, b = random.Random(11), random.Random(11)
        assert [english.render(template(a)) for _ in range(30)] == [english.render(template(b, UNIFORM)) for _ in range(30)]
        assert a.random() == b.random()            # the same number of draws


def test_builtin_grammar_is_the_world_cast():
    rng = random.Random(5)
    funcs, weights = [f for f, _ in grammar.TOPICS], [w for _, w in grammar.TOPICS]
    want = [english.render(t(rng, WORLD)) for t in rng.choices(funcs, weights, k=256)][:50]
    assert grammar.english_lines(400, seed=5)[:50] == want


def test_facts_are_fixed_and_spread_over_the_first_keys():
    assert fact("john", "mood", MOODS) == fact("john", "mood", MOODS)
    assert len({fact(n, "colour", COLOURS) for n in NAMES[:len(COLOURS)]}) == len(COLOURS)
    assert len({fact(n, "home", COUNTRIES) for n in NAMES}) == len(NAMES)      # 29 countries, 16 people
    assert fact("king", "trait", ("kind", "brave")) == fact("queen", "trait", ("kind", "brave"))   # a pair shares


def _who_with(lines: list[str], verb: str) -> list[int]:
    """For sentences "NAME <verb> ... THING": how many different names do it, for each THING seen 4+ times."""
    names: dict[str, set[str]] = defaultdict(set)
    seen: dict[str, int] = defaultdict(int)
    for line in lines:
        w = line.split()
        for i, word in enumerate(w[:-1]):
            if word in NAMES and w[i + 1] == verb:
                names[w[-1]].add(word)
                seen[w[-1]] += 1
    return [len(names[t]) for t, n in seen.items() if n >= 4]


def test_in_the_world_a_name_is_implied_by_its_facts_and_not_in_the_uniform_cast():
    world, uniform = _lines(WORLD, 30000), _lines(UNIFORM, 30000)
    for verb in ("feeds", "paints"):
        w, u = _who_with(world, verb), _who_with(uniform, verb)
        assert len(w) >= 5 and len(u) >= 5
        assert sum(w) / len(w) <= 2.0, (verb, w)
        assert sum(u) / len(u) >= 3.0, (verb, u)


def _implied_share(lines: list[str]) -> float:
    """Share of the content words of repeated sentence frames that only one word ever fills."""
    fills: dict[tuple, set[str]] = defaultdict(set)
    count: dict[tuple, int] = defaultdict(int)
    for line in lines:
        w = line.split()
        for i in content_words(w):
            key = (*w[:i], "_", *w[i + 1:])
            fills[key].add(w[i])
            count[key] += 1
    seen = [k for k, n in count.items() if n >= 3]
    return sum(len(fills[k]) == 1 for k in seen) / len(seen)


def test_the_world_cast_makes_most_masked_words_implied():
    world, uniform = _implied_share(_lines(WORLD, 20000)), _implied_share(_lines(UNIFORM, 20000))
    assert world >= 0.75 and 1 - world <= 0.6 * (1 - uniform), (world, uniform)    # open frames: at most 60 %
