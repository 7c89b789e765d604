"""lstm-attn from the command line, as real processes: train on a word folder, then `mlsp classify
--json`, `mlsp attention --out FILE.npz` (a_t over frames with their times) and `mlsp embed --pooled`;
bad audio (silence, a 3-hour file, a one-word folder) is one line on stderr and exit code 2."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf
from audio_words import tone_word, word_folder

pytestmark = pytest.mark.e2e

MLSP = shutil.which("mlsp")
RATE = 16_000


def mlsp(args: list[str], tmp_path) -> subprocess.CompletedProcess:
    cmd = [MLSP] if MLSP else [sys.executable, "-m", "engine.cli"]
    env = dict(os.environ, MLSP_HOME=str(tmp_path / "home"), OMP_NUM_THREADS="1")
    return subprocess.run(cmd + args, capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lstm")
    word_folder(tmp / "words")
    out = mlsp(["train", "lstm-attn", "--data", str(tmp / "words"), "--steps", "6", "--batch-size", "8",
                "--set", "hidden=8", "--set", "attn=8", "--out", str(tmp / "run"), "--device", "cpu"], tmp)
    assert out.returncode == 0, out.stderr
    return tmp / "run"


def test_classify_attention_and_embed(run_dir, tmp_path):
    sf.write(tmp_path / "a.wav", tone_word(300.0, 99, 1.2), RATE)
    sf.write(tmp_path / "b.flac", np.stack([tone_word(2000.0, 98)] * 2, 1), 44_100)     # any rate, stereo
    out = mlsp(["classify", str(run_dir), "a.wav", "b.flac", "--json"], tmp_path)
    assert out.returncode == 0, out.stderr
    docs = json.loads(out.stdout)
    assert [d["input"] for d in docs] == ["a.wav", "b.flac"]
    for d in docs:
        assert set(d) >= {"input", "label", "probs", "attention"} and set(d["probs"]) == {"low", "high"}
        assert d["label"] == max(d["probs"], key=d["probs"].get)
        assert abs(sum(d["attention"]) - 1) < 1e-3 and abs(sum(d["probs"].values()) - 1) < 1e-3
    assert len(docs[0]["attention"]) == 121                          # 1.2 s of 10 ms frames, centred

    out = mlsp(["attention", str(run_dir), "a.wav", "--out", "a.npz"], tmp_path)
    assert out.returncode == 0, out.stderr
    with np.load(tmp_path / "a.npz") as z:
        weights, times = z["pooling_weights"], z["frames_times"]
    assert weights.shape == (1, 1, 1, 121) and times.shape == (121,)
    np.testing.assert_allclose(times[:3], [0.0, 0.01, 0.02], atol=1e-6)
    np.testing.assert_allclose(weights[0, 0, 0], docs[0]["attention"], atol=1e-5)

    out = mlsp(["embed", str(run_dir), "a.wav", "b.flac", "--pooled", "--out", "v.tsv", "--metadata", "m.tsv"], tmp_path)
    assert out.returncode == 0, out.stderr
    assert np.loadtxt(tmp_path / "v.tsv").shape == (2, 16)
    out = mlsp(["embed", str(run_dir), "a.wav", "--out", "f.tsv"], tmp_path)
    assert out.returncode == 0, out.stderr
    assert np.loadtxt(tmp_path / "f.tsv").shape == (121, 16)


def test_bad_audio_is_one_line_and_exit_2(run_dir, tmp_path):
    sf.write(tmp_path / "silence.wav", np.zeros(RATE, np.float32), RATE)
    with sf.SoundFile(tmp_path / "long.wav", "w", samplerate=1000, channels=1, subtype="PCM_16") as f:
        block = (0.1 * np.sin(np.arange(600_000) * 0.3)).astype(np.float32)
        for _ in range(18):                                          # 3 h at 1 kHz (21 MB)
            f.write(block)
    for name, message in (("silence.wav", "digital silence"), ("long.wav", "takes at most 30 s")):
        out = mlsp(["classify", str(run_dir), name], tmp_path)
        assert out.returncode == 2 and message in out.stderr and len(out.stderr.strip().splitlines()) == 1, out.stderr
    word_folder(tmp_path / "one", words=(("yes", 500.0),), speakers=3)
    out = mlsp(["train", "lstm-attn", "--data", "one", "--steps", "2", "--out", "r"], tmp_path)
    assert out.returncode == 2 and "only one word ('yes')" in out.stderr


def test_wav2vec_mini_pretrains_on_an_unlabelled_folder(tmp_path):
    (tmp_path / "talk").mkdir()
    for i in range(4):
        x = np.concatenate([tone_word(300.0 + 200 * i, i, 0.7), tone_word(1500.0, i, 0.7)] * 2)
        sf.write(tmp_path / "talk" / f"take{i}.wav", x, RATE)
    sets = ["conv_channels=16", "d_model=16", "layers=1", "heads=2", "d_ff=32", "entries=8", "code_dim=8",
            "final_dim=8", "distractors=4"]
    out = mlsp(["train", "wav2vec-mini", "--data", "talk", "--steps", "3", "--batch-size", "4", "--out", "run",
                *[a for s in sets for a in ("--set", s)]], tmp_path)
    assert out.returncode == 0, out.stderr
    sf.write(tmp_path / "a.wav", tone_word(500.0, 9, 1.0), RATE)
    out = mlsp(["attention", "run", "a.wav", "--out", "w.npz", "--json"], tmp_path)
    assert out.returncode == 0, out.stderr
    with np.load(tmp_path / "w.npz") as z:
        assert z["encoder_weights"].shape == (1, 2, 49, 49) and z["frames_times"].shape == (49,)
    out = mlsp(["embed", "run", "a.wav", "--pooled", "--json"], tmp_path)
    assert out.returncode == 0, out.stderr
    assert np.array(json.loads(out.stdout)["vectors"]).shape == (1, 32)
    out = mlsp(["train", "lstm-attn", "--data", "talk", "--steps", "2", "--out", "r2"], tmp_path)
    assert out.returncode == 2 and "no labels" in out.stderr and "self-supervised" in out.stderr
