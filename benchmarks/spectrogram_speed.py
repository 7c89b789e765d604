"""Spectrogram speed: `engine.probes.spectrogram` (blocks of float32 FFTs) against torch.stft and
scipy.signal.stft on the same audio in the same process, each producing power in dB.

    python benchmarks/spectrogram_speed.py [--minutes 10] [--rate 16000] [--n-fft 512] [--repeats 3]

Prints each method's best time over the repeats, its ratio to ours, and our peak extra memory (the
blocks keep it near the size of the result). Ten minutes is the longest input the app holds.
"""
from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def ours(x: np.ndarray, rate: int, n_fft: int, hop: int) -> np.ndarray:
    from engine.probes.spectrogram import spectrogram
    from engine.records.inputs import AudioInput

    audio = AudioInput(path=None, name="bench", samples=x, sample_rate=rate, duration=len(x) / rate,
                       original_rate=rate, channels=1, truncated=False, note="")
    return spectrogram(audio, n_fft=n_fft, hop=hop).power_db


def with_torch(x: np.ndarray, rate: int, n_fft: int, hop: int) -> np.ndarray:
    import torch

    spec = torch.stft(torch.from_numpy(x), n_fft, hop_length=hop, window=torch.hann_window(n_fft), center=True,
                      pad_mode="reflect", return_complex=True)
    power = spec.real.square() + spec.imag.square()
    return (10 * torch.log10(torch.clamp(power / (n_fft / 4) ** 2, min=1e-10))).numpy()


def with_scipy(x: np.ndarray, rate: int, n_fft: int, hop: int) -> np.ndarray:
    from scipy.signal import stft

    _f, _t, z = stft(x, fs=rate, window="hann", nperseg=n_fft, noverlap=n_fft - hop, boundary="even", padded=False,
                     scaling="spectrum")
    return (10 * np.log10(np.maximum(np.abs(z) ** 2 * 4, 1e-10))).astype(np.float32)


def best(fn, x, rate, n_fft, hop, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(x, rate, n_fft, hop)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--minutes", type=float, default=10.0)
    p.add_argument("--rate", type=int, default=16000)
    p.add_argument("--n-fft", type=int, default=512)
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args()
    hop = args.n_fft // 4
    x = (np.random.default_rng(0).standard_normal(int(args.minutes * 60 * args.rate)) * 0.1).astype(np.float32)
    import torch  # noqa: F401  (imported before timing, as in the app)

    ours(x[:args.rate], args.rate, args.n_fft, hop)                  # warm-up
    t_ours = best(ours, x, args.rate, args.n_fft, hop, args.repeats)
    tracemalloc.start()
    result = ours(x, args.rate, args.n_fft, hop)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{args.minutes:g} min at {args.rate} Hz, n_fft {args.n_fft}, hop {hop}: {result.shape[1]:,} frames")
    print(f"ours (blocks of float32 FFTs) {t_ours:.3f} s   peak memory {peak / 2**20:.0f} MiB "
          f"(result {result.nbytes / 2**20:.0f} MiB)")
    for name, fn in (("torch.stft", with_torch), ("scipy.signal.stft", with_scipy)):
        t = best(fn, x, args.rate, args.n_fft, hop, args.repeats)
        print(f"{name:18s} {t:.3f} s   ours / it = {t_ours / t:.2f}x time")


if __name__ == "__main__":
    main()
