"""Audio inputs through soundfile: the header (channels, rate, length) is checked before any
samples are read; samples are read in blocks, mixed down to mono, cut at a memory budget and
resampled with the numpy polyphase resampler. A damaged file gives what it holds, and says so."""
from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.data.files import as_path, file_size, human_duration, open_binary, os_error
from engine.data.resample import resample
from engine.errors import ConfigError, InputError
from engine.records.inputs import AUDIO, AudioInput, InputInfo

DEFAULT_MAX_SECONDS = 600.0       # one input holds at most 10 minutes unless asked otherwise
HARD_MAX_SAMPLES = 1 << 28        # 1 GiB of float32: no request may allocate more
MAX_CHANNELS = 64
MAX_RATE = 768_000
READ_BLOCK = 1 << 16              # frames per read


def channel_words(n: int) -> str:
    return {1: "mono", 2: "stereo"}.get(n, f"{n} channels")


def _open_sound(f, p):
    import soundfile as sf

    try:
        return sf.SoundFile(f)
    except (RuntimeError, TypeError, ValueError) as exc:
        reason = str(exc).split(":")[-1].strip().rstrip(".") or "unknown format"
        raise InputError(f"{p} is not an audio file that can be read ({reason}); "
                         "use WAV, FLAC, OGG/Vorbis, Opus or MP3.") from None


def _check_header(p, channels: int, rate: int) -> None:
    if not 1 <= channels <= MAX_CHANNELS:
        raise InputError(f"{p} declares {channels} channels; at most {MAX_CHANNELS} are supported.")
    if not 1 <= rate <= MAX_RATE:
        raise InputError(f"{p} declares a sample rate of {rate} Hz; it must be between 1 and {MAX_RATE} Hz.")


def _wav_data_chunk(head: bytes) -> tuple[int, int] | None:
    """(data chunk size, block align) of a RIFF/WAVE header (None when not a plain WAV or not found)."""
    if len(head) < 12 or head[:4] not in (b"RIFF", b"RIFX") or head[8:12] != b"WAVE":
        return None
    order = "<" if head[:4] == b"RIFF" else ">"
    pos, block_align = 12, 0
    while pos + 8 <= len(head):
        cid, size = head[pos:pos + 4], struct.unpack(order + "I", head[pos + 4:pos + 8])[0]
        if cid == b"fmt " and pos + 22 <= len(head):
            block_align = struct.unpack(order + "H", head[pos + 20:pos + 22])[0]
        if cid == b"data":
            return size, block_align
        pos += 8 + size + (size & 1)
    return None


def wav_declared_frames(head: bytes) -> int | None:
    """Frames a RIFF/WAVE header says its data chunk holds (None when not a plain WAV or unknown)."""
    chunk = _wav_data_chunk(head)
    if chunk is None:
        return None
    size, block_align = chunk
    if not block_align or size in (0xFFFFFFFF, 0):
        return None
    return size // block_align


def wav_unfinished(head: bytes) -> bool:
    """A WAV whose header was never finished: its data chunk still says 0 (or the streaming
    placeholder 0xFFFFFFFF) bytes, as a writer killed before closing the file leaves it."""
    chunk = _wav_data_chunk(head)
    return chunk is not None and chunk[0] in (0, 0xFFFFFFFF)


@dataclass
class _Header:
    """What an audio file's header says, with the open file to read samples from."""

    snd: Any                      # soundfile.SoundFile
    head: bytes                   # the first 4 KiB, for the WAV data-chunk size
    rate: int
    channels: int
    frames: int

    @property
    def declared(self) -> int | None:
        return wav_declared_frames(self.head)

    @property
    def unfinished(self) -> bool:
        return wav_unfinished(self.head)


@contextmanager
def _open_header(p) -> Iterator[_Header]:
    """Open `p`, refuse an empty file or an impossible header, yield the header; closes the file."""
    if file_size(p) == 0:
        raise InputError(f"{p} is empty (0 bytes); there is no audio to load.")
    with open_binary(p) as f:
        head = f.read(4096)
        f.seek(0)
        with _open_sound(f, p) as snd:
            header = _Header(snd, head, int(snd.samplerate), int(snd.channels), int(snd.frames))
            _check_header(p, header.channels, header.rate)
            yield header


