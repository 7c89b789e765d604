"""Are the words of builtin:words learnable? A linear baseline, no deep model: logistic regression
(scikit-learn, standardised features) on pooled log-mel features of each 1-s clip.

Features: 40 log-mel bands in dBFS, 25 ms Hann frames every 10 ms (engine.probes.spectrogram, the
`logmel` model's framing), over the frames within 30 dB of the clip's loudest (the word, not the
silence around it): the mean and standard deviation of each band ("mean+std", 80 numbers), and with
--segments N also the band means over N equal parts of the word (their order is what tells "on" from
"no"). Trained on the train split, scored on valid and test, and on the 20 words spoken by each voice
held out of every split (HELD_OUT_VOICES, rendered here with espeak-ng and flite, clean, centred,
peak -10 dBFS; skipped when those engines are missing).

    python benchmarks/words_baseline.py [--data builtin:words] [--segments 1 4] [--json]
"""
from __future__ import annotations

import argparse
import json
import shutil
import time

import numpy as np

from engine.data.words import (
    CLIP_SAMPLES,
    HELD_OUT_VOICES,
    LABELS,
    SAMPLE_RATE,
    resolve_words,
)
from engine.probes.spectrogram import spectrogram
from engine.records.inputs import AudioInput


def logmel(x: np.ndarray) -> np.ndarray:
    """(40, frames) log-mel dBFS of the word: the frames within 30 dB of the clip's loudest."""
    audio = AudioInput(None, "", x, SAMPLE_RATE, len(x) / SAMPLE_RATE, SAMPLE_RATE, 1, False, "")
    m = spectrogram(audio, n_fft=400, hop=160, mels=40).power_db
    loud = m.max(axis=0)
    active = np.flatnonzero(loud >= loud.max() - 30.0)
    return m[:, active[0]:active[-1] + 1]


def pooled(m: np.ndarray, segments: int) -> np.ndarray:
    parts = [m.mean(axis=1), m.std(axis=1)]
    if segments > 1:
        parts += [m[:, idx].mean(axis=1) if len(idx) else m.mean(axis=1)
                  for idx in np.array_split(np.arange(m.shape[1]), segments)]
    return np.concatenate(parts).astype(np.float32)


def words_of(clips) -> list[np.ndarray]:
    return [logmel(x) for x in clips]


def split_words(split, batch: int = 2000) -> list[np.ndarray]:
    return [m for i in range(0, len(split), batch) for m in words_of(split.waveforms(np.arange(i, min(i + batch, len(split)))))]


def held_out_clips() -> tuple[np.ndarray, np.ndarray, list[str]] | None:
    """The 20 words in each held-out voice, centred in a second at -10 dBFS peak (None without the engines)."""
    from engine.data.words.render import synthesize

    if any(shutil.which(v.engine) is None for v in HELD_OUT_VOICES):
        return None
    clips, labels, voices = [], [], []
    for voice in HELD_OUT_VOICES:
        for i, word in enumerate(LABELS):
            s = synthesize(voice, word)[:CLIP_SAMPLES] * (10 ** (-10 / 20) / 10 ** (-1 / 20))
            x = np.zeros(CLIP_SAMPLES, np.float32)
            o = (CLIP_SAMPLES - len(s)) // 2
            x[o:o + len(s)] = s
            clips.append(x)
            labels.append(i)
            voices.append(voice.id)
    return np.stack(clips), np.array(labels), voices


def run(corpus, mels: dict, segments: int, held, held_mels) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    t0 = time.perf_counter()
    feats = {name: np.stack([pooled(m, segments) for m in ms]) for name, ms in mels.items()}
    clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    clf.fit(feats["train"], corpus.train.label_ids)
    out = {"data": corpus.name, "features": "mean+std" if segments == 1 else f"mean+std+{segments} segments",
           "dims": int(feats["train"].shape[1]), "clips": {s.name: len(s) for s in corpus.splits}}
    for s in corpus.splits:
        out[f"{s.name}_accuracy"] = round(float((clf.predict(feats[s.name]) == s.label_ids).mean()), 4)
    if held is not None:
        _, labels, voices = held
        ok = clf.predict(np.stack([pooled(m, segments) for m in held_mels])) == labels
        out["held_out_accuracy"] = round(float(ok.mean()), 4)
        out["held_out_by_voice"] = {v: round(float(ok[[i for i, w in enumerate(voices) if w == v]].mean()), 3)
                                    for v in dict.fromkeys(voices)}
    out["fit_seconds"] = round(time.perf_counter() - t0, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="builtin:words")
    parser.add_argument("--segments", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    t0 = time.perf_counter()
    corpus = resolve_words(args.data, need_labels=True)
    mels = {s.name: split_words(s) for s in corpus.splits}
    held = held_out_clips()
    held_mels = words_of(held[0]) if held is not None else None
    if not args.json:
        print(f"{corpus.summary()}; log-mel features in {time.perf_counter() - t0:.0f} s")
    for segments in args.segments:
        result = run(corpus, mels, segments, held, held_mels)
        if args.json:
            print(json.dumps(result))
            continue
        line = (f"{result['features']:<24} train {result['train_accuracy']:.3f}  valid {result['valid_accuracy']:.3f}  "
                f"test {result['test_accuracy']:.3f}")
        if "held_out_accuracy" in result:
            line += f"  held-out voices {result['held_out_accuracy']:.3f} ({len(held[1])} clips)"
        print(f"{line}  [fit {result['fit_seconds']:.0f} s]")
        if "held_out_by_voice" in result:
            print("    " + ", ".join(f"{v} {a:.2f}" for v, a in result["held_out_by_voice"].items()))


if __name__ == "__main__":
    main()
