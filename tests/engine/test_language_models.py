"""bert-mini and gpt-mini: the KV cache gives the logits of a full recomputation, BERT's 80/10/10
masking has its statistics, the trained tokenizers round-trip, fill-mask / generate behave, and
every declared capability is implemented."""
from __future__ import annotations

import lm_tiny
import numpy as np
import pytest
import torch

from engine.contract.capabilities import Capability
from engine.contract.protocols import missing_protocols
from engine.errors import InputError, ModelError


def test_kv_cache_gives_the_logits_of_a_full_recomputation():
    from engine.decoding import CachedLM, Recompute, sample
    from engine.models.gpt_mini import GPTMiniConfig, build_gpt_mini

    torch.manual_seed(0)
    net = build_gpt_mini(GPTMiniConfig(d_model=32, n_layers=2, n_heads=4, d_ff=64, context=40), 50).eval()
    cached = CachedLM(lambda ids, cache: net(ids, cache=cache).logits, net.new_cache)
    full = Recompute(lambda ids: net(ids).logits)
    prefix = torch.tensor([[3, 7, 11, 2]])
    with torch.no_grad():
        a, sa = cached.start(prefix)
        b, sb = full.start(prefix)
        for tok in (5, 9, 1, 30, 4):
            torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)
            a, sa = cached.step(torch.tensor([tok]), sa)
            b, sb = full.step(torch.tensor([tok]), sb)
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)
    h1, h2 = sample(cached, prefix, 12, seed=3), sample(full, prefix, 12, seed=3)
    assert h1.ids == h2.ids and np.allclose(h1.token_probs, h2.token_probs, atol=1e-5)


def test_weights_are_tied():
    from engine.models.gpt_mini import GPTMiniConfig, build_gpt_mini

    net = build_gpt_mini(GPTMiniConfig(d_model=32, n_layers=1, n_heads=4, d_ff=64), 50)
    assert net.lm_head.weight is net.wte.weight


def test_masking_follows_the_80_10_10_rule():
    from engine.models.bert_mini import IGNORE, mask_tokens

    gen = torch.Generator().manual_seed(0)
    ids = torch.randint(5, 1000, (400, 250), generator=gen)
    special = torch.zeros_like(ids, dtype=torch.bool)
    special[:, 0] = special[:, -1] = True
    inputs, labels = mask_tokens(ids, special, mask_id=4, n_special=5, vocab_size=1000, generator=gen, prob=0.15)
    chosen = labels != IGNORE
    assert not chosen[special].any()
    assert torch.equal(labels[chosen], ids[chosen]) and torch.equal(inputs[~chosen], ids[~chosen])
    n = int(chosen.sum())
    assert n / int((~special).sum()) == pytest.approx(0.15, abs=0.005)
    masked = (inputs[chosen] == 4).float().mean().item()
    kept = (inputs[chosen] == ids[chosen]).float().mean().item()
    replaced = ((inputs[chosen] != 4) & (inputs[chosen] != ids[chosen])).float().mean().item()
    assert masked == pytest.approx(0.8, abs=0.01)
    assert kept == pytest.approx(0.1 + 0.1 / 995, abs=0.01)        # a random token may equal the original
    assert replaced == pytest.approx(0.1, abs=0.01)
    assert int(inputs[chosen & (inputs != 4)].min()) >= 5                 # random tokens are never specials


@pytest.mark.parametrize("kind", ["wordpiece", "bpe", "chars"])
def test_tokenizers_round_trip(kind, tmp_path):
    from engine.data import lm_tokenizers as T

    lines = lm_tiny.corpus_file().read_text(encoding="utf-8").splitlines()
    make = {"wordpiece": lambda: T.wordpiece(lines, 300), "bpe": lambda: T.bpe(lines, 300), "chars": lambda: T.chars(lines)}
    tok = make[kind]()
    tok.save_pretrained(str(tmp_path))
    again = T.load_tokenizer(tmp_path)
    for line in lines[:50] + ["The Queen lives in a castle"]:
        ids = tok(line, add_special_tokens=False)["input_ids"]
        assert again(line, add_special_tokens=False)["input_ids"] == ids
        assert tok.decode(ids, skip_special_tokens=True) == line.lower()
    if kind == "wordpiece":
        enc = tok("the [MASK] sleeps")["input_ids"]
        assert enc[0] == tok.cls_token_id and enc[-1] == tok.sep_token_id and tok.mask_token_id in enc
    if kind == "chars":
        assert set(tok("жж", add_special_tokens=False)["input_ids"]) == {tok.unk_token_id}