def read_audio(path: str | os.PathLike, sample_rate: int | None = None,
               max_seconds: float | None = None) -> AudioInput:
    """Mono float32 samples of `path`, resampled to `sample_rate` (None keeps the file's rate).

    At most `max_seconds` (default DEFAULT_MAX_SECONDS) are read; a longer file is cut there with
    `truncated=True` and a note. A file shorter than its header says loads what is there."""
    p = as_path(path)
    if sample_rate is not None and not 1 <= int(sample_rate) <= MAX_RATE:
        raise ConfigError(f"sample_rate {sample_rate} is out of range; give a rate between 1 and {MAX_RATE} Hz.")
    limit = float(max_seconds) if max_seconds is not None else DEFAULT_MAX_SECONDS
    if not limit > 0:
        raise ConfigError(f"max_seconds must be a positive number of seconds, got {max_seconds}.")
    with _open_header(p) as h:
        top_rate = max(h.rate, sample_rate or h.rate)
        if int(limit * top_rate) > HARD_MAX_SAMPLES:
            raise InputError(f"loading {limit:g} s of {p} at {top_rate} Hz would need more than "
                             f"{HARD_MAX_SAMPLES * 4 // 2**30} GiB; ask for at most {HARD_MAX_SAMPLES // top_rate} s.")
        mono, damaged, bad = _read_mono(h.snd, min(h.frames, int(limit * h.rate)), p)
    rate, got = h.rate, mono.shape[0]
    if got == 0:
        if h.declared:
            raise InputError(f"{p} is truncated: its header declares {human_duration(h.declared / rate)} of audio "
                             "but no samples are there; the file is damaged.")
        raise InputError(f"{p} holds no samples (0 frames); record or export the audio again.")
    if bad == got:
        raise InputError(f"{p} holds no usable audio: all {got:,} samples are NaN or infinite; "
                         "export the audio again (as 16-bit PCM, for instance).")
    cut = _cut_note(h, got, damaged, limit)
    notes = [cut] if cut else []
    if bad:
        notes.append(f"{bad:,} of its {got:,} samples were NaN or infinite and were replaced with silence.")
    if sample_rate is not None and int(sample_rate) != rate:
        mono = resample(mono, rate, int(sample_rate))
        np.clip(mono, -1.0, 1.0, out=mono)
    out_rate = int(sample_rate or rate)
    return AudioInput(path=str(p), name=p.name, samples=mono, sample_rate=out_rate,
                      duration=mono.shape[0] / out_rate, original_rate=rate, channels=h.channels,
                      truncated=bool(cut), note=" ".join(notes))


def _cut_note(h: _Header, got: int, damaged: bool, limit: float) -> str:
    """Why fewer than the declared frames were loaded ("" when all of them were)."""
    rate = h.rate
    if h.declared and h.declared > h.frames and got == h.frames:
        return (f"the file is truncated: its header declares {human_duration(h.declared / rate)} but only "
                f"{human_duration(got / rate)} are there; loaded what is there.")
    if damaged:
        return f"the file ends early (damaged?); loaded the first {human_duration(got / rate)}."
    if h.unfinished:
        return (f"the file's header was never finished (a recording cut short?); loaded the "
                f"{human_duration(got / rate)} that are there.")
    if got < h.frames:
        return (f"loaded the first {human_duration(got / rate)} of {human_duration(h.frames / rate)}: one input holds "
                f"at most {limit:g} s (max_seconds).")
    return ""


def _read_mono(snd, wanted: int, p) -> tuple[np.ndarray, bool, int]:
    """Read up to `wanted` frames in blocks, averaging channels; (samples (N,), ended early, how many
    samples were NaN or infinite: those are set to 0, silence)."""
    out = np.empty(wanted, np.float32)
    pos, damaged, bad = 0, False, 0
    while pos < wanted:
        n = min(READ_BLOCK, wanted - pos)
        try:
            block = snd.read(n, dtype="float32", always_2d=True)     # (n, C)
        except RuntimeError:
            damaged = True
            break
        except OSError as exc:
            raise os_error(p, exc) from None
        k = block.shape[0]
        finite = np.isfinite(block).all(axis=1)
        if not finite.all():
            bad += int(k - finite.sum())
            block[~finite] = 0.0
        with np.errstate(over="ignore", invalid="ignore"):
            out[pos:pos + k] = block.mean(axis=1) if block.shape[1] > 1 else block[:, 0]
        pos += k
        if k < n:
            damaged = True
            break
    mono = out[:pos]
    np.nan_to_num(mono, copy=False, nan=0.0, posinf=1.0, neginf=-1.0)     # huge finite values mixed down
    np.clip(mono, -1.0, 1.0, out=mono)
    return mono, damaged, bad


def inspect_audio(path: str | os.PathLike) -> InputInfo:
    """'3.20 s, 16000 Hz, stereo' from the header alone."""
    p = as_path(path)
    with _open_header(p) as h:
        size = file_size(p)
    summary = f"{human_duration(h.frames / h.rate)}, {h.rate} Hz, {channel_words(h.channels)}"
    if h.declared and h.declared > h.frames:
        summary += f", truncated (header says {human_duration(h.declared / h.rate)})"
    elif h.frames == 0:
        summary += ", no samples"
    return InputInfo(str(p), p.name, AUDIO, size, summary)
