"""`builtin:words` and `builtin:words-small`: the clean utterances shipped in assets/words/ (rendered by
`python -m engine.data.words.render`), turned into augmented speakers at load time.

Every voice of the manifest becomes `speakers_per_voice` speakers in the training split and one in
valid and test; each speaker says all 20 words. Making them (decoding, warping, stretching, reverb)
takes about 40 s on two cores, so the int16 result (325 MB for builtin:words) is cached in the user data
folder (`words/`), keyed by the SHA-1 of the manifest and of the code that makes the speakers, and
memory-mapped when loaded (well under a second; processes share the pages).
`plan_clips` lists every clip (label, speaker, split, augmentation) without touching any audio.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from engine.data.words import augment as aug
from engine.data.words.corpus import (
    CLIP_SAMPLES,
    SAMPLE_RATE,
    ClipStore,
    NoiseMix,
    WordCorpus,
    WordSplit,
    to_int16,
)
from engine.data.words.voices import SPLITS, Voice
from engine.errors import InputError

SPEAKER_TAGS = "abcdefgh"
CACHE_VERSION = 2


@dataclass(frozen=True)
class BuiltinWords:
    """One `builtin:NAME` word corpus: every `voice_stride`-th voice of each split, `speakers_per_voice`
    augmented speakers per training voice."""

    name: str
    speakers_per_voice: int
    voice_stride: int
    description: str


BUILTIN = {c.name: c for c in (
    BuiltinWords("words", 2, 1,
                 "20 spoken words (zero to nine; yes, no, up, down, left, right, on, off, stop, go) in the Speech "
                 "Commands layout: 510 synthetic voices (espeak-ng, flite, festival) made into 916 speakers by "
                 "pitch, vocal-tract, speed, level, reverberation and noise; 1-s clips at 16 kHz, split by speaker."),
    BuiltinWords("words-small", 1, 8,
                 "every 8th voice of builtin:words, one speaker each (about 1300 clips): quick demos and tests."),
)}


@dataclass(frozen=True)
class ClipPlan:
    """One clip of a built-in corpus, before any audio: what it says, who says it, how it is made."""

    label: int
    speaker: str                       # "espeak-en-us+m3-r160-p40~a"
    split: str
    name: str                          # "seven/espeak-en-us+m3-r160-p40~a"
    source: tuple[str, int, int]       # (asset file, start sample, length) of the clean utterance
    speaker_aug: aug.SpeakerAugmentation
    clip: aug.ClipNoise


def words_dir() -> Path:
    from engine.paths import ASSETS_DIR

    return ASSETS_DIR / "words"


@lru_cache(maxsize=1)
def read_manifest() -> dict:
    """assets/words/manifest.json; InputError when the assets are missing or damaged."""
    path = words_dir() / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"the built-in word corpus is missing or damaged ({path}: {exc}); reinstall MLSP Explorer "
                         "or render it with `python -m engine.data.words.render`.") from None
    manifest["sha1"] = hashlib.sha1(path.read_bytes()).hexdigest()
    return manifest


def manifest_voices(manifest: dict) -> list[Voice]:
    return [Voice(v["engine"], v["voice"], v["family"], v["rate"], v["pitch"], v["split"]) for v in manifest["voices"]]


def plan_clips(c: BuiltinWords, manifest: dict | None = None) -> list[ClipPlan]:
    """Every clip of corpus `c` in a fixed order (split, voice, speaker, word); no audio is read."""
    manifest = manifest or read_manifest()
    voices = manifest_voices(manifest)
    labels = manifest["labels"]
    by_voice: dict[int, list] = {}
    for file, start, length, label, voice in manifest["clips"]:
        by_voice.setdefault(voice, []).append((label, (file, start, length)))
    plans = []
    for split in SPLITS:
        members = [i for i, v in enumerate(voices) if v.split == split][::c.voice_stride]
        for i in members:
            n_speakers = c.speakers_per_voice if split == "train" else 1
            for k in range(n_speakers):
                speaker = f"{voices[i].id}~{SPEAKER_TAGS[k]}"
                speaker_aug = aug.draw_speaker(aug.stable_rng("speaker:" + speaker))
                for label, source in sorted(by_voice.get(i, [])):
                    name = f"{labels[label]}/{speaker}"
                    plans.append(ClipPlan(label, speaker, split, name, tuple(source), speaker_aug,
                                          aug.draw_clip(aug.stable_rng("clip:" + name))))
    return plans


def _decode(plans: list[ClipPlan]) -> dict[tuple[str, int, int], np.ndarray]:
    """The clean utterances the plans need, read from the Opus assets by seeking (sample-exact)."""
    import soundfile as sf

    wanted: dict[str, set] = {}
    for p in plans:
        wanted.setdefault(p.source[0], set()).add(p.source)
    out = {}
    for file, sources in sorted(wanted.items()):
        path = words_dir() / file
        try:
            with sf.SoundFile(str(path)) as snd:
                for source in sorted(sources):
                    snd.seek(source[1])
                    out[source] = snd.read(source[2], dtype="float32")
        except (OSError, RuntimeError) as exc:
            raise InputError(f"the built-in word corpus file {path} cannot be read ({exc}); reinstall MLSP Explorer "
                             "or render it with `python -m engine.data.words.render`.") from None
    return out


def _make(plans: list[ClipPlan]) -> dict[str, np.ndarray]:
    """Augment every planned clip: the arrays of a ClipStore plus its noise (kind, start, gain)."""
    clean = _decode(plans)
    bank_len = int(aug.NOISE_SECONDS * SAMPLE_RATE)
    segments, offsets, kinds, starts, gains = [], [], [], [], []
    for p in plans:
        y = aug.loudest_window(aug.augment(clean[p.source], p.speaker_aug, p.clip, aug.stable_rng("room:" + p.name)))
        segments.append(to_int16(y))
        offsets.append(int(p.clip.position * (CLIP_SAMPLES - len(y))))
        kind = aug.NOISE_KINDS.index(p.clip.kind) if p.clip.kind else -1
        kinds.append(kind)
        starts.append(int(p.clip.noise_start * (bank_len - CLIP_SAMPLES)))
        gains.append(aug.speech_rms(y) * 10.0 ** (-p.clip.snr_db / 20.0) if kind >= 0 else 0.0)
    lengths = np.array([len(s) for s in segments], np.int64)
    return {"segments": np.concatenate(segments), "lengths": lengths, "offsets": np.array(offsets, np.int64),
            "noise_kind": np.array(kinds, np.int8), "noise_start": np.array(starts, np.int64),
            "noise_gain": np.array(gains, np.float32)}


def cache_key(c: BuiltinWords, manifest: dict) -> str:
    h = hashlib.sha1(f"{CACHE_VERSION}:{c}:{manifest['sha1']}".encode())
    for module in ("augment.py", "builtin.py", "corpus.py"):
        h.update((Path(__file__).parent / module).read_bytes())
    return h.hexdigest()[:12]


def _cache_path(c: BuiltinWords, manifest: dict) -> Path:
    """`words/NAME-KEY.npz` (lengths, offsets, noise) beside `NAME-KEY.npy` (the int16 segments)."""
    from engine.paths import user_data_dir

    return user_data_dir() / "words" / f"{c.name}-{cache_key(c, manifest)}.npz"


def _read_cache(path: Path, n: int) -> dict[str, np.ndarray] | None:
    """The cached arrays, segments memory-mapped (processes share them); None when absent or torn."""
    try:
        with np.load(path) as z:
            arrays = {k: z[k] for k in z.files}
        arrays["segments"] = np.load(path.with_suffix(".npy"), mmap_mode="r")
    except (OSError, ValueError, EOFError):
        return None
    if len(arrays.get("lengths", ())) != n or int(arrays["lengths"].sum()) != len(arrays["segments"]):
        return None                                            # torn or foreign files: make them again
    return arrays


def _write_cache(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write atomically (temp files + rename, segments first) and remove the same corpus's caches under
    older keys (hundreds of MB each); a read-only data folder just means no cache."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for target, save in ((path.with_suffix(".npy"), lambda f: np.save(f, arrays["segments"])),
                             (path, lambda f: np.savez(f, **{k: v for k, v in arrays.items() if k != "segments"}))):
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as f:
                save(f)
            os.replace(tmp, target)
        name = path.stem.rsplit("-", 1)[0]
        for old in path.parent.glob(f"{name}-*.np[yz]"):
            if old.stem != path.stem and old.stem.rsplit("-", 1)[0] == name:
                old.unlink(missing_ok=True)
    except OSError:
        pass


@lru_cache(maxsize=2)
def builtin_words(name: str) -> WordCorpus:
    """The corpus `builtin:NAME` (made once, then read from the cache)."""
    c = BUILTIN[name]
    manifest = read_manifest()
    plans = plan_clips(c, manifest)
    path = _cache_path(c, manifest)
    arrays = _read_cache(path, len(plans))
    if arrays is None:
        arrays = _make(plans)
        _write_cache(path, arrays)
    lengths = arrays["lengths"]
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    noise = NoiseMix(aug.noise_bank(), arrays["noise_kind"], arrays["noise_start"], arrays["noise_gain"])
    store = ClipStore(arrays["segments"], starts, lengths, arrays["offsets"], noise)
    labels = tuple(manifest["labels"])
    splits = []
    for split in SPLITS:
        rows = np.array([i for i, p in enumerate(plans) if p.split == split], np.int64)
        splits.append(WordSplit(split, labels, np.array([plans[i].label for i in rows], np.int64),
                                tuple(plans[i].speaker for i in rows), tuple(plans[i].name for i in rows), store, rows))
    return WordCorpus(name=f"builtin:{name}", labels=labels, train=splits[0], valid=splits[1], test=splits[2],
                      note=c.description)
