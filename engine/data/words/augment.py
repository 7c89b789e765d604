"""Deterministic augmentation that turns one rendered voice into other speakers (numpy and scipy).

A speaker (`SpeakerAugmentation`, the same for every word that speaker says):
- `warp`: resampling by p/100, so pitch and formants (vocal-tract length) scale by `warp` and the
  duration by 1 / `warp`, as a shorter or longer vocal tract would;
- `speed`: WSOLA time stretching, duration / `speed` with pitch and formants kept;
- `level_db`: the peak level in dBFS;
- `rt60`, `wet`: a little room reverberation (exponentially decaying noise, -60 dB after `rt60` s).
A clip (`ClipNoise`, different for every recording): background noise of one kind (white, pink,
brown, mains hum, or none) at `snr_db` relative to the speech, and where the word sits in the 1-s clip.

Every draw comes from `stable_rng(text)`, a generator seeded by the SHA-1 of a name, so the same name
gives the same speaker on every machine.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from engine.data.words.corpus import CLIP_SAMPLES, SAMPLE_RATE

NOISE_KINDS = ("white", "pink", "brown", "hum")
NOISE_SECONDS = 8.0
MAX_TAIL = SAMPLE_RATE // 4         # reverberation kept at most 250 ms after the speech


@dataclass(frozen=True)
class SpeakerAugmentation:
    """How one augmented speaker differs from the voice it was made from."""

    warp: float          # pitch and formants x warp, duration / warp (resampling by p/100)
    speed: float         # duration / speed, pitch kept (WSOLA)
    level_db: float      # peak level, dBFS
    rt60: float          # reverberation time in seconds; 0 = dry
    wet: float           # reverberant-to-direct amplitude ratio


@dataclass(frozen=True)
class ClipNoise:
    """The conditions of one recording: background noise and where the word sits in its second."""

    kind: str            # one of NOISE_KINDS, or "" for none
    snr_db: float        # speech RMS over noise RMS, in dB
    position: float      # 0 = the word starts the clip, 1 = it ends it
    level_jitter_db: float
    noise_start: float   # where in the noise bank the clip's noise starts, 0..1


def stable_rng(text: str) -> np.random.Generator:
    """A numpy generator fixed by `text` (SHA-1; the same on every machine and Python run)."""
    return np.random.default_rng(int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:16], 16))


def draw_speaker(rng: np.random.Generator) -> SpeakerAugmentation:
    reverberant = rng.random() < 0.6
    return SpeakerAugmentation(
        warp=round(100 * np.exp(rng.uniform(np.log(0.86), np.log(1.16)))) / 100,
        speed=float(rng.uniform(0.85, 1.15)),
        level_db=float(rng.uniform(-26.0, -2.0)),
        rt60=float(rng.uniform(0.1, 0.6)) if reverberant else 0.0,
        wet=float(rng.uniform(0.1, 0.5)) if reverberant else 0.0)


def draw_clip(rng: np.random.Generator) -> ClipNoise:
    kind = "" if rng.random() < 0.25 else NOISE_KINDS[int(rng.integers(len(NOISE_KINDS)))]
    return ClipNoise(kind=kind, snr_db=float(rng.uniform(10.0, 40.0)), position=float(rng.random()),
                     level_jitter_db=float(rng.uniform(-2.0, 2.0)), noise_start=float(rng.random()))


def warp(x: np.ndarray, factor: float) -> np.ndarray:
    """Resample so that every frequency scales by `factor` (a multiple of 0.01) and the length by 1/factor."""
    from scipy.signal import resample_poly

    p = round(factor * 100)
    if p == 100:
        return np.asarray(x, np.float32).copy()
    g = np.gcd(p, 100)
    return resample_poly(np.asarray(x, np.float64), 100 // g, p // g).astype(np.float32)


def time_stretch(x: np.ndarray, speed: float, frame: int = 400, search: int = 120) -> np.ndarray:
    """WSOLA: duration / `speed`, pitch kept. Frames of `frame` samples (Hann, 50 % overlap) are taken
    near their nominal place, shifted by up to `search` samples to continue the previous one best."""
    x = np.asarray(x, np.float64)
    if abs(speed - 1.0) < 1e-3:
        return x.astype(np.float32)
    hop = frame // 2
    win = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(frame) / frame)
    n_out = max(round(len(x) / speed), 1)
    base = frame + search
    pad = np.concatenate([np.zeros(base), x, np.zeros(2 * frame + 2 * search)])
    y, wsum = np.zeros(n_out + frame), np.zeros(n_out + frame)
    prev = None
    for out_pos in range(0, n_out, hop):
        nominal = base + round(out_pos * speed)
        if prev is None:
            a = nominal
        else:
            target = pad[prev + hop:prev + hop + frame]          # what naturally follows the last frame
            lo = nominal - search
            corr = np.correlate(pad[lo:lo + frame + 2 * search], target, "valid")
            a = lo + int(np.argmax(corr))
        y[out_pos:out_pos + frame] += pad[a:a + frame] * win
        wsum[out_pos:out_pos + frame] += win
        prev = a
    return (y[:n_out] / np.maximum(wsum[:n_out], 1e-2)).astype(np.float32)


def reverb(x: np.ndarray, rt60: float, wet: float, rng: np.random.Generator) -> np.ndarray:
    """`x` plus `wet` times its convolution with a decaying-noise room response; the tail is kept up
    to MAX_TAIL samples and faded out over 20 ms."""
    from scipy.signal import fftconvolve

    if rt60 <= 0 or wet <= 0:
        return np.asarray(x, np.float32).copy()
    n = max(int(rt60 * SAMPLE_RATE), 16)
    t = np.arange(n) / SAMPLE_RATE
    ir = rng.standard_normal(n) * 10.0 ** (-3.0 * t / rt60)
    ir /= np.sqrt(np.sum(ir ** 2))
    keep = len(x) + min(n - 1, MAX_TAIL)
    out = np.zeros(keep)
    out[:len(x)] = x
    out += wet * fftconvolve(np.asarray(x, np.float64), ir)[:keep]
    fade = min(320, keep)
    out[-fade:] *= np.linspace(1.0, 0.0, fade)
    return out.astype(np.float32)


def set_peak(x: np.ndarray, level_db: float) -> np.ndarray:
    peak = float(np.abs(x).max()) if len(x) else 0.0
    if peak <= 0:
        return np.asarray(x, np.float32)
    return (x * (10.0 ** (level_db / 20.0) / peak)).astype(np.float32)


def augment(x: np.ndarray, speaker: SpeakerAugmentation, clip: ClipNoise, rng: np.random.Generator) -> np.ndarray:
    """A clean utterance (16 kHz float32) as `speaker` would say it in a recording `clip`, before the
    background noise: warped, stretched, reverberated, at the speaker's level."""
    y = warp(x, speaker.warp)
    y = time_stretch(y, speaker.speed)
    y = reverb(y, speaker.rt60, speaker.wet, rng)
    return set_peak(y, min(speaker.level_db + clip.level_jitter_db, -1.0))


