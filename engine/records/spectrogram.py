"""The spectrogram of an audio input (what the Audio view draws and `mlsp spectrogram` writes)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Spectrogram:
    """Short-time power of `name`: `power_db[f, t]` in dB relative to full scale (a full-scale sine
    peaks at 0 dB), frames centred at `times`, bins at `freqs` (Hz; mel band centres when
    `scale == "mel"`)."""

    name: str
    sample_rate: int
    n_fft: int
    hop: int
    scale: str               # "linear" | "mel"
    times: np.ndarray        # (T,) seconds
    freqs: np.ndarray        # (F,) Hz
    power_db: np.ndarray     # (F, T) float32
    floor_db: float          # the lowest value drawn (values below are clipped to it)

    @property
    def frames(self) -> int:
        return int(self.power_db.shape[1])

    @property
    def bins(self) -> int:
        return int(self.power_db.shape[0])

    def value_at(self, seconds: float, hz: float) -> tuple[int, int, float]:
        """(bin, frame, dB) nearest to a time and a frequency (the hover read-out)."""
        t = int(np.clip(np.searchsorted(self.times, seconds), 0, self.frames - 1))
        if t > 0 and abs(self.times[t - 1] - seconds) < abs(self.times[t] - seconds):
            t -= 1
        f = int(np.argmin(np.abs(self.freqs - hz)))
        return f, t, float(self.power_db[f, t])
