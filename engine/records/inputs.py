"""Input records: what `engine.data` returns for a text, audio or image input (numpy only)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TEXT = "text"
AUDIO = "audio"
IMAGE = "image"
KINDS = (TEXT, AUDIO, IMAGE)
TEXT_PAIR = "text-pair"
SOURCE_TARGET = "source-target"


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


@dataclass(frozen=True)
class TextPair:
    """Two sentences for a model that reads a pair (BERT's sentence A and sentence B)."""

    first: str
    second: str
    name: str = "pair"

    @property
    def kind(self) -> str:
        return TEXT_PAIR


@dataclass(frozen=True)
class SourceTarget:
    """A sentence to translate, and optionally its translation (then models are run on the given
    target, teacher-forced, instead of their own)."""

    source: str
    target: str | None = None
    name: str = "sentence"

    @property
    def kind(self) -> str:
        return SOURCE_TARGET


# Every probe takes one of these; the window's current input and the CLI's arguments become one.
ProbeInput = TextInput | TextPair | SourceTarget | AudioInput | ImageInput


def text_input(text: str, name: str = "text") -> TextInput:
    """A TextInput for typed or pasted text (no file)."""
    return TextInput(path=None, name=name, text=text, encoding="UTF-8", n_chars=len(text),
                     n_lines=text.count("\n") + 1 if text else 0)


def as_probe_input(value, pair: str | None = None) -> ProbeInput:
    """A probe input from what a caller has: an input record, or text (with `pair`: a TextPair)."""
    if isinstance(value, str):
        return TextPair(value, pair) if pair is not None else text_input(value)
    if pair is not None:
        if isinstance(value, TextInput):
            return TextPair(value.text, pair, value.name)
        raise TypeError(f"a second sentence goes with text, not with a {getattr(value, 'kind', type(value).__name__)} input")
    if isinstance(value, (TextInput, TextPair, SourceTarget, AudioInput, ImageInput)):
        return value
    raise TypeError(f"not a probe input: {type(value).__name__}")
