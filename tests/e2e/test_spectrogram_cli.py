"""`mlsp spectrogram` through a real process: the NPZ equals the probe on the same file, the PNG is
a picture, --json names the loudest bin (a tone's frequency), bad input says what is wrong."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PIL import Image

from engine.data.audio import read_audio
from engine.probes.spectrogram import spectrogram

MLSP = shutil.which("mlsp")


def mlsp(args, timeout=120):
    cmd = [MLSP] if MLSP else [sys.executable, "-m", "mlsp_gui.cli"]
    return subprocess.run(cmd + args, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def chirp_and_tone(tmp_path):
    rate = 16000
    t = np.arange(rate * 2) / rate
    x = np.where(t < 1.0, 0.5 * np.sin(2 * np.pi * 3000 * t), 0.2 * np.sin(2 * np.pi * (200 + 1000 * (t - 1)) * (t - 1)))
    path = tmp_path / "signal.wav"
    sf.write(path, np.stack([x, x], axis=1), rate)               # stereo: mixed to mono as the app does
    return path


def test_npz_png_and_json_match_the_probe(chirp_and_tone, tmp_path):
    out = mlsp(["spectrogram", str(chirp_and_tone), "--n-fft", "1024", "--hop", "256", "--out", str(tmp_path / "s"),
                "--png", str(tmp_path / "s.png"), "--json"])
    assert out.returncode == 0, out.stderr
    facts = json.loads(out.stdout)
    ref = spectrogram(read_audio(chirp_and_tone), n_fft=1024, hop=256)
    with np.load(tmp_path / "s.npz") as z:
        np.testing.assert_allclose(z["power_db"], ref.power_db, atol=1e-4)
        np.testing.assert_allclose(z["freqs"], ref.freqs)
        assert int(z["n_fft"]) == 1024 and int(z["hop"]) == 256 and str(z["scale"]) == "linear"
    assert facts["files"] == {"npz": str(tmp_path / "s.npz"), "png": str(tmp_path / "s.png")}
    assert facts["loudest"]["hz"] == pytest.approx(3000.0, abs=16000 / 1024)
    assert facts["loudest"]["seconds"] < 1.0
    assert facts["loudest"]["db"] == pytest.approx(-6.0, abs=0.6)               # amplitude 0.5 ≈ -6 dBFS
    assert (facts["bins"], facts["frames"]) == ref.power_db.shape
    img = Image.open(tmp_path / "s.png")
    assert img.format == "PNG" and img.width > 800 and img.height > 300


def test_mel_axis_and_text_output(chirp_and_tone):
    out = mlsp(["spectrogram", str(chirp_and_tone), "--mels", "40"])
    assert out.returncode == 0, out.stderr
    assert "× 40 mel bins" in out.stdout and "loudest" in out.stdout


@pytest.mark.parametrize("args,words", [
    (["{readme}"], "is a text file; give an audio file"),
    (["missing.wav"], "does not exist"),
    (["{wav}", "--n-fft", "8"], "n_fft must be between"),
    (["{wav}", "--hop", "99999"], "hop must be between"),
    (["{wav}", "--png", "x.jpg"], "should end in .png"),
])
def test_bad_requests_say_what_is_wrong(chirp_and_tone, args, words):
    readme = str(Path(__file__).resolve().parents[2] / "README.md")
    args = [a.replace("{wav}", str(chirp_and_tone)).replace("{readme}", readme) for a in args]
    out = mlsp(["spectrogram", *args])
    assert out.returncode == 2 and words in out.stderr, out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
