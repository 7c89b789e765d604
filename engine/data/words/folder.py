"""A user's folder of spoken words, read into the same corpus as `builtin:words`.

    FOLDER/yes/0a7c2a8d_nohash_0.wav      labelled: one subfolder per word (Google's Speech Commands
    FOLDER/yes/0a7c2a8d_nohash_1.wav      layout); any rate, channel count and format soundfile reads
    FOLDER/no/...                         (WAV, FLAC, OGG, MP3, ...); subfolders starting with "_" or
                                          "." (Speech Commands' _background_noise_) are skipped
    FOLDER/talk.wav, FOLDER/more.flac     unlabelled: audio files directly in the folder, for
                                          self-supervised pre-training; each file is cut into 1-s pieces

Each file becomes a mono 16 kHz 1-s clip: a shorter one is padded with zeros after its end, a longer
one cut to its loudest second. The speaker is the part before `_nohash_` in a Speech Commands name,
otherwise the file's name. Splits: the folder's own `validation_list.txt` and `testing_list.txt` when
present, otherwise Speech Commands' rule (SHA-1 of the speaker: 10 % valid, 10 % test), so a speaker's
clips stay in one split; a split left empty falls back to ranking speakers (or, with fewer than 3
speakers, files) by hash. Unreadable files are skipped and named in the corpus's note; silent clips
are flagged (`WordSplit.silent`) and counted there.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.data.kinds import AUDIO_EXTENSIONS
from engine.data.words.corpus import (
    CLIP_SAMPLES,
    SAMPLE_RATE,
    WordCorpus,
    WordSplit,
    pack,
)
from engine.data.words.voices import SPLITS
from engine.errors import InputError

MAX_FILE_SECONDS = 600.0              # an unlabelled file gives at most 600 1-s pieces
MAX_WORD_SECONDS = 30.0               # a labelled file is read up to 30 s, then cut to its loudest second
MAX_FOLDER_SECONDS = 4 * 3600.0       # 4 hours of clips (460 MB as int16) at most
MIN_PIECE = SAMPLE_RATE // 4          # an unlabelled file's last piece is kept when at least 0.25 s long
SILENT_PEAK = 10 ** (-60 / 20)        # a clip whose peak is below -60 dBFS is silent
SC_HASH_MAX = 2 ** 27 - 1             # Speech Commands' MAX_NUM_WAVS_PER_CLASS
SPEAKER_RE = re.compile(r"^(.+?)_nohash_")
SHOW = 5                              # files named in a note


@dataclass
class _Clip:
    samples: np.ndarray
    label: int
    speaker: str
    name: str                          # path relative to the folder (with " @ 3 s" for a piece)


def _audio_files(folder: Path) -> list[Path]:
    return sorted(f for f in folder.rglob("*") if f.is_file() and f.suffix.lower() in AUDIO_EXTENSIONS)


def _word_folders(root: Path) -> list[Path]:
    return sorted(d for d in root.iterdir() if d.is_dir() and not d.name.startswith(("_", ".")))


def speaker_of(path: Path) -> str:
    """Speech Commands' speaker ("0a7c2a8d" of 0a7c2a8d_nohash_0.wav), else the file's name without suffix."""
    m = SPEAKER_RE.match(path.name)
    return m.group(1) if m else path.stem


def _sc_unit(text: str) -> float:
    """Speech Commands' which_set percentage of a name, as a fraction."""
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % (SC_HASH_MAX + 1) / SC_HASH_MAX


def _read(path: Path, max_seconds: float) -> np.ndarray:
    from engine.data.audio import read_audio

    return read_audio(path, sample_rate=SAMPLE_RATE, max_seconds=max_seconds).samples


def _clips_of(path: Path, root: Path, label: int, budget: float) -> tuple[list[_Clip], bool]:
    """A file's clips (one for a word, 1-s pieces when unlabelled) and whether it was longer than 1 s."""
    from engine.data.words.augment import loudest_window

    rel = path.relative_to(root).as_posix()
    x = _read(path, min(MAX_WORD_SECONDS if label >= 0 else MAX_FILE_SECONDS, budget))
    if label >= 0:
        return [_Clip(loudest_window(x), label, speaker_of(path), rel)], len(x) > CLIP_SAMPLES
    pieces = [x[i:i + CLIP_SAMPLES] for i in range(0, len(x), CLIP_SAMPLES)]
    pieces = [q for k, q in enumerate(pieces) if k == 0 or len(q) >= MIN_PIECE]
    named = [rel if len(pieces) == 1 else f"{rel} @ {k} s" for k in range(len(pieces))]
    return [_Clip(q, -1, speaker_of(path), n) for q, n in zip(pieces, named)], False


def _read_all(root: Path, files: list[tuple[Path, int]]) -> tuple[list[_Clip], list[str], int, bool]:
    """Every readable file's clips, the skipped files with reasons, clips cut to 1 s, whether the
    folder's time limit stopped reading."""
    clips, skipped, cut, budget = [], [], 0, MAX_FOLDER_SECONDS
    for path, label in files:
        if budget < 1.0:
            return clips, skipped, cut, True
        try:
            got, longer = _clips_of(path, root, label, budget)
        except InputError as exc:
            skipped.append(f"{path.relative_to(root).as_posix()} ({str(exc).split(';')[0].replace(str(path), 'it')})")
            continue
        clips += got
        cut += longer
        budget -= len(got)
    return clips, skipped, cut, False


