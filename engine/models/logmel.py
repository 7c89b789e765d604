"""The `logmel` feature extractor as a loaded model: it provides "audio-frames"."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.zoo.spec import LoadedModel

RATE = 16_000
N_FFT = 400          # 25 ms at 16 kHz
HOP = 160            # 10 ms
MELS = 40


@dataclass
class LogMelFrames(LoadedModel):
    """Settings of the frames; `engine.probes.audio_frames.audio_frames` computes them."""

    sample_rate: int = RATE
    n_fft: int = N_FFT
    hop: int = HOP
    mels: int = MELS


def load_logmel(ref: Any, device: Any) -> LogMelFrames:
    return LogMelFrames(ref=ref, device=device, provides=frozenset({"audio-frames"}))     # no weights: no source
