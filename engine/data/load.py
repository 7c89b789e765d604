"""One entry point for any input file: `inspect` (header facts) and `load_input` (decoded)."""
from __future__ import annotations

import os

from engine.data.audio import DEFAULT_MAX_SECONDS, inspect_audio, read_audio
from engine.data.image import DEFAULT_MAX_PIXELS, inspect_image, read_image
from engine.data.kinds import detect_kind
from engine.data.text import inspect_text, read_text
from engine.records.inputs import AUDIO, IMAGE, AudioInput, ImageInput, InputInfo, TextInput


def inspect(path: str | os.PathLike) -> InputInfo:
    """Kind, size and a one-line summary, read from the header only (cheap enough for listings)."""
    kind = detect_kind(path)
    if kind == AUDIO:
        return inspect_audio(path)
    if kind == IMAGE:
        return inspect_image(path)
    return inspect_text(path)


def load_input(path: str | os.PathLike, *, sample_rate: int | None = None,
               max_seconds: float | None = DEFAULT_MAX_SECONDS,
               max_pixels: int | None = DEFAULT_MAX_PIXELS) -> TextInput | AudioInput | ImageInput:
    """Decode a text, audio or image file, whichever it is; InputError naming the file otherwise."""
    kind = detect_kind(path)
    if kind == AUDIO:
        return read_audio(path, sample_rate=sample_rate, max_seconds=max_seconds)
    if kind == IMAGE:
        return read_image(path, max_pixels=max_pixels)
    return read_text(path)
