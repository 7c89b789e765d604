"""Shared decoding: greedy, beam search and sampling over any model with next-token logits, with
and without a key/value cache; GPT-2 folders decode through it and equal transformers' generate."""
from __future__ import annotations

import itertools

import hf_tiny
import numpy as np
import pytest
import torch

from engine.decoding import CachedLM, Recompute, beam_search, greedy, next_token_distribution, sample
from engine.errors import InputError
from engine.models.gpt2 import GPT2, GPT2Config


class Table:
    """A fixed next-token table (V x V logits: the next token depends on the last one): exact answers
    can be enumerated."""

    def __init__(self, vocab: int = 5, seed: int = 0) -> None:
        g = torch.Generator().manual_seed(seed)
        self.logits = torch.randn(vocab, vocab, generator=g) * 2

    def model(self) -> Recompute:
        return Recompute(lambda ids: self.logits[ids])

    def logprob(self, prefix: list[int], seq: tuple[int, ...]) -> float:
        last, total = prefix[-1], 0.0
        for tok in seq:
            total += float(torch.log_softmax(self.logits[last], -1)[tok])
            last = tok
        return total


def test_beam_search_finds_the_exact_best_sequence_and_beam_one_is_greedy():
    table = Table()
    best = max(itertools.product(range(5), repeat=3), key=lambda s: table.logprob([0], s))
    beams = beam_search(table.model(), [0], beam_size=25, max_new=3, length_penalty=0.0)
    assert beams[0].ids == best
    assert beams[0].logprob == pytest.approx(table.logprob([0], best), abs=1e-5)
    assert [b.score for b in beams] == sorted((b.score for b in beams), reverse=True)
    g = greedy(table.model(), [0], 3)
    one = beam_search(table.model(), [0], beam_size=1, max_new=3)[0]
    assert one.ids == g.ids and one.logprob == pytest.approx(g.logprob, abs=1e-5)
    assert beams[0].logprob >= g.logprob - 1e-6
    np.testing.assert_allclose(np.log(beams[0].token_probs).sum(), beams[0].logprob, atol=1e-5)


def test_beam_search_stops_beams_at_the_end_token_and_applies_the_length_penalty():
    table = Table(seed=3)
    beams = beam_search(table.model(), [1], beam_size=3, max_new=6, eos=4, length_penalty=1.0)
    for b in beams:
        assert (b.finished and b.ids[-1] == 4 and 4 not in b.ids[:-1]) or (not b.finished and 4 not in b.ids)
        assert b.score == pytest.approx(b.logprob / len(b.ids), abs=1e-6)


def test_sampling_is_seeded_and_temperature_zero_is_greedy():
    table = Table(vocab=7, seed=1)
    a = sample(table.model(), [2], 20, temperature=1.5, seed=11)
    b = sample(table.model(), [2], 20, temperature=1.5, seed=11)
    c = sample(table.model(), [2], 20, temperature=1.5, seed=12)
    assert a.ids == b.ids and a.ids != c.ids
    g = greedy(table.model(), [2], 20)
    assert sample(table.model(), [2], 20, temperature=0.0, seed=5).ids == g.ids
    assert sample(table.model(), [2], 20, top_p=0.0, seed=5).ids == g.ids
    assert sample(table.model(), [2], 20, top_k=1, seed=5).ids == g.ids
    with pytest.raises(InputError, match="temperature must be 0 or more"):
        sample(table.model(), [2], 3, temperature=-1)
    with pytest.raises(InputError, match="top-p must be between 0 and 1"):
        sample(table.model(), [2], 3, top_p=1.5)


def test_top_k_and_top_p_keep_exactly_the_documented_tokens():
    logits = torch.log(torch.tensor([0.5, 0.2, 0.15, 0.1, 0.05]))
    d = next_token_distribution(logits, top_k=3)
    assert d.kept.tolist() == [True, True, True, False, False]
    np.testing.assert_allclose(d.probs, [0.5 / 0.85, 0.2 / 0.85, 0.15 / 0.85, 0, 0], atol=1e-6)
    d = next_token_distribution(logits, top_p=0.8)        # 0.5 + 0.2 < 0.8, so 0.15 is needed too
    assert d.kept.tolist() == [True, True, True, False, False]
    d = next_token_distribution(logits, top_p=0.7)        # 0.5 + 0.2 reaches 0.7
    assert d.kept.tolist() == [True, True, False, False, False]
    d = next_token_distribution(logits, temperature=2.0)
    expected = np.array([0.5, 0.2, 0.15, 0.1, 0.05]) ** 0.5
    np.testing.assert_allclose(d.probs, expected / expected.sum(), atol=1e-6)
    np.testing.assert_allclose(d.raw, [0.5, 0.2, 0.15, 0.1, 0.05], atol=1e-6)
    assert next_token_distribution(logits, temperature=0).greedy


def test_the_key_value_cache_gives_the_same_tokens_and_probabilities():
    torch.manual_seed(0)
    net = GPT2(GPT2Config(vocab_size=40, d_model=32, n_layers=2, n_heads=4, d_ff=64, max_positions=64)).eval()
    with torch.no_grad():
        for p in net.parameters():
            p.normal_(0, 0.3)
    cached = CachedLM(lambda ids, cache: net(ids, cache=cache).logits, net.new_cache)
    plain = Recompute(lambda ids: net(ids).logits)
    for fn in (lambda m: greedy(m, [1, 2, 3], 12), lambda m: sample(m, [1, 2, 3], 12, top_k=8, seed=4)):
        x, y = fn(cached), fn(plain)
        assert x.ids == y.ids
        np.testing.assert_allclose(x.token_probs, y.token_probs, rtol=1e-4)
    bx, by = beam_search(cached, [5], 4, 8), beam_search(plain, [5], 4, 8)
    assert [b.ids for b in bx] == [b.ids for b in by]


def test_gpt2_folder_greedy_equals_transformers_generate():
    from engine.zoo import load_model

    folder = hf_tiny.tiny_folder("gpt2")
    model = load_model(f"hf:{folder}", "cpu")
    ids = model.encode("the cat sat on").input_ids
    ours = model.generate(ids, 8)
    hf = hf_tiny.hf_model(folder, lm_head=True)
    theirs = hf.generate(ids, max_new_tokens=8, do_sample=False, pad_token_id=0)
    assert ours.tolist() == theirs.tolist()
