"""One clip of a spoken-word corpus (`builtin:words` or a folder in the Speech Commands layout)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.records.inputs import AudioInput


@dataclass(frozen=True, eq=False)
class SpokenWord:
    """Exactly one second of mono audio holding (at most) one word.

    `samples` is (sample_rate,) float32 in [-1, 1]; a shorter recording is padded with zeros after its
    end (a builtin clip sits at its own place inside the second, as in Speech Commands), a longer one
    cut to its loudest second. `label` is "" in an unlabelled corpus."""

    samples: np.ndarray   # (sample_rate,) float32
    sample_rate: int      # 16000
    label: str            # "seven" | "" when unlabelled
    speaker: str          # "espeak-en-us+m3-r160-p40~a" | Speech Commands' "0a7c2a8d"
    split: str            # "train" | "valid" | "test"
    name: str             # where it came from: "seven/espeak-en-us+m3-r160-p40~a" | "seven/0a7c2a8d_nohash_0.wav"

    def as_audio(self) -> AudioInput:
        """The clip as an audio input, for the probes that take one (spectrogram, audio_frames)."""
        n = int(self.samples.shape[0])
        return AudioInput(path=None, name=self.name, samples=self.samples, sample_rate=self.sample_rate,
                          duration=n / self.sample_rate, original_rate=self.sample_rate, channels=1,
                          truncated=False, note="")
