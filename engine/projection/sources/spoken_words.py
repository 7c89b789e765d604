"""Your voice among the corpus: utterance (or frame) embeddings of spoken words of builtin:words-small's
test speakers, coloured by word, with the current audio input (a recording) among them — a fresh
"seven" should land among the sevens. Any model that embeds audio: lstm-attn (l), wav2vec-mini
(pooled context vectors), logmel (pooled log-mel), hf:PATH wav2vec2/HuBERT folders."""
from __future__ import annotations

import numpy as np

from engine.contract.capabilities import Capability
from engine.projection.sources import SourceOption, SourceRequest, SourceSpec, register
from engine.records.embeddings import Embeddings

DATA = "builtin:words-small"
YOU = "▶ your recording"


def _corpus_utterances(model, per_word: int) -> Embeddings:
    from engine.probes.word_features import word_features

    feats = word_features(model, DATA, "test", per_word=per_word)
    words = [feats.label_names[y] for y in feats.y]
    return Embeddings(labels=list(feats.names), vectors=feats.X, kind="utterance", model=model.name,
                      metadata={"word": words, "speaker": [n.split("/", 1)[-1] for n in feats.names],
                                "source": ["corpus"] * len(words)})


def _corpus_frames(model, per_word: int) -> Embeddings:
    from engine.data.words import resolve_words
    from engine.probes.word_features import pick_per_word
    from engine.records.inputs import AudioInput

    split = resolve_words(DATA).test
    idx = pick_per_word(split.label_ids, per_word)
    parts, words, speakers = [], [], []
    for i, x in zip(idx, split.waveforms(idx)):
        emb = model.embed_audio(AudioInput(None, split.names[i], x, 16_000, 1.0, 16_000, 1, False, ""))
        keep = _loud(x, len(emb.vectors))
        word = split.labels[split.label_ids[i]]
        parts.append(Embeddings(labels=[f"{word} @ {emb.labels[k]}" for k in keep], vectors=emb.vectors[keep],
                                kind="audio-frame", model=model.name))
        words += [word] * len(keep)
        speakers += [split.speakers[i]] * len(keep)
    return Embeddings(labels=[lab for p in parts for lab in p.labels], vectors=np.concatenate([p.vectors for p in parts]),
                      kind="audio-frame", model=model.name,
                      metadata={"word": words, "speaker": speakers, "source": ["corpus"] * len(words)})


def _loud(samples: np.ndarray, frames: int) -> np.ndarray:
    """Indices of the frames within 30 dB of the loudest (the word, not the silence around it)."""
    from engine.probes.utterance import ACTIVE_DB, frame_levels

    level = frame_levels(samples, frames)
    return np.flatnonzero(level >= level.max() - ACTIVE_DB)


def _yours(model, audio, frames: bool) -> Embeddings:
    from engine.probes.utterance import utterance_embedding

    if not frames:
        emb = utterance_embedding(model, audio)
        labels = [f"{YOU}: {audio.name}"]
    else:
        emb = model.embed_audio(audio)
        keep = _loud(audio.samples, len(emb.vectors))
        emb = Embeddings(labels=[f"{YOU} @ {emb.labels[k]}" for k in keep], vectors=emb.vectors[keep],
                         kind="audio-frame", model=model.name)
    n = len(emb.labels)
    return Embeddings(labels=labels if not frames else emb.labels, vectors=emb.vectors, kind=emb.kind, model=model.name,
                      metadata={"word": [YOU] * n, "speaker": ["you"] * n, "source": [audio.name] * n})


def fetch(state, model, request: SourceRequest) -> Embeddings:
    per_word = int(request.options.get("per_word", 20))
    frames = bool(int(request.options.get("frames", 0)))
    state.progress(0.2, f"embedding {per_word} spoken words per word of {DATA}")
    corpus = _corpus_frames(model, max(1, per_word // 4)) if frames else _corpus_utterances(model, per_word)
    if request.audio is None:
        return corpus
    state.progress(0.8, f"embedding {request.audio.name}")
    yours = _yours(model, request.audio, frames)
    return Embeddings(labels=corpus.labels + yours.labels, vectors=np.concatenate([corpus.vectors, yours.vectors]),
                      kind=corpus.kind, model=model.name,
                      metadata={k: corpus.metadata[k] + yours.metadata[k] for k in corpus.metadata})


register(SourceSpec(
    id="spoken-words", title="Your voice among spoken words", needs=Capability.EMBED, default_model="lstm-attn",
    fetch=f"{__name__}:fetch", modality="audio", order=42,
    options=(SourceOption("per_word", "words of each", 20, 1, 200, " per word"),
             SourceOption("frames", "frames (1) or utterances (0)", 0, 0, 1)),
    description="Spoken words of unseen speakers (builtin:words-small's test split) as utterance embeddings — or "
                "their frames — coloured by word, with the current recording among them: does your 'seven' land "
                "among the sevens?"))
