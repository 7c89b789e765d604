"""Spectrograms: the short-time Fourier transform of an audio input, as power in dB, on a linear
or a mel frequency axis (numpy and scipy.fft in float32; frames in blocks, dB computed in place, so
that ten minutes of audio need little more memory than the result).

Framing follows `torch.stft(center=True, pad_mode="reflect")` with a periodic Hann window, and
the tests hold it to torch's own numbers. Power is scaled so that a full-scale sine peaks at
0 dB (dBFS). The mel filters are HTK's triangles (mel = 2595 log10(1 + f / 700)), peak 1; a band
too narrow to hold an FFT bin reads the power interpolated at its centre.
"""
from __future__ import annotations

import numpy as np

from engine.errors import ConfigError, InputError
from engine.records.inputs import AudioInput
from engine.records.spectrogram import Spectrogram

FLOOR_DB = -100.0
BLOCK_FRAMES = 1024


def hz_to_mel(hz):
    return 2595.0 * np.log10(1.0 + np.asarray(hz, np.float64) / 700.0)


def mel_to_hz(mel):
    return 700.0 * (10.0 ** (np.asarray(mel, np.float64) / 2595.0) - 1.0)


def mel_filters(n_mels: int, n_fft: int, sample_rate: int) -> tuple[np.ndarray, np.ndarray]:
    """((n_mels, n_fft // 2 + 1) triangular filters, (n_mels,) centre frequencies in Hz)."""
    bins = np.fft.rfftfreq(n_fft, 1.0 / sample_rate)
    edges = mel_to_hz(np.linspace(0.0, hz_to_mel(sample_rate / 2), n_mels + 2))
    lo, mid, hi = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    rise = (bins[None, :] - lo) / np.maximum(mid - lo, 1e-9)
    fall = (hi - bins[None, :]) / np.maximum(hi - mid, 1e-9)
    filters = np.clip(np.minimum(rise, fall), 0.0, None)
    # A band narrower than the bin spacing (low bands, short frames) holds no bin and would read as
    # silence, a dark stripe; it takes the power interpolated at its centre frequency instead.
    step = bins[1] - bins[0]
    for m in np.flatnonzero(filters.sum(axis=1) == 0):
        pos = float(edges[m + 1] / step)
        k = min(int(pos), len(bins) - 2)
        filters[m, k], filters[m, k + 1] = 1.0 - (pos - k), pos - k
    return filters, edges[1:-1]


def _check(n_fft: int, hop: int, n_mels: int, n_samples: int) -> None:
    if not 16 <= n_fft <= 16384:
        raise ConfigError(f"n_fft must be between 16 and 16384 samples, not {n_fft}.")
    if not 1 <= hop <= n_fft:
        raise ConfigError(f"hop must be between 1 and n_fft ({n_fft}) samples, not {hop}.")
    if n_mels < 0 or n_mels > n_fft // 2 + 1:
        raise ConfigError(f"mels must be between 0 (a linear axis) and {n_fft // 2 + 1}, not {n_mels}.")
    if n_samples < 2:
        raise InputError("the audio holds fewer than 2 samples; there is nothing to analyse.")


def stft_power(samples: np.ndarray, n_fft: int, hop: int) -> np.ndarray:
    """(n_fft // 2 + 1, frames) |STFT|² of `samples`, centred frames, reflect padding, periodic
    Hann window, computed BLOCK_FRAMES frames at a time (float32 FFTs from scipy.fft, on every
    core) into one frames-major array, returned transposed (a view, no copy)."""
    from scipy import fft as sfft

    x = np.asarray(samples, np.float32).reshape(-1)
    pad = n_fft // 2
    mode = "reflect" if len(x) > pad else "constant"
    x = np.pad(x, pad, mode=mode)
    frames = 1 + (len(x) - n_fft) // hop
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)).astype(np.float32)
    out = np.empty((frames, n_fft // 2 + 1), np.float32)
    view = np.lib.stride_tricks.sliding_window_view(x, n_fft)[::hop]
    block = np.empty((min(BLOCK_FRAMES, frames), n_fft), np.float32)
    for start in range(0, frames, BLOCK_FRAMES):
        m = min(BLOCK_FRAMES, frames - start)
        np.multiply(view[start:start + m], window, out=block[:m])
        spec = sfft.rfft(block[:m], axis=1, workers=-1)
        part = out[start:start + m]
        np.square(spec.real, out=part)
        part += np.square(spec.imag)
    return out.T


def spectrogram(audio: AudioInput, n_fft: int = 512, hop: int | None = None, mels: int = 0,
                floor_db: float = FLOOR_DB) -> Spectrogram:
    """The spectrogram of `audio`: hop defaults to n_fft // 4; `mels` > 0 gives that many mel bands."""
    hop = int(hop) if hop is not None else n_fft // 4
    _check(int(n_fft), hop, int(mels), len(audio.samples))
    rate = int(audio.sample_rate)
    power = stft_power(audio.samples, int(n_fft), hop)
    full_scale = (n_fft / 2 / 2) ** 2            # |X|² of a full-scale sine's bin: (A · Σw / 2)², Σw = n_fft / 2
    if mels:
        filters, freqs = mel_filters(int(mels), int(n_fft), rate)
        power = (filters.astype(np.float32) / np.float32(full_scale)) @ power
        scale = "mel"
    else:
        power /= np.float32(full_scale)
        freqs = np.fft.rfftfreq(int(n_fft), 1.0 / rate)
        scale = "linear"
    db = power                                   # to dB in place: ten minutes of audio is 75 MB of it
    np.maximum(db, np.float32(10.0 ** (floor_db / 10.0)), out=db)
    np.log10(db, out=db)
    db *= np.float32(10.0)
    times = np.arange(db.shape[1]) * hop / rate
    return Spectrogram(name=audio.name, sample_rate=rate, n_fft=int(n_fft), hop=hop, scale=scale, times=times,
                       freqs=np.asarray(freqs, np.float64), power_db=db, floor_db=float(floor_db))


def envelope(samples: np.ndarray, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """(min, max) of `samples` in `columns` equal slices: a waveform drawn at any length in
    `columns` pixels without dropping a peak."""
    x = np.asarray(samples, np.float32).reshape(-1)
    columns = max(1, min(int(columns), len(x)))
    edges = np.linspace(0, len(x), columns + 1).astype(np.int64)
    return np.minimum.reduceat(x, edges[:-1]), np.maximum.reduceat(x, edges[:-1])
