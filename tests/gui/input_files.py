"""Real input files for the window tests: good ones of each kind and the bad ones of issue #2."""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

SENTENCES = "The cat sat on the mat.\nA kitten rested on the rug.\nStock markets fell sharply today.\n"


def text_file(folder: Path, name: str = "sentences.txt", text: str = SENTENCES) -> Path:
    p = folder / name
    p.write_text(text, encoding="utf-8")
    return p


def wav_file(folder: Path, name: str = "tone.wav", seconds: float = 0.5, rate: int = 16000,
             channels: int = 1) -> Path:
    import soundfile as sf

    t = np.arange(int(seconds * rate)) / rate
    tone = 0.3 * np.sin(2 * np.pi * 440 * t).astype(np.float32)
    data = np.stack([tone] * channels, axis=1) if channels > 1 else tone
    p = folder / name
    sf.write(p, data, rate, subtype="PCM_16")
    return p


def png_file(folder: Path, name: str = "gradient.png", size: tuple[int, int] = (48, 32)) -> Path:
    from PIL import Image

    w, h = size
    x = np.linspace(0, 255, w, dtype=np.uint8)
    rgb = np.stack([np.tile(x, (h, 1)), np.tile(x[::-1], (h, 1)), np.full((h, w), 128, np.uint8)], axis=2)
    p = folder / name
    Image.fromarray(rgb).save(p)
    return p


def _wav_header(rate: int, frames: int, channels: int = 1, bits: int = 16) -> bytes:
    block = channels * bits // 8
    data = frames * block
    return (b"RIFF" + struct.pack("<I", 36 + data) + b"WAVE" + b"fmt " +
            struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * block, block, bits) +
            b"data" + struct.pack("<I", data))


def binary_as_text(folder: Path) -> Path:
    p = folder / "notes.txt"
    p.write_bytes(bytes(range(256)) * 64)
    return p


def empty_file(folder: Path) -> Path:
    p = folder / "empty.txt"
    p.write_bytes(b"")
    return p


def truncated_wav(folder: Path) -> Path:
    """A header for 2 s of audio followed by only 0.25 s of samples."""
    p = folder / "truncated.wav"
    samples = (np.sin(np.arange(4000) * 0.05) * 8000).astype("<i2").tobytes()
    p.write_bytes(_wav_header(16000, 32000) + samples)
    return p


def zero_sample_wav(folder: Path) -> Path:
    p = folder / "silent-zero.wav"
    p.write_bytes(_wav_header(16000, 0))
    return p


def three_hour_wav(folder: Path) -> Path:
    """A valid 3-hour 16 kHz WAV, written as a sparse file (no real disk use)."""
    p = folder / "three-hours.wav"
    frames = 3 * 3600 * 16000
    with open(p, "wb") as f:
        f.write(_wav_header(16000, frames))
        f.truncate(44 + frames * 2)
    return p


def png_bomb(folder: Path, side: int = 50000) -> Path:
    """A PNG whose header declares side × side pixels (with a tiny, damaged body)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 1024)
    p = folder / "bomb.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b""))
    return p


def deleted_file(folder: Path) -> Path:
    p = text_file(folder, "gone.txt")
    p.unlink()
    return p


def unreadable_file(folder: Path) -> Path:
    p = text_file(folder, "locked.txt")
    p.chmod(0)
    return p
