"""Protocols of the audio model families (lstm-attn, wav2vec-mini): classifying a spoken word and
embedding a whole utterance. Imported by their loaders, which registers AudioClassifier; an
UtteranceEmbedder is optional (EMBED of audio requires AudioEmbedder's frames; a model without its
own pooling is pooled by `engine.probes.utterance`)."""
from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from engine.contract.capabilities import Capability, InputKind
from engine.contract.protocols import register_protocol


@runtime_checkable
class AudioClassifier(Protocol):
    """CLASSIFY of audio: a `WordPrediction` (engine.records.spoken_word_prediction) for 16 kHz mono
    samples; `min_samples` is the shortest input the model can read (its receptive field)."""

    min_samples: int

    def classify_audio(self, audio: Any) -> Any: ...


@runtime_checkable
class UtteranceEmbedder(Protocol):
    """EMBED of audio, pooled: one vector for the whole utterance (an `Embeddings` record of one row),
    and (N, D) vectors for a batch of equal-length clips (the probes of a corpus)."""

    def embed_utterance(self, audio: Any) -> Any: ...

    def embed_clips(self, clips: Any, batch_size: int = 128) -> Any: ...


register_protocol(Capability.CLASSIFY, AudioClassifier, InputKind.AUDIO)
