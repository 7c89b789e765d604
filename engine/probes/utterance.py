"""One vector per utterance (`mlsp embed --pooled`, the projector's utterance points): the model's
own pooling when it has one (lstm-attn: l = Σ a_t h_t; wav2vec-mini: the mean context vector), else
the mean and standard deviation of its frame vectors over the frames within 30 dB of the loudest
(the word, not the silence around it) — how the log-mel baseline pools."""
from __future__ import annotations

import numpy as np

from engine.contract.capabilities import Capability
from engine.contract.protocols_audio import UtteranceEmbedder
from engine.records.embeddings import Embeddings

ACTIVE_DB = 30.0


def pool_frames(vectors: np.ndarray, level_db: np.ndarray | None = None) -> np.ndarray:
    """(2 D,) mean and standard deviation of the frames (those within 30 dB of the loudest when
    `level_db`, one loudness in dB per frame, is given)."""
    v = np.asarray(vectors, np.float32)
    if level_db is not None and len(level_db):
        keep = np.flatnonzero(level_db >= float(np.max(level_db)) - ACTIVE_DB)
        v = v[keep[0]:keep[-1] + 1]
    return np.concatenate([v.mean(axis=0), v.std(axis=0)]).astype(np.float32)


def frame_levels(samples: np.ndarray, frames: int) -> np.ndarray:
    """(frames,) RMS level in dB of `samples` cut into `frames` equal parts (one per frame vector)."""
    parts = np.array_split(samples, max(frames, 1))
    return np.array([10 * np.log10(np.mean(p.astype(np.float64) ** 2) + 1e-12) if len(p) else -120.0
                     for p in parts], np.float32)


def utterance_embedding(model, audio) -> Embeddings:
    """One row: the utterance vector of `audio`."""
    model.require(Capability.EMBED)
    if isinstance(model, UtteranceEmbedder):
        return model.embed_utterance(audio)
    frames = model.embed_audio(audio)
    loud = frame_levels(np.asarray(audio.samples, np.float32), len(frames.vectors))
    return Embeddings(labels=[audio.name], vectors=pool_frames(frames.vectors, loud)[None], kind="utterance",
                      model=frames.model, metadata={"source": [audio.name]})