def _assign(clips: list[_Clip], root: Path) -> tuple[list[str], str]:
    """The split of every clip, and a note when the usual rule could not fill all three splits."""
    lists = {}
    for split, file in (("valid", "validation_list.txt"), ("test", "testing_list.txt")):
        try:
            lists[split] = {line.strip() for line in (root / file).read_text(encoding="utf-8").splitlines()}
        except (OSError, UnicodeDecodeError):
            pass
    if lists:
        return ["valid" if c.name in lists.get("valid", ()) else "test" if c.name in lists.get("test", ())
                else "train" for c in clips], ""
    units = {c.speaker: _sc_unit(c.speaker) for c in clips}
    split_of = {s: "valid" if u < 0.1 else "test" if u < 0.2 else "train" for s, u in units.items()}
    if len(clips) < 3 or set(split_of.values()) == set(SPLITS):
        return [split_of[c.speaker] for c in clips], ""
    if len(units) >= 3:
        split_of = _rank(units)
        return [split_of[c.speaker] for c in clips], ""
    by_name = _rank({c.name: _sc_unit(c.name) for c in clips})
    return ([by_name[c.name] for c in clips],
            f"only {len(units)} speaker(s), so clips are split by file: the same voice is in train and test")


def _rank(units: dict[str, float]) -> dict[str, str]:
    """The highest-hashed tenth (at least one) to test, the tenth below it to valid, the rest to train."""
    order = sorted(units, key=units.get)
    k = max(1, round(len(order) / 10))
    return {key: "test" if i >= len(order) - k else "valid" if i >= len(order) - 2 * k else "train"
            for i, key in enumerate(order)}


def _files(root: Path) -> tuple[tuple[str, ...], list[tuple[Path, int]]]:
    """(labels, [(file, label index or -1)]) from the layout; InputError when there is no audio."""
    words = [(d.name, _audio_files(d)) for d in _word_folders(root)]
    words = [(w, fs) for w, fs in words if fs]
    if words:
        labels = tuple(w for w, _ in words)
        return labels, [(f, i) for i, (_, fs) in enumerate(words) for f in fs]
    flat = sorted(f for f in root.iterdir() if f.is_file() and f.suffix.lower() in AUDIO_EXTENSIONS)
    if flat:
        return (), [(f, -1) for f in flat]
    others = sum(1 for f in root.rglob("*") if f.is_file())
    what = f"its {others} file(s) are not audio" if others else "it is empty"
    raise InputError(f"{root} holds no audio files ({what}); give a folder with one subfolder of WAV/FLAC/OGG "
                     "files per word (the Speech Commands layout), or audio files directly in it for unlabelled use.")


def read_word_folder(path: str | os.PathLike) -> WordCorpus:
    """The corpus of a folder in the Speech Commands layout, or an unlabelled folder of audio files."""
    root = Path(path).expanduser()
    if not root.is_dir():
        what = "does not exist" if not root.exists() else "is a file, not a folder"
        raise InputError(f"{root} {what}; give a folder with one subfolder per word (Speech Commands layout) "
                         "or builtin:words.")
    labels, files = _files(root)
    clips, skipped, cut, stopped = _read_all(root, files)
    if not clips:
        raise InputError(f"none of the {len(files)} audio files in {root} could be read (first: {skipped[0]}); "
                         "check that they are audio files and not damaged.")
    splits, split_note = _assign(clips, root)
    store = pack([c.samples for c in clips], np.zeros(len(clips), np.int64))
    silent = np.array([not np.abs(c.samples).max(initial=0.0) >= SILENT_PEAK for c in clips])
    parts = []
    for name in SPLITS:
        rows = np.array([i for i, s in enumerate(splits) if s == name], np.int64)
        parts.append(WordSplit(name, labels, np.array([clips[i].label for i in rows], np.int64),
                               tuple(clips[i].speaker for i in rows), tuple(clips[i].name for i in rows),
                               store, rows, silent[rows]))
    note = _note(len(files), skipped, cut, stopped, split_note, [c.name for c, s in zip(clips, silent) if s], parts)
    return WordCorpus(name=str(root), labels=labels, train=parts[0], valid=parts[1], test=parts[2], note=note)


def _note(n_files, skipped, cut, stopped, split_note, silent_names, parts) -> str:
    """One sentence per thing the user should know, or ""."""
    out = []
    if skipped:
        more = f" and {len(skipped) - SHOW} more" if len(skipped) > SHOW else ""
        out.append(f"skipped {len(skipped)} of {n_files} audio files that could not be read: "
                   f"{'; '.join(skipped[:SHOW])}{more}.")
    if stopped:
        out.append(f"stopped reading at {MAX_FOLDER_SECONDS / 3600:g} hours of audio (the limit of one folder).")
    if cut:
        out.append(f"{cut} clips were longer than 1 s and were cut to their loudest second.")
    if silent_names:
        more = f" and {len(silent_names) - SHOW} more" if len(silent_names) > SHOW else ""
        out.append(f"{len(silent_names)} clips are silent (nothing above -60 dBFS): "
                   f"{', '.join(silent_names[:SHOW])}{more}.")
    if split_note:
        out.append(split_note + ".")
    missing = [f"'{lab}' in {s.name}" for s in parts for lab, n in s.counts().items() if n == 0]
    if missing:
        out.append(f"no clips of {', '.join(missing[:SHOW])}{' and more' if len(missing) > SHOW else ''}.")
    return " ".join(out)
