"""Inputs: text (any common encoding, binary refused), audio (soundfile; mono, resampled,
length-limited) and images (Pillow; size-checked, any mode to RGB). numpy only, no torch.

    detect_kind(path) -> "text" | "audio" | "image"
    inspect(path) -> InputInfo                      header facts for a listing
    load_input(path, sample_rate=, max_seconds=, max_pixels=) -> TextInput | AudioInput | ImageInput
    read_text / read_audio / read_image             one kind each
    text_items(path_or_text, whole=False) -> list[str]   one item per non-blank line
    text_from_string(text, name) -> TextInput       pasted or typed text

Every problem with a file (missing, deleted, unreadable, empty, binary, damaged, too large)
raises engine.errors.InputError with one sentence naming the file.
"""
from engine.data.audio import DEFAULT_MAX_SECONDS, read_audio
from engine.data.image import DEFAULT_MAX_PIXELS, read_image
from engine.data.kinds import detect_kind
from engine.data.load import inspect, load_input
from engine.data.text import DEFAULT_MAX_TEXT_BYTES, read_text, text_from_string, text_items

__all__ = [
    "DEFAULT_MAX_PIXELS", "DEFAULT_MAX_SECONDS", "DEFAULT_MAX_TEXT_BYTES", "detect_kind", "inspect",
    "load_input", "read_audio", "read_image", "read_text", "text_from_string", "text_items",
]
