"""Input records: what `engine.data` returns for a text, audio or image input (numpy only)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TEXT = "text"
AUDIO = "audio"
IMAGE = "image"
KINDS = (TEXT, AUDIO, IMAGE)


@dataclass(frozen=True)
class InputInfo:
    """Cheap facts about an input file, read from its header only (what the Inputs dock lists)."""

    path: str
    name: str
    kind: str            # "text" | "audio" | "image"
    size_bytes: int
    summary: str         # "12.3 kB, 345 lines, UTF-16 LE" | "3.20 s, 16000 Hz, stereo" | "640×480 RGBA"


@dataclass(frozen=True)
class TextInput:
    """Decoded text; `path` is None for pasted or typed text."""

    path: str | None
    name: str
    text: str
    encoding: str        # "UTF-8", "UTF-8 BOM", "UTF-16 LE", "UTF-16 BE", "Latin-1", "Windows-1252", ...
    n_chars: int
    n_lines: int

    @property
    def kind(self) -> str:
        return TEXT


@dataclass(frozen=True)
class AudioInput:
    """Mono audio: `samples` (N,) float32 in [-1, 1] at `sample_rate` Hz."""

    path: str | None
    name: str
    samples: np.ndarray  # (N,) float32
    sample_rate: int
    duration: float      # seconds of `samples`
    original_rate: int   # the file's sample rate before resampling
    channels: int        # the file's channel count before the mono mix-down
    truncated: bool      # True when less than the whole file is here (length limit or a damaged file)
    note: str            # what the user should know ("loaded the first 600 s of 3 h", ...) or ""

    @property
    def kind(self) -> str:
        return AUDIO


@dataclass(frozen=True)
class ImageInput:
    """An RGB image: `pixels` (H, W, 3) uint8; alpha is composited on white."""

    path: str | None
    name: str
    pixels: np.ndarray   # (H, W, 3) uint8
    width: int
    height: int
    mode: str            # the file's PIL mode before conversion ("RGBA", "I;16", "CMYK", "P", ...)
    note: str            # e.g. "first of 12 frames" or ""

    @property
    def kind(self) -> str:
        return IMAGE
