"""Audio inputs from real files: mix-down, resampling against scipy, truncated, empty and
3-hour WAVs (the long one is a sparse file, so the test writes almost nothing to disk)."""
from __future__ import annotations

import struct

import numpy as np
import pytest
import soundfile as sf

from engine.data import DEFAULT_MAX_SECONDS, detect_kind, inspect, load_input, read_audio
from engine.data.resample import resample_poly
from engine.errors import ConfigError, InputError
from engine.records.inputs import AudioInput

signal = pytest.importorskip("scipy.signal")


def _tone(rate: int, seconds: float, channels: int) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    cols = [0.5 * np.sin(2 * np.pi * (220 + 110 * c) * t) + 0.1 * np.sin(2 * np.pi * 3000 * t) for c in range(channels)]
    return np.stack(cols, axis=1).astype(np.float32)


def _wav_header(rate: int, channels: int, n_frames: int) -> bytes:
    """A 16-bit PCM RIFF/WAVE header declaring `n_frames` frames."""
    block = 2 * channels
    data = n_frames * block
    return (b"RIFF" + struct.pack("<I", 36 + data) + b"WAVE" + b"fmt " +
            struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * block, block, 16) +
            b"data" + struct.pack("<I", data))


def test_stereo_is_mixed_down_to_the_channel_mean(tmp_path):
    path = tmp_path / "stereo.wav"
    sf.write(path, _tone(22050, 0.5, 2), 22050, subtype="FLOAT")
    reference, _ = sf.read(path, dtype="float32")
    audio = read_audio(path)
    assert isinstance(audio, AudioInput)
    assert (audio.sample_rate, audio.original_rate, audio.channels, audio.truncated) == (22050, 22050, 2, False)
    assert audio.samples.dtype == np.float32 and audio.samples.shape == (11025,)
    np.testing.assert_allclose(audio.samples, reference.mean(axis=1), atol=1e-7)
    assert inspect(path).summary == "0.50 s, 22050 Hz, stereo"


@pytest.mark.parametrize("orig, new", [(44100, 16000), (8000, 16000), (48000, 16000), (22050, 16000)])
def test_resampling_matches_scipy_resample_poly(tmp_path, orig, new):
    path = tmp_path / f"tone-{orig}.flac"
    sf.write(path, _tone(orig, 0.7, 2), orig, subtype="PCM_24")
    mono = sf.read(path, dtype="float64")[0].mean(axis=1)
    g = np.gcd(orig, new)
    reference = signal.resample_poly(mono, new // g, orig // g)
    audio = load_input(path, sample_rate=new)
    assert audio.sample_rate == new and audio.original_rate == orig
    assert audio.samples.shape == reference.shape
    assert audio.duration == pytest.approx(reference.shape[0] / new)
    np.testing.assert_allclose(audio.samples, np.clip(reference, -1, 1), atol=1e-5)


@pytest.mark.parametrize("n, up, down", [(1, 2, 1), (37, 1, 3), (1000, 160, 441), (500, 16000, 16001)])
def test_resample_poly_edge_lengths_match_scipy(n, up, down):
    x = np.random.default_rng(n).uniform(-1, 1, n).astype(np.float32)
    np.testing.assert_allclose(resample_poly(x, up, down), signal.resample_poly(x.astype(np.float64), up, down),
                               atol=1e-5)


def test_truncated_wav_loads_what_is_there_and_says_so(tmp_path):
    whole = tmp_path / "whole.wav"
    sf.write(whole, _tone(16000, 1.0, 1)[:, 0], 16000, subtype="PCM_16")
    raw = whole.read_bytes()
    cut = tmp_path / "cut.wav"
    cut.write_bytes(raw[:44 + 2 * 6000 + 1])          # header + 6000 samples and a half
    reference = sf.read(whole, dtype="float32")[0][:6000]
    audio = read_audio(cut)
    assert audio.truncated and audio.samples.shape == (6000,)
    assert "truncated" in audio.note and "1.00 s" in audio.note
    np.testing.assert_array_equal(audio.samples, reference)
    assert "truncated (header says 1.00 s)" in inspect(cut).summary
    header_only = tmp_path / "header-only.wav"
    header_only.write_bytes(raw[:44])
    with pytest.raises(InputError, match=r"header-only\.wav is truncated.*no samples"):
        read_audio(header_only)


def test_zero_sample_wav_is_refused(tmp_path):
    path = tmp_path / "silence.wav"
    sf.write(path, np.zeros(0, np.float32), 16000)
    with pytest.raises(InputError, match=r"silence\.wav holds no samples"):
        load_input(path)


def test_three_hour_wav_loads_only_the_budget(tmp_path):
    rate, seconds = 16000, 3 * 3600
    path = tmp_path / "lecture.wav"
    with open(path, "wb") as f:                         # sparse: the 345 MB of zeros are never written
        f.write(_wav_header(rate, 1, rate * seconds))
        f.truncate(44 + 2 * rate * seconds)
    assert inspect(path).summary == "3 h 0 min, 16000 Hz, mono"
    audio = read_audio(path)
    assert audio.truncated and audio.samples.shape == (int(DEFAULT_MAX_SECONDS * rate),)
    assert "first 10 min 0 s of 3 h 0 min" in audio.note and "600 s" in audio.note
    short = read_audio(path, sample_rate=8000, max_seconds=2.5)
    assert short.samples.shape == (20000,) and short.truncated
    with pytest.raises(InputError, match=r"lecture\.wav.*more than 1 GiB; ask for at most 16777 s"):
        read_audio(path, max_seconds=1e6)


def test_not_audio_inside_a_wav_name(tmp_path):
    path = tmp_path / "fake.wav"
    path.write_text("this is a text file with a .wav name\n", encoding="utf-8")
    assert detect_kind(path) == "audio"
    with pytest.raises(InputError, match=r"fake\.wav is not an audio file that can be read"):
        read_audio(path)


def test_wav_is_detected_by_its_magic_bytes(tmp_path):
    path = tmp_path / "recording"
    sf.write(path, _tone(8000, 0.1, 1), 8000, format="WAV")
    assert detect_kind(path) == "audio"
    assert isinstance(load_input(path), AudioInput)


def test_bad_sample_rate_argument(tmp_path):
    path = tmp_path / "a.wav"
    sf.write(path, _tone(8000, 0.1, 1), 8000)
    with pytest.raises(ConfigError, match="sample_rate 0"):
        read_audio(path, sample_rate=0)
