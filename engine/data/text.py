"""Text inputs: encoding detection (UTF-8 with or without BOM, UTF-16/32 with BOM, BOM-less
UTF-16, then Windows-1252/Latin-1), binary files refused with the reason, items = lines."""
from __future__ import annotations

import codecs
import os
from pathlib import Path

import numpy as np

from engine.data.files import as_path, file_size, human_size, open_binary, os_error
from engine.errors import InputError
from engine.records.inputs import TEXT, InputInfo, TextInput

DEFAULT_MAX_TEXT_BYTES = 64_000_000
SNIFF_BYTES = 65536
MAX_CONTROL_RATIO = 0.05     # more control characters than this (besides tab/newlines) means binary

# (BOM, Python codec, label); UTF-32 LE before UTF-16 LE because its BOM starts the same way.
BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8 BOM"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32 LE"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32 BE"),
    (b"\xff\xfe", "utf-16-le", "UTF-16 LE"),
    (b"\xfe\xff", "utf-16-be", "UTF-16 BE"),
)
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v", "\x1b"}


def sniff_encoding(head: bytes) -> tuple[str | None, str, int]:
    """(codec, label, BOM length) from the first bytes; codec None means "decide from the data"."""
    for bom, codec, label in BOMS:
        if head.startswith(bom):
            return codec, label, len(bom)
    if len(head) >= 4:
        even, odd = head[0:len(head) & ~1:2], head[1:len(head) & ~1:2]
        pairs = len(even)
        if odd.count(0) > 0.3 * pairs and even.count(0) < 0.02 * pairs:
            return "utf-16-le", "UTF-16 LE (no BOM)", 0
        if even.count(0) > 0.3 * pairs and odd.count(0) < 0.02 * pairs:
            return "utf-16-be", "UTF-16 BE (no BOM)", 0
    return None, "", 0


def binary_reason(sample: str) -> str | None:
    """Why decoded text looks like binary data, or None when it looks like text."""
    if not sample:
        return None
    if "\x00" in sample:
        return "it contains NUL bytes"
    controls = sum(1 for ch in sample if (ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0) and ch not in _ALLOWED_CONTROLS)
    ratio = controls / len(sample)
    if ratio > MAX_CONTROL_RATIO:
        return f"{ratio:.0%} of its characters are control characters"
    return None


BINARY_ADVICE = "open a text, audio or image file instead."


def decode_bytes(raw: bytes, where: str, final: bool = True, advice: str = BINARY_ADVICE) -> tuple[str, str]:
    """(text with '\\n' line ends, encoding label); InputError when `raw` is binary, ending with
    `advice` (what to open instead).

    `final=False` reads a prefix: a multi-byte character cut at its end is not an error."""
    codec, label, bom = sniff_encoding(raw[:SNIFF_BYTES])
    if codec is None and b"\x00" in raw[:SNIFF_BYTES]:
        raise InputError(f"{where} looks like a binary file, not text (it contains NUL bytes); {advice}")
    if codec is not None:
        text = raw[bom:].decode(codec, errors="replace")
    else:
        try:
            text, label = codecs.getincrementaldecoder("utf-8")().decode(raw, final=final), "UTF-8"
        except UnicodeDecodeError:
            text, label = _decode_8bit(raw)
    reason = binary_reason(text[:SNIFF_BYTES])
    if reason:
        raise InputError(f"{where} looks like a binary file, not text ({reason}); {advice}")
    return text.replace("\r\n", "\n").replace("\r", "\n"), label


def _decode_8bit(raw: bytes) -> tuple[str, str]:
    """Windows-1252 when its printable C1 range (curly quotes, dashes) is used, else Latin-1."""
    if any(0x80 <= b < 0xA0 for b in raw):
        try:
            return raw.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            pass
    return raw.decode("latin-1"), "Latin-1"


def count_lines(text: str) -> int:
    return text.count("\n") + (1 if text and not text.endswith("\n") else 0)


