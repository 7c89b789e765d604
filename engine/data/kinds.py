"""What kind of input a file is: its extension first, then its magic bytes, then a text sniff."""
from __future__ import annotations

import os

from engine.data.files import as_path, file_size, read_head
from engine.data.text import decode_bytes
from engine.errors import InputError
from engine.records.inputs import AUDIO, IMAGE, TEXT

TEXT_EXTENSIONS = frozenset({
    ".txt", ".text", ".md", ".rst", ".csv", ".tsv", ".json", ".jsonl", ".xml", ".html", ".htm", ".yaml",
    ".yml", ".toml", ".ini", ".cfg", ".log", ".py", ".tex", ".srt", ".vtt", ".lst", ".tok", ".conll",
})
AUDIO_EXTENSIONS = frozenset({
    ".wav", ".wave", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".aif", ".aiff", ".aifc", ".au", ".snd",
    ".w64", ".rf64", ".caf", ".sph", ".voc",
})
IMAGE_EXTENSIONS = frozenset({
    ".png", ".jpg", ".jpeg", ".jpe", ".gif", ".bmp", ".dib", ".tif", ".tiff", ".webp", ".ppm", ".pgm",
    ".pbm", ".pnm", ".tga", ".ico", ".jp2", ".j2k", ".qoi",
})


def kind_from_extension(path: str | os.PathLike) -> str | None:
    suffix = as_path(path).suffix.lower()
    for kind, exts in ((TEXT, TEXT_EXTENSIONS), (AUDIO, AUDIO_EXTENSIONS), (IMAGE, IMAGE_EXTENSIONS)):
        if suffix in exts:
            return kind
    return None


def kind_from_magic(head: bytes) -> str | None:
    """Audio or image signatures at the start of a file; None when none matches."""
    if head[:4] in (b"RIFF", b"RIFX") and head[8:12] == b"WAVE" or head[:4] in (b"RF64", b"BW64"):
        return AUDIO
    if head[:4] in (b"fLaC", b"OggS", b".snd", b"caff") or head[:3] == b"ID3":
        return AUDIO
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return AUDIO
    if len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[:3] != b"\xff\xd8\xff":
        return AUDIO                                                    # MPEG audio frame sync
    if head[:8] == b"\x89PNG\r\n\x1a\n" or head[:3] == b"\xff\xd8\xff" or head[:6] in (b"GIF87a", b"GIF89a"):
        return IMAGE
    if head[:2] == b"BM" or head[:4] in (b"II*\x00", b"MM\x00*", b"qoif"):
        return IMAGE
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return IMAGE
    if head[:2] in (b"P1", b"P2", b"P3", b"P4", b"P5", b"P6") and head[2:3] in (b"\n", b" ", b"\r", b"\t"):
        return IMAGE
    return None


def detect_kind(path: str | os.PathLike) -> str:
    """"text" | "audio" | "image"; InputError naming the file when it is none of them."""
    p = as_path(path)
    size = file_size(p)                       # missing, a folder, no permission: InputError
    by_ext = kind_from_extension(p)
    if by_ext is not None:
        return by_ext
    if size == 0:
        raise InputError(f"{p} is empty (0 bytes); there is nothing to load.")
    head = read_head(p, 65536)
    by_magic = kind_from_magic(head)
    if by_magic is not None:
        return by_magic
    try:
        decode_bytes(head, str(p), final=len(head) == size)
    except InputError as exc:
        reason = str(exc).split("(", 1)[-1].split(")", 1)[0] if "(" in str(exc) else "binary data"
        raise InputError(f"cannot tell what kind of file {p} is: it is not text ({reason}) and not an audio or "
                         "image format this app reads.") from None
    return TEXT

