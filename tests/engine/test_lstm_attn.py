"""lstm-attn: the attention pooling is the lecture's formula (checked against a hand computation in
numpy), a_t sums to 1, the log-mel front end matches the project's spectrogram, a loaded model keeps
the word of its registry entry, and bad audio gets a message instead of a number."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from engine.contract.capabilities import Capability
from engine.contract.protocols import missing_protocols
from engine.errors import InputError
from engine.models.lstm_attn import LogMel, LstmAttnConfig, build_lstm_attn, mel_matrix
from engine.records.inputs import AudioInput

TINY = LstmAttnConfig(hidden=8, attn=6, dropout=0.0)
LABELS = ["yes", "no", "up"]


def audio(samples, rate=16_000, name="clip.wav", note="", truncated=False) -> AudioInput:
    x = np.asarray(samples, np.float32)
    return AudioInput(None, name, x, rate, len(x) / rate, rate, 1, truncated, note)


def word_like(seconds=1.0, rate=16_000, seed=0) -> np.ndarray:
    """A vowel-ish burst in the middle of silence."""
    t = np.arange(int(seconds * rate)) / rate
    env = np.exp(-((t - seconds / 2) / 0.1) ** 2)
    rng = np.random.default_rng(seed)
    return (0.3 * env * (np.sin(2 * np.pi * 180 * t) + 0.5 * np.sin(2 * np.pi * 720 * t))
            + 1e-3 * rng.standard_normal(len(t))).astype(np.float32)


@pytest.fixture(scope="module")
def net():
    torch.manual_seed(0)
    return build_lstm_attn(TINY, len(LABELS)).eval()


def test_attention_is_the_lectures_formula_by_hand(net):
    wave = torch.from_numpy(np.stack([word_like(seed=0), word_like(0.6, seed=1).repeat(2)[:16000]]))
    with torch.no_grad():
        out = net.run(wave)
    h = out.states.numpy().astype(np.float64)                        # (B, T, D)
    W = net.pool.proj.weight.detach().numpy().astype(np.float64)     # (A, D)
    b = net.pool.proj.bias.detach().numpy().astype(np.float64)
    u = net.pool.context.detach().numpy().astype(np.float64)
    for i in range(2):
        u_t = np.tanh(h[i] @ W.T + b)                                 # u_t = tanh(W h_t + b)
        e = u_t @ u                                                   # u_tᵀ u
        a = np.exp(e - e.max()) / np.exp(e - e.max()).sum()           # softmax over t
        l_vec = (a[:, None] * h[i]).sum(0)                            # l = Σ a_t h_t
        np.testing.assert_allclose(out.weights[i].numpy(), a, rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(out.pooled[i].numpy(), l_vec, rtol=1e-4, atol=1e-5)
        logits = l_vec @ net.head.weight.detach().numpy().T + net.head.bias.detach().numpy()
        np.testing.assert_allclose(out.logits[i].numpy(), logits, rtol=1e-4, atol=1e-5)
        assert abs(float(out.weights[i].sum()) - 1.0) < 1e-5 and (out.weights[i] >= 0).all()
    assert out.weights.shape == (2, 101)                              # 1 s at 10 ms hops, centred frames
    with torch.no_grad():
        np.testing.assert_allclose(net(wave).numpy(), out.logits.numpy(), rtol=1e-5, atol=1e-6)


def test_front_end_is_the_projects_log_mel_relative_to_the_loudest_band():
    from engine.probes.spectrogram import mel_filters, spectrogram

    ours = mel_matrix(40, 400, 16000).numpy()
    theirs, _ = mel_filters(40, 400, 16000)
    np.testing.assert_allclose(ours, theirs, atol=1e-5)
    x = word_like()
    frames = LogMel(400, 160, 40)(torch.from_numpy(x)[None])[0].numpy()          # (T, M)
    db = spectrogram(audio(x), n_fft=400, hop=160, mels=40).power_db.T              # (T, M) dBFS
    expect = (np.maximum(db - db.max(), -80.0) / 20.0 + 2.0)
    loud = db >= db.max() - 60                                                     # away from the dB floors
    np.testing.assert_allclose(frames[loud], expect[loud], atol=0.02)
    gain = LogMel(400, 160, 40)(torch.from_numpy(0.1 * x)[None])[0].numpy()      # gain does not matter
    np.testing.assert_allclose(gain[loud], frames[loud], atol=0.02)


def _checkpoint(folder, net) -> None:
    from dataclasses import asdict

    from safetensors.torch import save_file

    folder.mkdir(parents=True)
    save_file({k: v.contiguous() for k, v in net.state_dict().items()}, str(folder / "model.safetensors"))
    (folder / "meta.json").write_text(json.dumps({"family": "lstm-attn", "config": asdict(TINY), "labels": LABELS}))


def test_loaded_model_keeps_its_word_and_records_a_t_with_times(tmp_path, net):
    from engine.loaders.lstm_attn import load_checkpoint_folder
    from engine.probes.attention import attention
    from engine.probes.classify_audio import classify_audio
    from engine.probes.utterance import utterance_embedding
    from engine.zoo import resolve

    _checkpoint(tmp_path / "ckpt", net)
    model = load_checkpoint_folder(tmp_path / "ckpt", resolve("lstm-attn"), torch.device("cpu"))
    assert model.capabilities == resolve("lstm-attn").capabilities
    assert missing_protocols(model) == []
    clip = audio(word_like(1.5), rate=16_000)
    pred = classify_audio(model, clip)
    assert pred.label in LABELS and abs(pred.probs.sum() - 1) < 1e-5 and abs(pred.attention.sum() - 1) < 1e-5
    np.testing.assert_allclose(pred.times[:3], [0.0, 0.01, 0.02], atol=1e-6)
    assert len(pred.attention) == 1.5 * 100 + 1
    doc = json.loads(json.dumps(pred.as_json(), allow_nan=False))
    assert set(doc) >= {"input", "label", "probs", "attention"} and set(doc["probs"]) == set(LABELS)
    maps = attention(model, clip)
    pooling = next(s for s in maps.stacks if s.name == "pooling")
    np.testing.assert_allclose(pooling.weights[0, 0, 0], pred.attention, atol=1e-6)
    frames = next(s for s in maps.sequences if s.name == "frames")
    np.testing.assert_allclose(frames.times, pred.times)
    emb = model.embed_audio(clip)
    assert emb.vectors.shape == (151, 2 * TINY.hidden)
    utt = utterance_embedding(model, clip)
    np.testing.assert_allclose(utt.vectors[0], (pred.attention[:, None] * emb.vectors).sum(0), atol=1e-5)
    resampled = classify_audio(model, audio(word_like(1.0, rate=8000), rate=8000))   # any rate: resampled
    assert len(resampled.attention) == 101


def test_bad_audio_gets_a_message(tmp_path, net):
    from engine.loaders.lstm_attn import load_checkpoint_folder
    from engine.probes.classify_audio import classify_audio
    from engine.zoo import resolve

    _checkpoint(tmp_path / "ckpt", net)
    model = load_checkpoint_folder(tmp_path / "ckpt", resolve("lstm-attn"), torch.device("cpu"))
    with pytest.raises(InputError, match="digital silence"):
        classify_audio(model, audio(np.zeros(16000)))
    with pytest.raises(InputError, match=r"silent \(its loudest sample is -7\d dBFS\)"):
        classify_audio(model, audio(np.full(16000, 2e-4)))
    with pytest.raises(InputError, match="shorter than .* receptive field"):
        classify_audio(model, audio(word_like(0.02)))
    with pytest.raises(InputError, match="takes at most 30 s"):
        classify_audio(model, audio(np.tile(word_like(), 31)))
    note = "loaded the first 10 min of 3 h 0 min: one input holds at most 600 s (max_seconds)."
    with pytest.raises(InputError, match="longer than"):
        classify_audio(model, audio(word_like(), note=note, truncated=True))


def test_a_folder_of_one_word_cannot_train_a_classifier(tmp_path):
    import soundfile as sf

    from engine.tasks.lstm_attn import LstmAttnTask

    (tmp_path / "yes").mkdir()
    for i in range(3):
        sf.write(tmp_path / "yes" / f"s{i}_nohash_0.wav", word_like(seed=i), 16000)
    with pytest.raises(InputError, match="only one word \\('yes'\\).*at least two"):
        LstmAttnTask(LstmAttnConfig(), str(tmp_path))


def test_the_spec_is_what_the_cli_lists():
    from engine.zoo import resolve

    ref = resolve("lstm-attn")
    assert {Capability.CLASSIFY, Capability.ATTENTION, Capability.EMBED, Capability.TRAIN} == set(ref.capabilities)
