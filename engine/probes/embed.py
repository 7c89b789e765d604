"""`embed`: sentence embeddings of texts (word vectors for word2vec-style models)."""
from __future__ import annotations

from engine.errors import ModelError
from engine.records.embeddings import Embeddings
from engine.zoo.spec import LoadedModel


def embed(model: LoadedModel, texts: list[str], batch_size: int = 32) -> Embeddings:
    """One vector per text. Raises ModelError if the model gives no sentence embeddings."""
    if "sentence-embedding" not in model.provides:
        raise ModelError(f"model '{model.name}' does not give sentence embeddings; try minilm.")
    vectors = model.embed_texts(list(texts), batch_size=batch_size)
    return Embeddings(labels=list(texts), vectors=vectors, kind="sentence", model=model.name)
