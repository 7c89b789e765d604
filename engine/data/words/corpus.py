"""The containers of a spoken-word corpus: splits of 1-s clips whose samples are made on demand.

A corpus may hold tens of thousands of clips (a gigabyte as float32), so a split keeps its audio as
int16 segments (`ClipStore`) and makes float32 clips when asked: `split[i]` gives one `SpokenWord`,
`split.waveforms(index)` a (m, 16000) batch. Labels, speakers and names are plain tuples and arrays,
there without touching the audio.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from engine.records.spoken_words import SpokenWord

SAMPLE_RATE = 16_000
CLIP_SECONDS = 1.0
CLIP_SAMPLES = 16_000          # every clip is exactly one second at 16 kHz
INT16_SCALE = 32768.0


@dataclass(frozen=True, eq=False)
class NoiseMix:
    """Background noise added to each clip when it is read: `gain[i]` times `bank[kind[i]]` from sample
    `start[i]` (kind -1: none). Keeping noise apart keeps the stored segments short."""

    bank: np.ndarray       # (kinds, L) float32, unit RMS
    kind: np.ndarray       # (n,) int8, -1 = no noise
    start: np.ndarray      # (n,) int64, start + CLIP_SAMPLES <= L
    gain: np.ndarray       # (n,) float32 amplitude


@dataclass(frozen=True, eq=False)
class ClipStore:
    """The audio of n clips: clip i is `segments[starts[i]:starts[i] + lengths[i]]` / 32768 placed at
    sample `offsets[i]` of a silent second, plus its noise."""

    segments: np.ndarray   # (total,) int16
    starts: np.ndarray     # (n,) int64
    lengths: np.ndarray    # (n,) int64, <= CLIP_SAMPLES
    offsets: np.ndarray    # (n,) int64, offsets + lengths <= CLIP_SAMPLES
    noise: NoiseMix | None = None

    def __len__(self) -> int:
        return int(self.starts.shape[0])

    def clips(self, rows: np.ndarray) -> np.ndarray:
        """(len(rows), CLIP_SAMPLES) float32 in [-1, 1]."""
        rows = np.asarray(rows, np.int64).reshape(-1)
        out = np.zeros((len(rows), CLIP_SAMPLES), np.float32)
        for j, r in enumerate(rows):
            s, n, o = self.starts[r], self.lengths[r], self.offsets[r]
            out[j, o:o + n] = self.segments[s:s + n]
        out *= np.float32(1.0 / INT16_SCALE)
        if self.noise is not None:
            nz = self.noise
            for j, r in enumerate(rows):
                if nz.kind[r] >= 0:
                    out[j] += nz.gain[r] * nz.bank[nz.kind[r], nz.start[r]:nz.start[r] + CLIP_SAMPLES]
            np.clip(out, -1.0, 1.0, out=out)
        return out


def to_int16(x: np.ndarray) -> np.ndarray:
    return np.round(np.clip(x, -1.0, 32767 / INT16_SCALE) * INT16_SCALE).astype(np.int16)


def pack(segments: list[np.ndarray], offsets: list[int] | np.ndarray) -> ClipStore:
    """A store of float segments (each at most CLIP_SAMPLES long), without noise."""
    lengths = np.array([len(s) for s in segments], np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64) if len(lengths) else lengths
    flat = to_int16(np.concatenate(segments)) if segments else np.zeros(0, np.int16)
    return ClipStore(flat, starts, lengths, np.asarray(offsets, np.int64))


@dataclass(frozen=True, eq=False)
class WordSplit(Sequence):
    """One split of a corpus: `len(split)` clips; `split[i]` is a SpokenWord made on demand."""

    name: str                        # "train" | "valid" | "test"
    labels: tuple[str, ...]          # the corpus's label names, which `label_ids` index
    label_ids: np.ndarray            # (n,) int64; -1 in an unlabelled corpus
    speakers: tuple[str, ...]        # (n,)
    names: tuple[str, ...]           # (n,) where each clip came from
    store: ClipStore = field(repr=False)
    rows: np.ndarray = field(repr=False)   # (n,) rows of `store`
    silent: np.ndarray = field(repr=False, default=None)  # (n,) bool: no sound above -60 dBFS

    def __post_init__(self):
        if self.silent is None:
            object.__setattr__(self, "silent", np.zeros(len(self.rows), bool))

    def __len__(self) -> int:
        return int(self.rows.shape[0])

    def __getitem__(self, i):
        if isinstance(i, slice):
            return self.subset(np.arange(len(self))[i])
        i = int(i)
        if not -len(self) <= i < len(self):
            raise IndexError(f"clip {i} of a split of {len(self)}")
        i %= len(self)
        label = self.labels[self.label_ids[i]] if self.label_ids[i] >= 0 else ""
        return SpokenWord(samples=self.store.clips(self.rows[i:i + 1])[0], sample_rate=SAMPLE_RATE, label=label,
                          speaker=self.speakers[i], split=self.name, name=self.names[i])

    def __iter__(self) -> Iterator[SpokenWord]:
        return (self[i] for i in range(len(self)))

    def waveforms(self, index=None) -> np.ndarray:
        """(m, CLIP_SAMPLES) float32 clips; all of them when `index` is None (64 kB each: batch it)."""
        rows = self.rows if index is None else self.rows[np.asarray(index, np.int64)]
        return self.store.clips(rows)

    def subset(self, index) -> WordSplit:
        """The clips at `index` (an int array or a boolean mask), as a split of the same name."""
        idx = np.arange(len(self))[np.asarray(index)]
        return replace(self, label_ids=self.label_ids[idx], speakers=tuple(self.speakers[i] for i in idx),
                       names=tuple(self.names[i] for i in idx), rows=self.rows[idx], silent=self.silent[idx])

    def counts(self) -> dict[str, int]:
        """Clips per label (in label order; an unlabelled split gives {})."""
        ids = self.label_ids[self.label_ids >= 0]
        return {lab: int(c) for lab, c in zip(self.labels, np.bincount(ids, minlength=len(self.labels)))}


@dataclass(frozen=True, eq=False)
class WordCorpus:
    """A labelled (or unlabelled) corpus of 1-s clips at 16 kHz in three splits disjoint by speaker."""

    name: str                        # "builtin:words" | the folder's path
    labels: tuple[str, ...]          # () when unlabelled (a folder of audio files without subfolders)
    train: WordSplit
    valid: WordSplit
    test: WordSplit
    note: str = ""                   # what the user should know: skipped files, silent clips, split fallbacks
    sample_rate: int = SAMPLE_RATE

    @property
    def labelled(self) -> bool:
        return bool(self.labels)

    @property
    def splits(self) -> tuple[WordSplit, WordSplit, WordSplit]:
        return (self.train, self.valid, self.test)

    def split(self, name: str) -> WordSplit:
        for s in self.splits:
            if s.name == name:
                return s
        raise KeyError(f"no split '{name}'; the splits are train, valid and test")

    def __len__(self) -> int:
        return sum(len(s) for s in self.splits)

    def summary(self) -> str:
        """'builtin:words: 20 words, 17980 clips (train 15640, valid 1080, test 1260), 930 speakers'."""
        speakers = len({sp for s in self.splits for sp in s.speakers})
        what = f"{len(self.labels)} words" if self.labels else "unlabelled"
        sizes = ", ".join(f"{s.name} {len(s)}" for s in self.splits)
        return f"{self.name}: {what}, {len(self)} clips ({sizes}), {speakers} speakers"
