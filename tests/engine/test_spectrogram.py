"""engine.probes.spectrogram against torch.stft on the same samples, and against what a pure tone
must give: its frequency, 0 dBFS at full scale, -6 dB at half, the right mel band."""
import numpy as np
import pytest
import torch

from engine.errors import ConfigError, InputError
from engine.probes.spectrogram import envelope, hz_to_mel, mel_filters, mel_to_hz, spectrogram, stft_power
from engine.records.inputs import AudioInput


def audio(samples, rate=16000, name="a.wav") -> AudioInput:
    x = np.asarray(samples, np.float32)
    return AudioInput(path=None, name=name, samples=x, sample_rate=rate, duration=len(x) / rate,
                      original_rate=rate, channels=1, truncated=False, note="")


def tone(hz, seconds=1.0, rate=16000, amp=1.0):
    t = np.arange(int(seconds * rate)) / rate
    return amp * np.sin(2 * np.pi * hz * t)


@pytest.mark.parametrize("n_fft,hop", [(512, 128), (400, 160), (64, 64)])
def test_power_equals_torch_stft(n_fft, hop):
    x = np.random.default_rng(0).standard_normal(5000).astype(np.float32) * 0.3
    ref = torch.stft(torch.from_numpy(x), n_fft, hop_length=hop, window=torch.hann_window(n_fft), center=True,
                     pad_mode="reflect", return_complex=True).abs().pow(2).numpy()
    ours = stft_power(x, n_fft, hop)
    assert ours.shape == ref.shape
    np.testing.assert_allclose(ours, ref, rtol=1e-4, atol=1e-4 * float(ref.max()))


def test_blocks_do_not_change_the_result(monkeypatch):
    from engine.probes import spectrogram as sp

    x = np.random.default_rng(1).standard_normal(40_000).astype(np.float32)
    whole = stft_power(x, 256, 64)
    monkeypatch.setattr(sp, "BLOCK_FRAMES", 7)
    np.testing.assert_array_equal(stft_power(x, 256, 64), whole)


def test_a_tone_peaks_at_its_frequency_at_full_scale_and_half():
    s = spectrogram(audio(tone(1000.0)), n_fft=512, hop=128)          # 1000 Hz is bin 32 exactly
    mid = s.frames // 2
    peak = int(np.argmax(s.power_db[:, mid]))
    assert s.freqs[peak] == pytest.approx(1000.0) and s.scale == "linear"
    assert s.power_db[peak, mid] == pytest.approx(0.0, abs=0.05)       # dBFS
    half = spectrogram(audio(tone(1000.0, amp=0.5)), n_fft=512, hop=128)
    assert half.power_db[peak, mid] == pytest.approx(-6.02, abs=0.05)
    assert s.times[1] - s.times[0] == pytest.approx(128 / 16000) and s.frames == 1 + 16000 // 128
    assert s.value_at(0.51, 1010.0)[:2] == (peak, 64)                  # 0.51 s is nearest frame 64 (0.512 s)


def test_mel_axis_puts_a_tone_in_the_band_around_it():
    s = spectrogram(audio(tone(2500.0)), n_fft=1024, hop=256, mels=64)
    assert s.scale == "mel" and s.bins == 64
    band = int(np.argmax(s.power_db[:, s.frames // 2]))
    width = np.diff(s.freqs)[max(band - 1, 0)]
    assert abs(s.freqs[band] - 2500.0) < width
    filters, centres = mel_filters(64, 1024, 16000)
    assert filters.shape == (64, 513) and filters.max() <= 1.0 + 1e-9
    assert np.allclose(np.diff(hz_to_mel(centres)), np.diff(hz_to_mel(centres))[0])     # evenly spaced in mel
    assert mel_to_hz(hz_to_mel(1234.5)) == pytest.approx(1234.5)
    narrow, _ = mel_filters(128, 512, 22050)                   # low bands narrower than a bin
    assert (narrow.sum(axis=1) > 0).all()                      # none reads as silence
    noise = np.random.default_rng(2).standard_normal(22050) * 0.1
    flat = spectrogram(audio(noise, rate=22050), n_fft=512, mels=128)
    assert float(flat.power_db.mean(axis=1).min()) > -60.0     # white noise: every band has power, no dark stripe


def test_silence_sits_on_the_floor_and_bad_settings_are_refused():
    s = spectrogram(audio(np.zeros(4000)), floor_db=-90.0)
    assert float(s.power_db.max()) == pytest.approx(-90.0) and s.floor_db == -90.0
    for kwargs, words in (({"n_fft": 8}, "n_fft"), ({"n_fft": 256, "hop": 300}, "hop"),
                          ({"n_fft": 256, "mels": 500}, "mels")):
        with pytest.raises(ConfigError, match=words):
            spectrogram(audio(tone(440.0)), **kwargs)
    with pytest.raises(InputError, match="fewer than 2 samples"):
        spectrogram(audio(np.zeros(1)))


def test_envelope_keeps_every_peak():
    x = np.zeros(100_000, np.float32)
    x[12_345], x[98_765] = 0.9, -0.8
    lo, hi = envelope(x, 300)
    assert len(lo) == len(hi) == 300
    assert hi.max() == pytest.approx(0.9) and lo.min() == pytest.approx(-0.8)