def speech_rms(x: np.ndarray) -> float:
    """RMS over the 10-ms frames within 30 dB of the loudest (the speech, not the pauses)."""
    frame = SAMPLE_RATE // 100
    n = len(x) // frame
    if n == 0:
        return float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) if len(x) else 0.0
    energy = np.mean(np.square(x[:n * frame].reshape(n, frame), dtype=np.float64), axis=1)
    loud = energy[energy >= energy.max() * 1e-3]
    return float(np.sqrt(loud.mean()))


def loudest_window(x: np.ndarray, length: int = CLIP_SAMPLES) -> np.ndarray:
    """The `length` samples of `x` with the most energy (x itself when not longer)."""
    if len(x) <= length:
        return x
    energy = np.concatenate([[0.0], np.cumsum(np.square(x, dtype=np.float64))])
    start = int(np.argmax(energy[length:] - energy[:-length]))
    return x[start:start + length]


def noise_bank(seconds: float = NOISE_SECONDS, seed: int = 0) -> np.ndarray:
    """(len(NOISE_KINDS), seconds * 16000) float32 noises at unit RMS: white, pink (1/f power), brown
    (1/f² power, above 20 Hz) and mains hum (50 Hz and its harmonics, with a little hiss)."""
    rng = np.random.default_rng(seed)
    n = int(seconds * SAMPLE_RATE)
    freqs = np.fft.rfftfreq(n, 1.0 / SAMPLE_RATE)
    f = np.maximum(freqs, 20.0)
    bank = []
    for kind in NOISE_KINDS:
        white = rng.standard_normal(n)
        if kind == "white":
            x = white
        elif kind in ("pink", "brown"):
            shape = f ** (-0.5 if kind == "pink" else -1.0)
            x = np.fft.irfft(np.fft.rfft(white) * shape, n)
        else:
            t = np.arange(n) / SAMPLE_RATE
            x = sum(np.sin(2 * np.pi * 50 * h * t + rng.uniform(0, 2 * np.pi)) / h for h in range(1, 9))
            x = x + 0.05 * white
        x = x - x.mean()
        bank.append(x / np.sqrt(np.mean(x ** 2)))
    return np.stack(bank).astype(np.float32)
