"""`embed`: vectors of inputs — sentence embeddings of texts, word vectors for word2vec-style
models, frames of audio, patches of images — each through the protocol its capability names
(`engine.contract.protocols`)."""
from __future__ import annotations

import numpy as np

from engine.contract.capabilities import Capability, InputKind
from engine.contract.loaded import LoadedModel
from engine.errors import InputError, ModelError
from engine.records.embeddings import Embeddings


def embed(model: LoadedModel, texts: list[str] | str, batch_size: int = 32, windows: bool = False) -> Embeddings:
    """One vector per text, (N, D) float32: sentence embeddings, or for a word-vector model the
    vector of each word. ModelError (naming the models that can) when the model embeds no text.

    A text longer than the model's token limit is cut to its first tokens, and the record says so
    (`truncated`, `note`); with `windows` it is embedded whole, as the mean over windows."""
    texts = [texts] if isinstance(texts, str) else list(texts)
    if model.can(Capability.WORD_VECTORS):
        return embed_words(model, texts)
    model.require(Capability.EMBED)
    _takes(model, InputKind.TEXT)
    if not texts:
        raise InputError("there is no text to embed; give at least one non-empty text.")
    limit = getattr(model, "max_length", None)
    counting = getattr(model, "token_counts", None)
    counts = counting(texts) if callable(counting) and limit else []
    long = tuple(i for i, n in enumerate(counts) if n > limit)
    if windows and long:
        vectors = model.embed_texts(texts, batch_size=batch_size, windows=True)
    else:
        vectors = model.embed_texts(texts, batch_size=batch_size)
    vectors = np.asarray(vectors, dtype=np.float32)
    note = truncation_note(model.name, len(texts), [counts[i] for i in long], limit, windows) if long else ""
    return Embeddings(labels=texts, vectors=vectors, kind="sentence", model=model.name,
                      truncated=() if windows else long, note=note)


def truncation_note(model: str, total: int, long_counts: list[int], limit: int, windows: bool) -> str:
    """'12 of 40 texts are longer than minilm's 256 tokens (up to 529): ...'"""
    n = len(long_counts)
    head = (f"{n} of {total} text{'s' if total != 1 else ''} {'is' if n == 1 else 'are'} longer than {model}'s "
            f"{limit} tokens (up to {max(long_counts)})")
    if windows:
        return head + f": each is embedded whole, as the mean over windows of {limit} tokens."
    their = "its" if n == 1 else "their"
    return head + f": only {their} first {limit} tokens are embedded (ask for the mean over windows to embed them whole)."


def embed_media(model: LoadedModel, item) -> Embeddings:
    """The vectors of one audio input (frames) or image input (patches)."""
    model.require(Capability.EMBED)
    kind = InputKind(item.kind)
    _takes(model, kind)
    if kind == InputKind.AUDIO:
        return model.embed_audio(item)
    if kind == InputKind.IMAGE:
        return model.embed_image(item)
    raise InputError(f"embed_media takes audio or image inputs, not {item.kind}.")


def _takes(model: LoadedModel, kind: InputKind) -> None:
    if kind not in model.ref.inputs:
        takes = ", ".join(k.value for k in model.ref.inputs)
        raise ModelError(f"model '{model.name}' embeds {takes} input, not {kind.value}; choose a model for "
                         f"{kind.value} (see `mlsp models`).")


def _word_vector_parts(model: LoadedModel) -> tuple[list[str], np.ndarray, np.ndarray]:
    model.require(Capability.WORD_VECTORS)
    words = list(model.words)
    vectors = np.asarray(model.vectors, dtype=np.float32)
    counts = np.asarray(model.counts)
    return words, counts, vectors


def _word_metadata(words: list[str], counts, vocabulary: list[str]) -> dict[str, list[str]]:
    """Columns word and count, and group (people, country, animal, verb…) when enough of the
    vocabulary is the built-in grammar's — the projector colours by it, so the clusters show."""
    from engine.data.corpora.word_groups import group_column

    meta = {"word": words, "count": [str(int(c)) for c in counts]}
    groups = group_column(words, vocabulary)
    if groups is not None:
        meta["group"] = groups
    return meta


def embed_vocabulary(model: LoadedModel) -> Embeddings:
    """Every vocabulary word's vector, with metadata columns word, count and (for the built-in
    corpora) group, in projector order."""
    words, counts, vectors = _word_vector_parts(model)
    return Embeddings(labels=words, vectors=vectors, kind="word", model=model.name,
                      metadata=_word_metadata(words, counts, words))


def embed_words(model: LoadedModel, items: list[str]) -> Embeddings:
    """Vectors of the given words (an item with spaces gives each of its words).

    A word missing from the vocabulary is looked up ignoring case; InputError names those still missing."""
    words, counts, vectors = _word_vector_parts(model)
    index = {w: i for i, w in enumerate(words)}
    folded: dict[str, int] = {}
    for i, w in enumerate(words):
        folded.setdefault(w.lower(), i)
    wanted = [w for item in items for w in str(item).split()]
    if not wanted:
        raise InputError("there are no words to look up; give one or more words.")
    rows, missing = [], []
    for w in wanted:
        i = index.get(w, folded.get(w.lower()))
        (missing.append(w) if i is None else rows.append(i))
    if missing:
        shown = ", ".join(f"'{w}'" for w in missing[:8]) + (" ..." if len(missing) > 8 else "")
        raise InputError(f"{shown} {'is' if len(missing) == 1 else 'are'} not in the vocabulary of "
                         f"'{model.name}' ({len(words)} words); check the spelling or train on a corpus that has them.")
    picked = [words[i] for i in rows]
    return Embeddings(labels=picked, vectors=vectors[rows], kind="word", model=model.name,
                      metadata=_word_metadata(picked, [counts[i] for i in rows], words))
