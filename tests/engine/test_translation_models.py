"""Translation models (seq2seq, nmt-transformer): cached decoding equals the full pass, beam search
finds the exhaustive optimum on a tiny model, tokenisers survive a save/load, and a translation
record holds every beam with its probabilities and cross-attention."""
from __future__ import annotations

import itertools
import math

import pytest
import torch

from engine.data.nmt_tokenizers import BOS, EOS, PAD, NMTTokenizers, train_tokenizers
from engine.data.parallel import ParallelPair
from engine.loaders.translation_decode import step_model
from engine.models.nmt_transformer import NMTTransformer, NMTTransformerConfig
from engine.models.seq2seq import Seq2Seq, Seq2SeqConfig

PAIRS = [ParallelPair("i am a student", "je suis étudiant"), ParallelPair("the cat is small", "le chat est petit"),
         ParallelPair("i am small", "je suis petit"), ParallelPair("the cat sleeps", "le chat dort")]


def tiny(kind: str, src_vocab: int = 12, tgt_vocab: int = 10, **over):
    torch.manual_seed(0)
    if kind == "transformer":
        cfg = NMTTransformerConfig(d_model=16, n_heads=2, d_ff=32, enc_layers=2, dec_layers=2, dropout=0.0, **over)
        return NMTTransformer(cfg, src_vocab, tgt_vocab).eval()
    cfg = Seq2SeqConfig(emb=8, hidden=12, dropout=0.0, **over)
    return Seq2Seq(cfg, src_vocab, tgt_vocab).eval()


MODELS = [("transformer", {}), ("seq2seq", {"attention": "additive"}), ("seq2seq", {"attention": "dot"}),
          ("seq2seq", {"attention": "none"}), ("seq2seq", {"attention": "additive", "cell": "lstm"})]


def _batch():
    src = torch.tensor([[5, 6, 7, 8, EOS], [9, 10, EOS, PAD, PAD]])
    tgt_in = torch.tensor([[BOS, 4, 5, 6, 7], [BOS, 8, 9, 4, 5]])
    return src, src != PAD, tgt_in


