"""Microphone recordings on disk: a WAV written block by block while the audio arrives.

The capture itself belongs to the application layer (Qt Multimedia); this module only receives
float samples, so the window and `mlsp record` write identical files. Each block is written as it
comes: a recording cut short by a crash keeps what was written (the audio reader says the file is
truncated). A recording stops at its length limit and says so.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.errors import ConfigError, InputError
from engine.paths import user_data_dir

DEFAULT_MAX_SECONDS = 600.0          # as one audio input may hold (engine.data.audio)
SUBTYPE = "PCM_16"                   # what every audio tool reads; 16 bits are plenty for a microphone


@dataclass(frozen=True)
class RecordingInfo:
    """A finished recording: where it is and what it holds."""

    path: str
    sample_rate: int
    samples: int
    peak: float            # largest |sample| (0..1): 0 means the device delivered silence
    rms: float
    cut_at_limit: bool     # True when the length limit ended it

    @property
    def seconds(self) -> float:
        return self.samples / self.sample_rate if self.sample_rate else 0.0


def recordings_dir() -> Path:
    """Where recordings go unless the user says otherwise: `<user data>/recordings`."""
    return user_data_dir() / "recordings"


def new_recording_path(folder: str | os.PathLike | None = None) -> Path:
    """A new file name `recording-YYYYmmdd-HHMMSS[-N].wav` in `folder` (created)."""
    folder = Path(folder) if folder is not None else recordings_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stem = time.strftime("recording-%Y%m%d-%H%M%S")
    path, n = folder / f"{stem}.wav", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.wav"
    return path


class RecordingWriter:
    """`append(samples)` float32 mono blocks as they arrive, then `close()` -> RecordingInfo."""

    def __init__(self, path: str | os.PathLike, sample_rate: int, max_seconds: float = DEFAULT_MAX_SECONDS) -> None:
        import soundfile as sf

        if not 1 <= int(sample_rate) <= 768_000:
            raise ConfigError(f"sample rate {sample_rate} Hz is out of range; a microphone gives 8000–192000 Hz.")
        if not max_seconds > 0:
            raise ConfigError(f"max_seconds must be positive, not {max_seconds}.")
        self.path = Path(path)
        if self.path.suffix.lower() != ".wav":
            raise ConfigError(f"a recording is written as WAV; name the file {self.path.with_suffix('.wav').name}.")
        self.sample_rate = int(sample_rate)
        self.limit = int(max_seconds * self.sample_rate)
        self.samples = 0
        self.peak = 0.0
        self._sum_sq = 0.0
        self.cut_at_limit = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = sf.SoundFile(str(self.path), "w", samplerate=self.sample_rate, channels=1,
                                      subtype=SUBTYPE, format="WAV")
        except (OSError, RuntimeError) as exc:      # soundfile reports unwritable paths as RuntimeError
            raise InputError(f"cannot write the recording to {self.path}: {exc}; choose another folder.") from exc

    @property
    def seconds(self) -> float:
        return self.samples / self.sample_rate

    @property
    def full(self) -> bool:
        return self.samples >= self.limit

    def append(self, block: np.ndarray) -> int:
        """Write one block (float, mono, -1..1; clipped); returns how many samples were kept."""
        if self._file is None:
            raise ValueError("the recording is closed")
        block = np.clip(np.asarray(block, np.float32).reshape(-1), -1.0, 1.0)
        room = self.limit - self.samples
        if len(block) > room:
            block, self.cut_at_limit = block[:max(room, 0)], True
        if len(block):
            self._file.write(block)
            self.samples += len(block)
            self.peak = max(self.peak, float(np.abs(block).max()))
            self._sum_sq += float(np.square(block, dtype=np.float64).sum())
        return len(block)

    def close(self) -> RecordingInfo:
        if self._file is not None:
            self._file.close()
            self._file = None
        rms = (self._sum_sq / self.samples) ** 0.5 if self.samples else 0.0
        return RecordingInfo(str(self.path), self.sample_rate, self.samples, self.peak, rms, self.cut_at_limit)

    def discard(self) -> None:
        """Close and delete the file (a recording the user threw away)."""
        self.close()
        self.path.unlink(missing_ok=True)