def test_bert_mini_fills_masks_and_keeps_its_word():
    from engine.probes.language_model import fill_mask

    model = lm_tiny.load("bert-mini", lm_tiny.tiny_bert())
    assert missing_protocols(model) == [] and model.can(Capability.FILL_MASK)
    r = fill_mask(model, "the king lives in the [MASK] and the [MASK]", top_k=4)
    assert len(r.predictions) == 2 and all(len(p) == 4 for p in r.predictions)
    assert [r.tokens[i] for i in r.masked] == ["[MASK]", "[MASK]"]
    # the same logits as the network, softmaxed, at the mask
    enc = model.tokenizer("the king lives in the [MASK] and the [MASK]", return_tensors="pt")
    with torch.no_grad():
        probs = torch.softmax(model.net(enc["input_ids"]).logits[0, r.masked[0]], -1)
    assert r.predictions[0][0].prob == pytest.approx(float(probs.max()), rel=1e-5)
    clicked = fill_mask(model, "the king lives in the castle", top_k=3, positions=[2])
    assert clicked.masked == (2,) and clicked.tokens[2] == "[MASK]"
    with pytest.raises(InputError, match=r"no \[MASK\]"):
        fill_mask(model, "the king lives in the castle")
    with pytest.raises(ModelError, match="cannot generate"):
        model.require(Capability.GENERATE)


@pytest.mark.parametrize("tokenizer", ["bpe", "char"])
def test_gpt_mini_generates_the_same_text_from_the_same_seed(tokenizer):
    from engine.probes.language_model import generate

    model = lm_tiny.load("gpt-mini", lm_tiny.tiny_gpt(tokenizer))
    assert missing_protocols(model) == [] and model.can(Capability.GENERATE)
    a = generate(model, "the queen", 8, temperature=1.0, top_k=20, seed=5, stop_at_end=False)
    b = generate(model, "the queen", 8, temperature=1.0, top_k=20, seed=5, stop_at_end=False)
    assert a == b and len(a.tokens) == 8 and a.text.startswith("the queen")
    g = generate(model, "the queen", 4, temperature=0.0, stop_at_end=False)
    assert g.greedy and "greedy" in g.note.lower()
    assert generate(model, "the queen", 4, top_p=0.0, stop_at_end=False).ids == g.ids


def test_bad_prompts_are_refused_or_cut_with_a_notice():
    from engine.probes.language_model import generate

    chars = lm_tiny.load("gpt-mini", lm_tiny.tiny_gpt("char"))
    with pytest.raises(InputError, match="unknown"):
        generate(chars, "жжж", 3)
    with pytest.raises(InputError, match=r"cannot fill in \[MASK\]"):
        generate(chars, "the [MASK] sleeps", 3)
    long = generate(chars, "the king " * 1200, 5, stop_at_end=False)
    assert "only its last" in long.note and len(long.ids) == 5


def test_bigram_perplexity_matches_a_hand_count():
    from engine.probes.lm_scores import bigram_perplexity

    train = np.array([0, 1, 2, 0, 1, 2, 0, 1])
    test = np.array([0, 1, 2])
    ppl, lam = bigram_perplexity(train, test, 3)
    # p(1|0) = 3/3, p(2|1) = 2/3; unigram add-one: counts (3, 3, 2) -> (4, 4, 3) / 11
    p = lambda lam_, bi, uni: lam_ * bi + (1 - lam_) * uni
    want = np.exp(-np.mean(np.log([p(lam, 1.0, 4 / 11), p(lam, 2 / 3, 3 / 11)])))
    assert ppl == pytest.approx(want) and lam > 0.9
