"""Audio frames as vectors: one log-mel frame of an audio input per item (`logmel`), with columns to
colour by — where in the recording it is (`part`, tenths) and how loud (`loudness`)."""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from engine.records.embeddings import Embeddings
from engine.records.inputs import AudioInput

SILENCE_DB = -60.0       # a frame whose loudest band is this far below the recording's loudest is silence
QUIET_DB = -30.0
ABSOLUTE_SILENCE_DB = -90.0


def loudness_words(frame_peak_db: np.ndarray) -> list[str]:
    """"silence", "quiet" or "loud" for each frame, relative to the loudest frame; below -90 dBFS a
    frame is silence whatever the rest (a digitally silent recording is all silence)."""
    rel = frame_peak_db - float(frame_peak_db.max()) if len(frame_peak_db) else frame_peak_db
    return ["silence" if r < SILENCE_DB or a < ABSOLUTE_SILENCE_DB else "quiet" if r < QUIET_DB else "loud"
            for r, a in zip(rel, frame_peak_db)]


def audio_frames(model, audio: AudioInput) -> Embeddings:
    """(frames, mels) log-mel dBFS vectors of `audio` at the model's rate, labelled by time ("1.23 s");
    the file's name is in the `source` column."""
    from engine.data.resample import resample
    from engine.probes.spectrogram import spectrogram

    if audio.sample_rate != model.sample_rate:
        samples = np.clip(resample(audio.samples, audio.sample_rate, model.sample_rate), -1.0, 1.0)
        audio = replace(audio, samples=samples.astype(np.float32), sample_rate=model.sample_rate,
                        duration=len(samples) / model.sample_rate)
    spec = spectrogram(audio, n_fft=model.n_fft, hop=model.hop, mels=model.mels)
    vectors = np.ascontiguousarray(spec.power_db.T, dtype=np.float32)
    n = len(vectors)
    parts = np.minimum((np.arange(n) * 10) // max(n, 1), 9)
    labels = [f"{t:.2f} s" for t in spec.times]
    metadata = {"time": [f"{t:.2f}" for t in spec.times],
                "part": [f"{10 * p}–{10 * p + 10} %" for p in parts],
                "loudness": loudness_words(vectors.max(axis=1) if n else np.zeros(0)),
                "source": [audio.name] * n}
    return Embeddings(labels=labels, vectors=vectors, kind="audio-frame", model=model.name, metadata=metadata)
