"""Attention from any module: an LSTM's attention pooling over audio frames, an LSTM decoder's
additive attention (one call per output step) and a Transformer encoder-decoder's three stacks
come out of the one attention probe with the right labels per sequence and the right numbers,
through the probe and through `mlsp attention ... --out`."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from tiny_attention_models import FRAME, frames_of, register_tiny

from engine.probes.attention import attention
from engine.records.attention import CAUSAL_SELF, CROSS, ENCODER_SELF, POOLING
from engine.records.inputs import AudioInput, SourceTarget
from engine.zoo import load_model


@pytest.fixture(autouse=True)
def _tiny(monkeypatch):
    register_tiny(monkeypatch)


def _audio(seconds: float = 0.25, rate: int = 16000) -> AudioInput:
    t = np.arange(int(seconds * rate)) / rate
    x = (0.5 * np.sin(2 * np.pi * 220 * t) * (t > 0.1)).astype(np.float32)       # silence, then a tone
    return AudioInput(path=None, name="tone", samples=x, sample_rate=rate, duration=seconds, original_rate=rate,
                      channels=1, truncated=False, note="")


def test_lstm_attention_pooling_gives_a_weight_per_frame_with_times_as_labels():
    model = load_model("tiny-lstm-pool", "cpu")
    audio = _audio()
    maps = attention(model, audio)
    stack = maps.primary
    frames = len(audio.samples) // FRAME
    assert (stack.name, stack.kind, stack.weights.shape) == ("pooling", POOLING, (1, 1, 1, frames))
    assert stack.tokens_q == ["l"] and stack.tokens_k[:3] == ["0.00 s", "0.01 s", "0.02 s"]
    seq = maps.sequence("frames")
    np.testing.assert_allclose(seq.times[:3], [0.0, 0.01, 0.02], atol=1e-6)
    # the lecture's formula by hand: a_t = softmax(tanh(W h_t + b) . u)
    net = model.net
    with torch.no_grad():
        h, _ = net.lstm(frames_of(audio.samples))
        a = torch.softmax(torch.tanh(net.pool.proj(h)) @ net.pool.context, dim=-1)[0].numpy()
    np.testing.assert_allclose(stack.weights[0, 0, 0], a, rtol=1e-5, atol=1e-7)


def test_lstm_decoder_attention_is_target_by_source_one_row_per_step():
    model = load_model("tiny-seq2seq", "cpu")
    maps = attention(model, SourceTarget("i am a student", "je suis étudiant"))
    stack = maps.stack("cross")
    assert stack.kind == CROSS and stack.weights.shape == (1, 1, 4, 4)
    assert stack.tokens_q == ["<bos>", "je", "suis", "étudiant"] and stack.tokens_k == ["i", "am", "a", "student"]
    np.testing.assert_allclose(stack.weights.sum(-1), 1.0, atol=1e-6)
    # row t is the attention of decoder step t, computed by hand from the module's parameters
    net = model.net
    src = torch.tensor([[1, 2, 3, 4]])
    tgt = torch.tensor([[0, 2, 3, 4]])
    with torch.no_grad():
        keys, (h, c) = net.encoder(net.src_emb(src))
        h, c, ctx, rows = h[0], c[0], torch.zeros(1, 8), []
        for t in range(4):
            h, c = net.cell(torch.cat([net.tgt_emb(tgt[:, t]), ctx], -1), (h, c))
            e = net.attn.v(torch.tanh(net.attn.w_q(h)[:, None] + net.attn.w_k(keys))).squeeze(-1)
            a = torch.softmax(e, -1)
            ctx = (a[:, :, None] * keys).sum(1)
            rows.append(a[0].numpy())
    np.testing.assert_allclose(stack.weights[0, 0], np.stack(rows), rtol=1e-5, atol=1e-7)


def test_transformer_encoder_decoder_has_three_stacks_labelled_by_sequence():
    model = load_model("tiny-transformer-ed", "cpu")
    maps = attention(model, SourceTarget("the cat sat", "le chat assis"), step=("cross", 1, 1))
    names = [s.name for s in maps.stacks]
    assert names == ["encoder", "decoder", "cross"]
    enc, dec, cross = (maps.stack(n) for n in names)
    assert (enc.kind, dec.kind, cross.kind) == (ENCODER_SELF, CAUSAL_SELF, CROSS)
    assert enc.tokens_q == enc.tokens_k == ["the", "cat", "sat"]
    assert dec.tokens_q == dec.tokens_k == ["<bos>", "le", "chat", "assis"]
    assert cross.tokens_q == ["<bos>", "le", "chat", "assis"] and cross.tokens_k == ["the", "cat", "sat"]
    assert enc.weights.shape == (2, 2, 3, 3) and dec.weights.shape == (2, 2, 4, 4) and cross.weights.shape == (2, 2, 4, 3)
    assert np.allclose(np.triu(dec.weights, k=1), 0.0)              # masked: no query sees a later target word
    step = maps.step                                                 # queries from the decoder, keys from the encoder
    assert step is not None and step.stack == CROSS and step.layer == 1 and step.head == 1
    assert step.x.shape == (4, 16) and step.x_kv.shape == (3, 16)
    np.testing.assert_allclose(step.weights, cross.weights[1, 1], rtol=1e-5, atol=1e-7)
    q = step.x @ step.w_q + step.b_q
    k = step.x_kv @ step.w_k + step.b_k
    s = q @ k.T * step.scale
    ref = np.exp(s - s.max(1, keepdims=True))
    np.testing.assert_allclose(step.weights, ref / ref.sum(1, keepdims=True), rtol=1e-4, atol=1e-6)


def test_without_a_target_the_model_translates_first_through_the_cached_decoder():
    from tiny_attention_models import TGT

    from engine.decoding import Recompute, greedy

    model = load_model("tiny-transformer-ed", "cpu")
    src = torch.tensor([[1, 2, 3, 4]])
    cached = model.translate_ids(src)
    net = model.net
    plain = greedy(Recompute(lambda ids: net(src, ids)), [TGT.index("<bos>")], 6, eos=TGT.index("<eos>"))
    assert cached == list(plain.ids)                                  # the key/value cache changes nothing
    maps = attention(model, SourceTarget("i am a student"))
    produced = [TGT[i] for i in cached if TGT[i] != "<eos>"]
    assert maps.stack("cross").tokens_q == ["<bos>"] + produced


def test_cli_writes_every_stack_with_its_labels(tmp_path):
    from engine.cli import main

    out = tmp_path / "a.npz"
    assert main(["attention", "tiny-transformer-ed", "the cat sat", "--pair", "le chat assis", "--out", str(out),
                 "--device", "cpu"]) == 0
    with np.load(out) as npz:
        assert list(npz["stacks"]) == ["encoder", "decoder", "cross"]
        assert npz["cross_weights"].shape == (2, 2, 4, 3)
        assert list(npz["cross_tokens_q"]) == ["<bos>", "le", "chat", "assis"]
        assert list(npz["cross_tokens_k"]) == ["the", "cat", "sat"]
        assert list(npz["encoder_tokens_q"]) == ["the", "cat", "sat"]
        direct = attention(load_model("tiny-transformer-ed", "cpu"), SourceTarget("the cat sat", "le chat assis"))
        np.testing.assert_allclose(npz["cross_weights"], direct.stack("cross").weights)
    wav = tmp_path / "tone.wav"
    import soundfile as sf

    sf.write(wav, _audio().samples, 16000)
    out2 = tmp_path / "b.npz"
    assert main(["attention", "tiny-lstm-pool", str(wav), "--out", str(out2), "--device", "cpu"]) == 0
    with np.load(out2) as npz:
        assert list(npz["stacks"]) == ["pooling"] and npz["pooling_weights"].shape[2:] == (1, 25)
        np.testing.assert_allclose(npz["frames_times"][:2], [0.0, 0.01], atol=1e-6)
