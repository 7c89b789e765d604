"""Word2vec-style vocabularies: every word's vector, with its count (most frequent first)."""
from __future__ import annotations

from engine.contract.capabilities import Capability
from engine.projection.sources import SourceRequest, SourceSpec, register


def fetch(state, model, request: SourceRequest):
    from engine.probes.embed import embed_vocabulary

    state.progress(0.5, f"reading the vocabulary of {model.name}")
    return embed_vocabulary(model)


register(SourceSpec(
    id="word-vectors", title="Word vectors (vocabulary)", needs=Capability.WORD_VECTORS, default_model="word2vec",
    fetch=f"{__name__}:fetch", uses_input=False, order=10,
    description="Every vocabulary word of a word2vec model or training run, coloured by count."))
