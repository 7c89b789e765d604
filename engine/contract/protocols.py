"""The methods behind each capability, as typing Protocols (checked, not inherited).

A registry entry declares capabilities and input kinds; its loaded model must then implement the
protocol of every (capability, input kind) pair `protocols_for` lists. A test loads every entry
that loads offline and checks, so a declaration never promises what the model cannot do. New
families add their protocol here with their capability (translate, fill-mask, reconstruct, ...).
"""
from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from engine.contract.capabilities import Capability, InputKind


@runtime_checkable
class TextEmbedder(Protocol):
    """EMBED of text: one vector per text, (N, D) float32."""

    def embed_texts(self, texts: list[str], batch_size: int = 32) -> Any: ...


@runtime_checkable
class AudioEmbedder(Protocol):
    """EMBED of audio: an `Embeddings` record, one vector per frame (or per utterance)."""

    def embed_audio(self, audio: Any) -> Any: ...


@runtime_checkable
class ImageEmbedder(Protocol):
    """EMBED of an image: an `Embeddings` record, one vector per patch (or per image)."""

    def embed_image(self, image: Any) -> Any: ...


@runtime_checkable
class WordVectorModel(Protocol):
    """WORD_VECTORS: a vocabulary, its counts, input vectors (V, D) and output vectors (V, D)."""

    words: list[str]
    counts: Any
    vectors: Any
    output_vectors: Any


@runtime_checkable
class TokenStatesModel(Protocol):
    """TOKEN_STATES: every token's vector after every layer (a TokenStates record)."""

    def hidden_states(self, text: str, pair: str | None = None) -> Any: ...


@runtime_checkable
class AttentionModel(Protocol):
    """ATTENTION: a prepared forward pass for the attention probe (engine.contract.attention)."""

    def attention_pass(self, inp: Any, generate: int = 0) -> Any: ...


@runtime_checkable
class TextGenerator(Protocol):
    """GENERATE: next-token logits with a cache for the shared decoders, and the tokenizer's view."""

    def step_model(self) -> Any: ...

    def encode(self, text: str, pair: str | None = None, limit: int | None = None) -> Any: ...

    def display_tokens(self, ids: Any) -> list[str]: ...


_BY_CAPABILITY: dict[tuple[Capability, InputKind | None], type] = {
    (Capability.EMBED, InputKind.TEXT): TextEmbedder,
    (Capability.EMBED, InputKind.AUDIO): AudioEmbedder,
    (Capability.EMBED, InputKind.IMAGE): ImageEmbedder,
    (Capability.WORD_VECTORS, None): WordVectorModel,
    (Capability.TOKEN_STATES, None): TokenStatesModel,
    (Capability.ATTENTION, None): AttentionModel,
    (Capability.GENERATE, None): TextGenerator,
}


def register_protocol(capability: Capability, protocol: type, input_kind: InputKind | None = None) -> None:
    """A new family's capability protocol (called by the module that defines it)."""
    _BY_CAPABILITY[(Capability(capability), input_kind)] = protocol


def protocols_for(capabilities, inputs) -> list[type]:
    """The protocols a model declaring `capabilities` for `inputs` must implement."""
    found = []
    for (cap, kind), proto in _BY_CAPABILITY.items():
        if cap in capabilities and (kind is None or kind in inputs) and proto not in found:
            found.append(proto)
    return found


def missing_protocols(model: Any) -> list[str]:
    """Names of the protocols `model` declares but does not implement (empty when it keeps its word)."""
    return [p.__name__ for p in protocols_for(model.capabilities, model.ref.inputs) if not isinstance(model, p)]
