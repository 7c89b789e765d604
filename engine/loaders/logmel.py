"""The `logmel` feature extractor as a loaded model: it embeds each 10 ms frame of an audio input."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.contract.loaded import LoadedModel

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

    def embed_audio(self, audio):
        """Every 10 ms frame as 40 log-mel energies (engine.probes.audio_frames)."""
        from engine.probes.audio_frames import audio_frames

        return audio_frames(self, audio)


def load_logmel(ref: Any, device: Any) -> LogMelFrames:
    return LogMelFrames(ref=ref, device=device)     # no weights: no source
