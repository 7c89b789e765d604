"""wav2vec-mini: span masks, distractors from other masked frames, the contrastive and diversity losses
against hand computations, the quantiser's codes, the loaded model's frames, attention with frame
times and masked-prediction record, and pooled word features for a probe."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from engine.contract.protocols import missing_protocols
from engine.errors import InputError
from engine.models.wav2vec_mini import (
    Wav2VecConfig,
    Wav2VecOutput,
    build_wav2vec_mini,
    frames_for,
    sample_distractors,
    span_mask,
    wav2vec_losses,
)
from engine.records.inputs import AudioInput

TINY = Wav2VecConfig(conv_channels=16, d_model=16, layers=1, heads=2, d_ff=32, groups=2, entries=4, code_dim=8,
                     final_dim=8, distractors=3, dropout=0.0)


def audio(x, rate=16_000, name="clip.wav") -> AudioInput:
    x = np.asarray(x, np.float32)
    return AudioInput(None, name, x, rate, len(x) / rate, rate, 1, False, "")


def test_span_masks_are_spans_and_every_row_has_one():
    g = torch.Generator().manual_seed(0)
    mask = span_mask(64, 49, 0.08, 5, g)
    assert mask.shape == (64, 49) and mask.any(dim=1).all()
    for row in mask.numpy():
        edges = np.diff(np.concatenate([[0], row.astype(int), [0]]))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        assert ((ends - starts) >= 5).all() or ends[-1] == 49              # a span runs 5 frames (or to the end)
    assert 0.2 < float(mask.float().mean()) < 0.6
    again = span_mask(64, 49, 0.08, 5, torch.Generator().manual_seed(0))
    assert torch.equal(mask, again)


def test_distractors_are_other_masked_frames_of_the_same_utterance():
    g = torch.Generator().manual_seed(1)
    mask = span_mask(8, 30, 0.1, 4, g)
    idx = sample_distractors(mask, 10, g)
    rows, cols = mask.nonzero(as_tuple=True)
    assert idx.shape == (len(rows), 10)
    for r, c, d in zip(rows.tolist(), cols.tolist(), idx.tolist()):
        assert all(mask[r, j] for j in d) and c not in d


def test_losses_are_the_formulas_by_hand():
    torch.manual_seed(0)
    b, t, f, g, v = 2, 12, 8, 2, 4
    cfg = Wav2VecConfig(groups=g, entries=v, code_dim=8, final_dim=f, distractors=3, temperature=0.1,
                        diversity_weight=0.1, feature_penalty=0.0)
    mask = torch.zeros(b, t, dtype=torch.bool)
    mask[0, 2:7] = True
    mask[1, 5:10] = True
    probs = torch.softmax(torch.randn(b, t, g, v), -1)
    out = Wav2VecOutput(features=torch.zeros(b, t, 4), context=torch.randn(b, t, f), hidden=torch.zeros(b, t, 4),
                        targets=torch.randn(b, t, f), codes=probs.argmax(-1), probs=probs, mask=mask,
                        feature_pen=torch.tensor(0.0))
    parts = wav2vec_losses(out, cfg, torch.Generator().manual_seed(5))
    idx = sample_distractors(mask, 3, torch.Generator().manual_seed(5))            # the same draw
    rows, cols = mask.nonzero(as_tuple=True)
    losses = []
    for m, (r, c) in enumerate(zip(rows.tolist(), cols.tolist())):
        cos = lambda a, bb: float(F.cosine_similarity(a, bb, dim=0))              # noqa: E731
        sims = [cos(out.context[r, c], out.targets[r, c])] + [cos(out.context[r, c], out.targets[r, j]) for j in idx[m]]
        z = np.array(sims) / 0.1
        losses.append(-(z[0] - np.log(np.exp(z).sum())))
    assert float(parts["contrastive"]) == pytest.approx(np.mean(losses), rel=1e-5)
    pbar = probs.reshape(-1, g, v).mean(0).numpy()
    perplexity = np.exp(-(pbar * np.log(pbar + 1e-7)).sum(1)).sum()
    assert float(parts["perplexity"]) == pytest.approx(perplexity, rel=1e-5)
    assert float(parts["loss"]) == pytest.approx(np.mean(losses) + 0.1 * (g * v - perplexity) / (g * v), rel=1e-5)
    uniform = Wav2VecOutput(**{**out.__dict__, "probs": torch.full((b, t, g, v), 1 / v)})
    assert float(wav2vec_losses(uniform, cfg)["diversity"]) == pytest.approx(0.0, abs=1e-5)   # every entry used


def test_quantiser_picks_codewords_and_the_frames_follow_the_strides():
    torch.manual_seed(0)
    net = build_wav2vec_mini(TINY).eval()
    wave = torch.randn(2, 16000) * 0.1
    with torch.no_grad():
        out = net(wave)
        conv = net.norm(net.encoder(wave))
        codes, q, _ = net.quantizer(conv)
    assert out.codes.shape == (2, frames_for(16000), 2) and frames_for(16000) == 49
    expected = torch.cat([net.quantizer.codebook[gi, codes[..., gi]] for gi in range(2)], dim=-1)
    assert torch.allclose(q, expected)
    assert TINY.receptive_field == 325 and frames_for(324) == 0 and frames_for(325) == 1


def _tiny_model(tmp_path):
    from dataclasses import asdict

    from safetensors.torch import save_file

    from engine.loaders.wav2vec_mini import load_checkpoint_folder
    from engine.zoo import resolve

    torch.manual_seed(0)
    net = build_wav2vec_mini(TINY)
    folder = tmp_path / "ckpt"
    folder.mkdir()
    save_file({k: v.contiguous() for k, v in net.state_dict().items()}, str(folder / "model.safetensors"))
    (folder / "meta.json").write_text(json.dumps({"family": "wav2vec-mini", "config": asdict(TINY)}))
    return load_checkpoint_folder(folder, resolve("wav2vec-mini"), torch.device("cpu"))


def test_loaded_model_frames_attention_and_masked_prediction(tmp_path):
    from engine.probes.attention import attention
    from engine.zoo import resolve

    model = _tiny_model(tmp_path)
    assert model.capabilities == resolve("wav2vec-mini").capabilities and missing_protocols(model) == []
    x = np.random.default_rng(0).standard_normal(24000).astype(np.float32) * 0.1
    emb = model.embed_audio(audio(x))
    assert emb.vectors.shape == (frames_for(24000), TINY.d_model) and emb.labels[0] == "0.01 s"
    maps = attention(model, audio(x))
    enc = next(s for s in maps.stacks if s.name == "encoder")
    assert enc.weights.shape == (1, 2, 74, 74)
    np.testing.assert_allclose(enc.weights.sum(-1), 1.0, atol=1e-5)
    frames = next(s for s in maps.sequences if s.name == "frames")
    np.testing.assert_allclose(np.diff(frames.times), 0.02, atol=1e-6)
    rec = model.masked_prediction(audio(x), seed=3)
    assert rec.mask.sum() == len(rec.positive) and rec.negatives.shape == (len(rec.positive), 3)
    assert rec.mask[rec.masked_frames].all() and rec.usage().sum() == 2 * 74
    assert 1.0 <= rec.perplexity() <= 8.0
    with pytest.raises(InputError, match="receptive field"):
        model.embed_audio(audio(x[:300]))


def test_word_features_for_a_probe(tmp_path):
    from engine.probes.word_features import pick_per_word, word_features
    from engine.zoo import load_model

    labels = np.array([0, 1, 0, 1, 0, 2, 2, 0])
    assert pick_per_word(labels, 2, seed=0).tolist() == pick_per_word(labels, 2, seed=0).tolist()
    assert np.bincount(labels[pick_per_word(labels, 2)]).tolist() == [2, 2, 2]
    feats = word_features(load_model("logmel", "cpu"), "builtin:words-small", "train", per_word=2)
    assert feats.X.shape == (40, 80) and set(feats.per_label().values()) == {2} and len(feats.label_names) == 20
    mini = word_features(_tiny_model(tmp_path), "builtin:words-small", "train", per_word=1)
    assert mini.X.shape == (20, 2 * TINY.d_model) and np.isfinite(mini.X).all()