@pytest.mark.parametrize("kind,over", MODELS)
def test_cached_decoding_equals_the_full_pass(kind, over):
    net = tiny(kind, **over)
    src, keep, tgt_in = _batch()
    with torch.no_grad():
        full = net(src, keep, tgt_in)
        cache = net.new_cache(src, keep)
        steps = [net.decode(tgt_in[:, t:t + 1], cache) for t in range(tgt_in.shape[1])]
    torch.testing.assert_close(torch.cat(steps, 1), full, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("kind,over", MODELS[:2])
def test_padding_does_not_change_a_sentence(kind, over):
    net = tiny(kind, **over)
    src, keep, tgt_in = _batch()
    with torch.no_grad():
        alone = net(src[1:, :3], keep[1:, :3], tgt_in[1:])
        batched = net(src, keep, tgt_in)[1:]
    torch.testing.assert_close(batched, alone, rtol=1e-5, atol=1e-5)


def _exhaustive_best(net, src, keep, max_new: int, vocab: int):
    """Score every output of up to max_new tokens (ending in </s> or cut at max_new) by teacher forcing."""
    allowed = [t for t in range(vocab) if t not in (PAD, BOS)]
    best = (-math.inf, None)
    for n in range(1, max_new + 1):
        for seq in itertools.product(allowed, repeat=n):
            if EOS in seq[:-1] or (n < max_new and seq[-1] != EOS):
                continue
            tgt_in = torch.tensor([[BOS, *seq[:-1]]])
            logits = net(src, keep, tgt_in)
            logits[..., PAD] = logits[..., BOS] = float("-inf")
            lp = torch.log_softmax(logits[0], -1)[torch.arange(n), torch.tensor(seq)].sum().item()
            best = max(best, (lp, seq), key=lambda x: x[0])
    return best


@pytest.mark.parametrize("kind,over", MODELS[:2])
def test_beam_search_finds_the_exhaustive_optimum(kind, over):
    from engine.decoding import beam_search

    vocab, max_new = 6, 3                          # generable: <unk>, </s>, 2 words -> 4^3 outputs
    net = tiny(kind, tgt_vocab=vocab, **over)
    src = torch.tensor([[5, 6, 7, EOS]])
    keep = src != PAD
    with torch.no_grad():
        lp, seq = _exhaustive_best(net, src, keep, max_new, vocab)
        hyps = beam_search(step_model(net, src, keep), [BOS], 64, max_new, length_penalty=0.0, eos=EOS)
    assert hyps[0].ids == seq
    assert hyps[0].logprob == pytest.approx(lp, abs=1e-4)
    assert math.log(math.prod(hyps[0].token_probs)) == pytest.approx(lp, abs=1e-4)


def test_tokenizers_are_saved_and_restored(tmp_path):
    for kind in ("word", "bpe"):
        toks = train_tokenizers(PAIRS, kind, vocab_size=60)
        toks.save(tmp_path)
        back = NMTTokenizers.load(tmp_path)
        for p in PAIRS:
            assert back.encode_source(p.source) == toks.encode_source(p.source)
            assert back.encode_target(p.target) == toks.encode_target(p.target)
            assert back.decode_target(back.encode_target(p.target)) == p.target
        ids, tokens = back.encode_source("I am a 😀 dog")
        assert "<unk>" in tokens and len(ids) == len(tokens)           # unknown words stay visible


def test_word_tokenizer_keeps_special_ids_and_folds_case():
    toks = train_tokenizers(PAIRS, "word")
    assert [toks.src.token_to_id(t) for t in ("<pad>", "<unk>", "<s>", "</s>")] == [PAD, 1, BOS, EOS]
    assert toks.encode_source("I AM a Student.")[1] == ["i", "am", "a", "student"]


def _saved_model(tmp_path, family: str):
    """A tiny untrained model saved in the checkpoint layout, loaded back as the loader does."""
    import json
    from dataclasses import asdict

    from safetensors.torch import save_file

    from engine.loaders.translation import load_folder
    from engine.zoo import resolve

    toks = train_tokenizers(PAIRS, "word")
    net = tiny("transformer" if family == "nmt-transformer" else "seq2seq", toks.src_size, toks.tgt_size)
    save_file({k: v.contiguous() for k, v in net.state_dict().items()}, str(tmp_path / "model.safetensors"))
    (tmp_path / "meta.json").write_text(json.dumps({"family": family, "config": asdict(net.cfg)}))
    toks.save(tmp_path)
    return load_folder(tmp_path, resolve(family), torch.device("cpu"))


@pytest.mark.parametrize("family", ["nmt-transformer", "seq2seq"])
def test_a_loaded_model_keeps_its_word(tmp_path, family):
    import numpy as np

    from engine.contract.protocols import missing_protocols
    from engine.probes.attention import attention
    from engine.probes.translation import translate
    from engine.records.inputs import SourceTarget

    model = _saved_model(tmp_path, family)
    assert missing_protocols(model) == []
    t = translate(model, "I am a 😀 student", beam=3, max_len=5)
    assert t.source_tokens == ["i", "am", "a", "<unk>", "student", "</s>"] and "😀" in t.note
    assert 1 <= len(t.beams) <= 3 and [b.score for b in t.beams] == sorted((b.score for b in t.beams), reverse=True)
    for b in t.beams:
        assert len(b.tokens) == len(b.token_probs) <= 5
        assert b.logprob == pytest.approx(float(np.log(b.token_probs.astype(np.float64)).sum()), abs=1e-3)
        L, H, T, S = b.cross_attention.shape
        assert (T, S) == (len(b.tokens), 6)
        np.testing.assert_allclose(b.cross_attention.sum(-1), 1.0, atol=1e-5)
    maps = attention(model, SourceTarget("i am a student", "je suis étudiant"))
    cross = maps.stack("cross")
    assert cross.tokens_q == ["<s>", "je", "suis", "étudiant"] and cross.tokens_k == ["i", "am", "a", "student", "</s>"]
    if family == "nmt-transformer":
        assert [s.name for s in maps.stacks] == ["encoder", "decoder", "cross"]
        # the record's cross-attention of the best beam is the probe's on the same target
        best = t.beams[0]
        forced = attention(model, SourceTarget("I am a 😀 student", best.text)).stack("cross").weights
        if best.finished:
            np.testing.assert_allclose(forced, best.cross_attention, atol=1e-5)


def test_position_shift_moves_each_pair_to_a_later_start():
    """`shift` (the training task's pos_shift) = positions start..: equal to a model whose position
    table begins `k` rows later, row by row; zeros change nothing."""
    net = tiny("transformer")
    src, keep, tgt_in = _batch()
    with torch.no_grad():
        plain = net(src, keep, tgt_in)
        torch.testing.assert_close(net(src, keep, tgt_in, torch.zeros(2, dtype=torch.long)), plain)
        moved = net(src, keep, tgt_in, torch.tensor([3, 0]))
        pos = net.pos
        net.pos = pos[3:].clone()
        later = net(src, keep, tgt_in)
        net.pos = pos
    torch.testing.assert_close(moved[0], later[0], rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(moved[1], plain[1], rtol=1e-5, atol=1e-5)
    assert not torch.allclose(moved[0], plain[0])


def test_position_shift_is_drawn_only_while_training():
    from engine.errors import ConfigError
    from engine.tasks.translation import NMTTransformerTask

    task = NMTTransformerTask(NMTTransformerConfig(pos_shift=5, eval_sentences=1), "builtin:en-fr-small")
    data = task.dataset()
    items = [data[i] for i in range(64)]
    batch = task.collate(items, torch.Generator().manual_seed(0))
    assert batch["shift"].shape == (64,) and 0 <= int(batch["shift"].min()) and int(batch["shift"].max()) <= 5
    assert len(set(batch["shift"].tolist())) > 1
    assert "shift" not in task.collate(items, None)               # evaluation: positions from 0
    with pytest.raises(ConfigError, match="pos_shift"):
        NMTTransformerConfig(pos_shift=-1)
    short = NMTTransformerTask(NMTTransformerConfig(max_len=24, pos_shift=100, eval_sentences=1), "builtin:en-fr-small")
    data = short.dataset()
    batch = short.collate([data[i] for i in range(64)], torch.Generator().manual_seed(0))
    width = max(batch["src"].shape[1], batch["tgt_in"].shape[1])
    assert int(batch["shift"].max()) + width <= 25                # within the 25-row position table
    net = NMTTransformer(short.config, short.toks.src_size, short.toks.tgt_size)
    assert net(batch["src"], batch["keep"], batch["tgt_in"], batch["shift"]).shape[:2] == batch["tgt_in"].shape
