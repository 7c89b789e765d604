"""word2vec's tokenised corpus, cached by content: the vocabulary and the token stream of a corpus
are kept in the user-data folder under a hash of the corpus lines, the tokenizer's and this
package's data code and the vocabulary settings, so a second run on the same text (the window's
Start, a rerun from the CLI) skips tokenising, counting and encoding — about 3 s for the default
1.5 M-word corpus on two cores, against about 0.1 s to hash the lines and load the file.

A cache file that is missing, torn or foreign is rebuilt (written atomically: temp file + rename);
a read-only data folder means no cache. `MLSP_NO_CORPUS_CACHE=1` turns it off.
"""
from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import numpy as np

from engine.models.word2vec.data import TokenStream, Vocabulary, build_vocabulary, encode

FORMAT = 1


def _code_hash() -> bytes:
    from engine.data.corpora import text_corpus
    from engine.models.word2vec import data

    return b"".join(Path(m.__file__).read_bytes() for m in (text_corpus, data))


def cache_key(lines: tuple[str, ...] | list[str], min_count: int, max_vocab: int) -> str:
    h = hashlib.sha1(f"{FORMAT}|{min_count}|{max_vocab}|{len(lines)}|".encode())
    h.update(_code_hash())
    h.update("\n".join(lines).encode("utf-8", errors="surrogatepass"))
    return h.hexdigest()[:20]


def cache_path(key: str) -> Path:
    from engine.paths import user_data_dir

    return user_data_dir() / "corpora" / f"word2vec-stream-{key}.npz"


def _load(path: Path) -> tuple[Vocabulary, TokenStream] | None:
    try:
        with np.load(path, allow_pickle=False) as z:
            vocab = Vocabulary.from_tsv(str(z["vocab"]))
            stream = TokenStream(z["ids"], z["sentence"], int(z["raw_words"]))
    except (OSError, KeyError, ValueError, EOFError):
        return None
    if len(vocab) == 0 or (stream.ids.size and int(stream.ids.max()) >= len(vocab)):
        return None
    return vocab, stream


def _save(path: Path, vocab: Vocabulary, stream: TokenStream) -> None:
    buf = io.BytesIO()
    np.savez(buf, vocab=np.array(vocab.to_tsv()), ids=stream.ids, sentence=stream.sentence,
             raw_words=np.array(stream.raw_words))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(buf.getvalue())
        os.replace(tmp, path)
    except OSError:
        pass                                         # no cache, same result


def vocabulary_and_stream(corpus, min_count: int, max_vocab: int) -> tuple[Vocabulary, TokenStream]:
    """The corpus's vocabulary and token stream: from the cache when this exact text was seen before."""
    if os.environ.get("MLSP_NO_CORPUS_CACHE") == "1":
        return _build(corpus, min_count, max_vocab)
    path = cache_path(cache_key(corpus.lines, min_count, max_vocab))
    cached = _load(path) if path.is_file() else None
    if cached is not None:
        return cached
    vocab, stream = _build(corpus, min_count, max_vocab)
    _save(path, vocab, stream)
    return vocab, stream


def _build(corpus, min_count: int, max_vocab: int) -> tuple[Vocabulary, TokenStream]:
    sentences = list(corpus.sentences())
    vocab = build_vocabulary(sentences, min_count, max_vocab)
    return vocab, encode(sentences, vocab)
