"""Render the clean utterances of `builtin:words` into assets/words/ (run once by a maintainer):

    python -m engine.data.words.render [--out assets/words] [--jobs N]

Needs espeak-ng, flite and festival with festvox-kallpc16k, festvox-kdlpc16k and festvox-us-slt-hts
(Debian: `apt-get install espeak-ng flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts`);
nothing here runs when the corpus is loaded. Every voice of `voices.rendered_voices()` says every word;
each utterance is resampled to 16 kHz, trimmed to the speech (frames within 40 dB of the loudest, plus
30 ms), peak-normalised to -1 dBFS, and appended to one OGG/Opus file per engine and accent with 50 ms
of silence between utterances. `manifest.json` says where each utterance starts and how long it is (Opus
through libsndfile decodes sample-exactly, so a clip is read by seeking).

`synthesize(voice, word)` is also how tests and baselines speak words in the held-out voices.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from engine.data.words.voices import LABELS, Voice, rendered_voices

RATE = 16_000
GAP = 800                     # 50 ms of silence between utterances in a file
TRIM_DB = 40.0
MARGIN = 480                  # 30 ms kept before and after the speech
PEAK = 10 ** (-1 / 20)
OPUS_LEVEL = 0.93             # libsndfile's compression level for Opus: about 23 kbit/s at 16 kHz
MANIFEST_VERSION = 1


def _run(cmd: list[str], **kw) -> None:
    subprocess.run(cmd, check=True, capture_output=True, timeout=120, **kw)


def _espeak(voice: Voice, word: str, path: Path) -> None:
    _run(["espeak-ng", "-v", voice.voice, "-s", f"{voice.rate:g}", "-p", f"{voice.pitch:g}", "-w", str(path), word])


def _flite(voice: Voice, word: str, path: Path) -> None:
    cmd = ["flite", "-voice", voice.voice, "--setf", f"duration_stretch={voice.rate:g}"]
    if voice.pitch:
        cmd += ["--setf", f"int_f0_target_mean={voice.pitch:g}"]
    _run(cmd + ["-t", word, "-o", str(path)])


def _festival(voice: Voice, word: str, path: Path) -> None:
    lines = [f"(voice_{voice.voice})", f"(Parameter.set 'Duration_Stretch {voice.rate:g})"]
    if voice.pitch:
        f0 = voice.pitch
        lines.append(f"(set! int_lr_params '((target_f0_mean {f0:g}) (target_f0_std {0.15 * f0:g}) "
                     "(model_f0_mean 170) (model_f0_std 34)))")
    lines.append(f'(utt.save.wave (utt.synth (Utterance Text "{word}")) "{path}" \'riff)')
    script = path.with_suffix(".scm")
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _run(["festival", "-b", str(script)])


ENGINES = {"espeak-ng": _espeak, "flite": _flite, "festival": _festival}


def prepare(samples: np.ndarray, rate: int) -> np.ndarray:
    """16 kHz mono float32, trimmed to the speech and peak-normalised to -1 dBFS."""
    from scipy.signal import resample_poly

    x = np.asarray(samples, np.float64)
    if x.ndim == 2:
        x = x.mean(axis=1)
    if rate != RATE:
        g = np.gcd(int(rate), RATE)
        x = resample_poly(x, RATE // g, int(rate) // g)
    frame = RATE // 100
    n = len(x) // frame
    rms = np.sqrt(np.mean(x[:n * frame].reshape(n, frame) ** 2, axis=1) + 1e-20)
    loud = np.flatnonzero(rms >= rms.max() * 10 ** (-TRIM_DB / 20))
    x = x[max(loud[0] * frame - MARGIN, 0):min((loud[-1] + 1) * frame + MARGIN, len(x))]
    return (x * (PEAK / max(np.abs(x).max(), 1e-9))).astype(np.float32)


def synthesize(voice: Voice, word: str) -> np.ndarray:
    """`word` spoken by `voice`: 16 kHz float32, trimmed, -1 dBFS peak (needs the voice's engine)."""
    import soundfile as sf

    if shutil.which(voice.engine) is None:
        raise RuntimeError(f"{voice.engine} is not installed; it is needed to speak in voice {voice.id}.")
    with tempfile.TemporaryDirectory(prefix="mlsp-words-") as tmp:
        path = Path(tmp) / "word.wav"
        ENGINES[voice.engine](voice, word, path)
        samples, rate = sf.read(str(path), dtype="float32")
    if len(samples) < RATE // 20 or not np.abs(samples).max() > 0:
        raise RuntimeError(f"{voice.id} said nothing for '{word}'.")
    return prepare(samples, int(rate))


def file_group(voice: Voice) -> str:
    """The asset file a voice's clips go to: "espeak-en-us.opus", "flite.opus", "festival.opus"."""
    if voice.engine == "espeak-ng":
        return f"espeak-{voice.voice.split('+')[0]}.opus"
    return f"{voice.engine}.opus"


def _write_group(out: Path, name: str, clips: list[np.ndarray]) -> tuple[list[int], str]:
    """Write clips into one Opus file; their start samples and the file's SHA-1."""
    import soundfile as sf

    starts, pos, parts = [], 0, []
    for clip in clips:
        starts.append(pos)
        parts += [clip, np.zeros(GAP, np.float32)]
        pos += len(clip) + GAP
    sf.write(str(out / name), np.concatenate(parts), RATE, format="OGG", subtype="OPUS",
             compression_level=OPUS_LEVEL)
    return starts, hashlib.sha1((out / name).read_bytes()).hexdigest()


def render(out: Path, jobs: int) -> dict:
    """Render every voice and word into `out`; returns the manifest (also written as manifest.json)."""
    voices = rendered_voices()
    tasks = [(v, w) for v in voices for w in LABELS]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        audio = list(pool.map(lambda t: synthesize(*t), tasks))
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.opus"):
        old.unlink()
    groups: dict[str, list[int]] = {}
    for i, (voice, _) in enumerate(tasks):
        groups.setdefault(file_group(voice), []).append(i)
    clips: list[list] = [[] for _ in tasks]
    files = {}
    for name, members in sorted(groups.items()):
        starts, digest = _write_group(out, name, [audio[i] for i in members])
        files[name] = digest
        for i, start in zip(members, starts):
            clips[i] = [name, start, len(audio[i]), LABELS.index(tasks[i][1]), voices.index(tasks[i][0])]
    manifest = {"version": MANIFEST_VERSION, "sample_rate": RATE, "labels": list(LABELS),
                "voices": [{"id": v.id, "engine": v.engine, "voice": v.voice, "family": v.family, "rate": v.rate,
                            "pitch": v.pitch, "split": v.split} for v in voices],
                "files": files, "clips": clips, "columns": ["file", "start", "length", "label", "voice"]}
    (out / "manifest.json").write_text(json.dumps(manifest, separators=(",", ":")) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    from engine.paths import ASSETS_DIR

    parser = argparse.ArgumentParser(description="Render builtin:words into assets/words/ (needs espeak-ng, "
                                                 "flite, festival).")
    parser.add_argument("--out", type=Path, default=ASSETS_DIR / "words")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    manifest = render(args.out, max(1, args.jobs))
    size = sum(f.stat().st_size for f in args.out.iterdir() if f.is_file())
    seconds = sum(c[2] for c in manifest["clips"]) / RATE
    print(f"{len(manifest['clips'])} clips from {len(manifest['voices'])} voices, {seconds:.0f} s of speech, "
          f"{size / 1e6:.1f} MB in {args.out}, {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