def read_text(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_TEXT_BYTES,
              binary_advice: str = BINARY_ADVICE) -> TextInput:
    """Read and decode a whole text file; InputError for empty, binary (ending with
    `binary_advice`), too large or unreadable."""
    p = as_path(path)
    size = file_size(p)
    if size == 0:
        raise InputError(f"{p} is empty (0 bytes); there is no text to load.")
    if size > max_bytes:
        raise InputError(f"{p} is {human_size(size)}, over the {human_size(max_bytes)} limit for text inputs; "
                         "split it into smaller files.")
    with open_binary(p) as f:
        try:
            raw = f.read(max_bytes + 1)
        except OSError as exc:
            raise os_error(p, exc) from None
    text, label = decode_bytes(raw, str(p), advice=binary_advice)
    if not text.strip():
        raise InputError(f"{p} holds only blank space; there is no text to load.")
    return TextInput(path=str(p), name=p.name, text=text, encoding=label, n_chars=len(text), n_lines=count_lines(text))


def text_from_string(text: str, name: str) -> TextInput:
    """A pasted or typed text as an input (no file behind it)."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"the text '{name}' is empty; type or paste some text first.")
    return TextInput(path=None, name=name, text=text, encoding="UTF-8", n_chars=len(text), n_lines=count_lines(text))


def numbered_items(text: str, whole: bool = False) -> list[tuple[int, str]]:
    """(line number from 1, item) for each non-blank line, stripped; `whole`: [(1, whole text)]."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if whole:
        return [(1, text.strip())] if text.strip() else []
    return [(n, line.strip()) for n, line in enumerate(text.split("\n"), 1) if line.strip()]


def split_items(text: str, whole: bool = False) -> list[str]:
    """Each non-blank line is one item (stripped); `whole` keeps the whole text as one item."""
    return [item for _, item in numbered_items(text, whole)]


def text_items(path_or_text: str | os.PathLike, whole: bool = False) -> list[str]:
    """Items of a text file (an existing path wins) or of a literal text: one per non-blank line."""
    if isinstance(path_or_text, Path) or _is_file(path_or_text):
        return split_items(read_text(path_or_text).text, whole)
    return split_items(str(path_or_text), whole)


def _is_file(value) -> bool:
    try:
        s = os.fspath(value)
        return len(s) < 4096 and "\n" not in s and as_path(s).is_file()
    except (OSError, ValueError, TypeError):
        return False


def inspect_text(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_TEXT_BYTES) -> InputInfo:
    """Size, line count and encoding, from the raw bytes (newline code units are counted, not decoded)."""
    p = as_path(path)
    size = file_size(p)
    if size == 0:
        raise InputError(f"{p} is empty (0 bytes); there is no text to load.")
    with open_binary(p) as f:
        head = f.read(SNIFF_BYTES)
        codec, label, bom = sniff_encoding(head)
        if codec is None:
            label = decode_bytes(head, str(p), final=len(head) == size)[1]
        if size > max_bytes:
            return InputInfo(str(p), p.name, TEXT, size, f"{human_size(size)}, {label}, over the "
                             f"{human_size(max_bytes)} text limit")
        f.seek(0)
        lines = _count_newlines(f, codec or "", bom)
    return InputInfo(str(p), p.name, TEXT, size, f"{human_size(size)}, {lines} lines, {label}")


def _count_newlines(f, codec: str, bom: int) -> int:
    """Lines in a binary stream: '\\n' code units (or '\\r' for old Mac files) plus an unended last line."""
    width = 4 if "32" in codec else 2 if "16" in codec else 1
    dtype = {1: np.uint8, 2: "<u2" if "le" in codec else ">u2", 4: "<u4" if "le" in codec else ">u4"}[width]
    f.seek(bom)
    n_lf = n_cr = 0
    last = None
    while chunk := f.read(1 << 20):
        chunk = chunk[:len(chunk) - len(chunk) % width]
        units = np.frombuffer(chunk, dtype=dtype)
        if units.size:
            n_lf += int(np.count_nonzero(units == 10))
            n_cr += int(np.count_nonzero(units == 13))
            last = int(units[-1])
    newlines = n_lf if n_lf else n_cr
    return newlines + (1 if last is not None and last not in (10, 13) else 0)
