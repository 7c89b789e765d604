"""A generator of hostile files: what a tester who did not write the code throws at every reader.

`hostile_files(folder)` writes each kind once and returns {name: path}. The kinds: the failures of
issue 14 (NaN and infinite audio, a truncated checkpoint, bad bytes, deep nesting, a code pickle)
plus empty, binary, NUL-filled, huge declared headers, wrong extensions, UTF-16, Latin-1, one very
long line, a folder or a dangling link where a file belongs, ragged and non-numeric tables. Every
reader must refuse each in one sentence naming the file, or read it and say what it changed."""
from __future__ import annotations

import json
import os
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

RATE = 16000


def _wav_header(rate: int, frames: int, channels: int = 1, bits: int = 16, fmt: int = 1, data_size: int | None = None) -> bytes:
    block = channels * bits // 8
    size = frames * block if data_size is None else data_size
    return (b"RIFF" + struct.pack("<I", (36 + size) & 0xFFFFFFFF) + b"WAVE"
            + b"fmt " + struct.pack("<IHHIIHH", 16, fmt, channels, rate, rate * block, block, bits)
            + b"data" + struct.pack("<I", size & 0xFFFFFFFF))


def _tone(seconds: float = 0.25) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    return (0.4 * np.sin(2 * np.pi * 330 * t)).astype(np.float32)


def _float_wav(path: Path, samples: np.ndarray) -> None:
    path.write_bytes(_wav_header(RATE, len(samples), bits=32, fmt=3) + samples.astype("<f4").tobytes())


def _png(width: int, height: int, rows: bytes | None = None) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = rows if rows is not None else b"".join(b"\x00" + bytes(3 * width) for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _safetensors(tensors: dict[str, np.ndarray]) -> bytes:
    from safetensors.numpy import save

    return save(tensors)


# name -> (file name, bytes or a writer(path))
def _makers() -> dict[str, tuple[str, Callable[[Path], None] | bytes]]:
    rng = np.random.default_rng(14)
    nan = _tone()
    nan[100:200] = np.nan
    nan[300] = np.inf
    good_wav = _wav_header(RATE, len(_tone())) + (_tone() * 32767).astype("<i2").tobytes()
    good_st = _safetensors({"w": np.ones((4, 4), np.float32)})
    return {
        "empty": ("empty.txt", b""),
        "binary": ("binary.txt", bytes(rng.integers(0, 256, 4096, dtype=np.uint8))),
        "nul-filled": ("zeros.tsv", b"\x00" * 2048),
        "utf16-bom": ("utf16.txt", "the cat sat\tle chat\n".encode("utf-16")),
        "utf16-no-bom": ("utf16le.tsv", "1\t2\t3\n4\t5\t6\n".encode("utf-16-le")),
        "latin1": ("latin1.txt", "café naïve déjà vu\n".encode("latin-1")),
        "bad-utf8-json": ("bad.json", b'{"model": "word2vec\xff\xfe"}'),
        "deep-json": ("deep.json", b"[" * 100_000),
        "deep-toml": ("deep.toml", b"a = " + b"[" * 50_000),
        "long-line": ("long.txt", b"word " * 200_000),
        "png-as-wav": ("picture.wav", _png(8, 8)),
        "wav-as-png": ("sound.png", good_wav),
        "text-as-png": ("words.png", b"not a picture at all\n"),
        "safetensors-as-tsv": ("vectors.tsv", good_st),
        "nan-wav": ("nan.wav", lambda p: _float_wav(p, nan)),
        "all-nan-wav": ("allnan.wav", lambda p: _float_wav(p, np.full(800, np.nan, np.float32))),
        "inf-wav": ("inf.wav", lambda p: _float_wav(p, np.full(800, np.inf, np.float32))),
        "truncated-wav": ("cut.wav", _wav_header(RATE, RATE) + b"\x10\x00" * 500),
        "unfinished-wav": ("unfinished.wav", _wav_header(RATE, 0, data_size=0) + (_tone() * 32767).astype("<i2").tobytes()),
        "huge-header-wav": ("huge.wav", _wav_header(RATE, 0, channels=255, data_size=0xFFFFFFF0) + b"\x00" * 64),
        "huge-rate-wav": ("rate.wav", _wav_header(2_000_000_000, 16) + b"\x00" * 32),
        "png-bomb": ("bomb.png", _png(50_000, 50_000, rows=b"")),
        "truncated-png": ("cut.png", _png(64, 64)[:60]),
        "truncated-safetensors": ("cut.safetensors", good_st[: len(good_st) // 2]),
        "huge-header-safetensors": ("huge.safetensors", struct.pack("<Q", 1 << 40) + b"{}"),
        "lying-safetensors": ("lying.safetensors", _lying_safetensors()),
        "ragged-tsv": ("ragged.tsv", b"1\t2\t3\n4\t5\n6\t7\t8\n"),
        "nan-tsv": ("nan.tsv", b"1\t2\nnan\tinf\n3\t4\n"),
        "words-tsv": ("words.tsv", b"cat\tdog\nfish\tbird\n"),
        "one-column-tsv": ("single.tsv", b"hello\nworld\n"),
        "broken-toml": ("broken.toml", b"[lesson\nid = = 3\n"),
        "wrong-types-toml": ("types.toml", b'id = 5\ntitle = ["x"]\norder = "first"\n[[step]]\nviews = "audio"\n'),
        "folder": ("a-folder.txt", lambda p: p.mkdir()),
        "dangling-link": ("link.wav", lambda p: os.symlink(p.with_name("nowhere.wav"), p)),
        "link-loop": ("loop.txt", lambda p: os.symlink(p, p)),
    }


def _lying_safetensors() -> bytes:
    """A header whose tensor claims a billion floats that are not there."""
    header = json.dumps({"w": {"dtype": "F32", "shape": [1_000_000_000], "data_offsets": [0, 4_000_000_000]}}).encode()
    return struct.pack("<Q", len(header)) + header + b"\x00" * 16


def hostile_files(folder: Path) -> dict[str, Path]:
    """Write every hostile file into `folder` (created); {kind: path}."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for kind, (name, content) in _makers().items():
        path = folder / name
        if callable(content):
            content(path)
        else:
            path.write_bytes(content)
        out[kind] = path
    return out


HOSTILE_KINDS = tuple(_makers())
