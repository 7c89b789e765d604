"""Pooled utterance features of a spoken-word corpus, with labels, for a linear probe on frozen
embeddings (`mlsp probe MODEL --data builtin:words [--labels N]`).

    word_features(model, "builtin:words", "train", per_word=100) -> WordFeatureSet

A model with its own utterance pooling for batches of clips (`embed_clips`: lstm-attn's l,
wav2vec-mini's pooled context vectors) gives it; any other audio embedder (logmel) is pooled by
engine.probes.utterance (mean and std of its frames over the word). `per_word` keeps that many clips
of each word, chosen by a seeded shuffle (the same clips every time).
"""
from __future__ import annotations

import numpy as np

from engine.contract.capabilities import Capability, InputKind
from engine.contract.protocols_audio import UtteranceEmbedder
from engine.errors import InputError, ModelError
from engine.records.inputs import AudioInput
from engine.records.word_features import WordFeatureSet

BATCH = 256


def pick_per_word(label_ids: np.ndarray, per_word: int | None, seed: int = 0) -> np.ndarray:
    """Indices of at most `per_word` clips of each label (all clips when None), in index order."""
    if per_word is None:
        return np.arange(len(label_ids))
    if per_word < 1:
        raise InputError(f"--labels must be at least 1 clip per word, not {per_word}.")
    rng = np.random.default_rng(seed)
    keep = []
    for lab in np.unique(label_ids[label_ids >= 0]):
        idx = np.flatnonzero(label_ids == lab)
        keep.append(np.sort(rng.permutation(idx)[:per_word]))
    return np.sort(np.concatenate(keep)) if keep else np.zeros(0, np.int64)


def clip_features(model, clips: np.ndarray, rate: int) -> np.ndarray:
    """(N, D) pooled features of (N, samples) clips."""
    if isinstance(model, UtteranceEmbedder):
        return np.asarray(model.embed_clips(clips), np.float32)
    from engine.probes.utterance import utterance_embedding

    rows = [utterance_embedding(model, AudioInput(None, "clip", x, rate, len(x) / rate, rate, 1, False, "")).vectors[0]
            for x in clips]
    return np.stack(rows).astype(np.float32)


def word_features(model, data: str = "builtin:words", split: str = "train", per_word: int | None = None,
                  seed: int = 0) -> WordFeatureSet:
    """The pooled features and words of (a per-word sample of) one split of a labelled word corpus."""
    from engine.data.words import resolve_words

    model.require(Capability.EMBED)
    if InputKind.AUDIO not in model.ref.inputs:
        raise ModelError(f"model '{model.name}' does not embed audio; choose wav2vec-mini, lstm-attn or logmel.")
    corpus = resolve_words(data, need_labels=True)
    part = corpus.split(split)
    if not len(part):
        raise InputError(f"{corpus.name} has no clips in its {split} split; give a bigger folder.")
    idx = pick_per_word(part.label_ids, per_word, seed)
    chunks = [clip_features(model, part.waveforms(idx[i:i + BATCH]), corpus.sample_rate) for i in range(0, len(idx), BATCH)]
    X = np.concatenate(chunks) if chunks else np.zeros((0, 1), np.float32)
    return WordFeatureSet(X=X, y=part.label_ids[idx].astype(np.int64), label_names=tuple(corpus.labels), model=model.name,
                          data=corpus.name, split=split, names=tuple(part.names[i] for i in idx))
