"""word2vec's tokenised-corpus cache (engine/models/word2vec/stream_cache.py): the cached
vocabulary and token stream equal a fresh build; other text, other settings or a broken file
never reuse a wrong entry."""
from __future__ import annotations

import numpy as np
import pytest

from engine.data.corpora.text_corpus import TextCorpus
from engine.models.word2vec import stream_cache


@pytest.fixture(autouse=True)
def _private_home(tmp_path, monkeypatch):
    monkeypatch.setenv("MLSP_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MLSP_NO_CORPUS_CACHE", raising=False)


def _corpus(lines) -> TextCorpus:
    return TextCorpus(name="t", lines=tuple(lines))


LINES = ["The cat sat on the mat.", "A dog sat on the log!", "the cat and the dog", "Ünïcode wörds, the cat"] * 5


def _same(a, b) -> None:
    (va, sa), (vb, sb) = a, b
    assert va.words == vb.words and np.array_equal(va.counts, vb.counts)
    assert np.array_equal(sa.ids, sb.ids) and np.array_equal(sa.sentence, sb.sentence)
    assert sa.raw_words == sb.raw_words


def test_the_cached_stream_equals_a_fresh_build_and_is_read_from_the_file():
    fresh = stream_cache._build(_corpus(LINES), 2, 0)
    first = stream_cache.vocabulary_and_stream(_corpus(LINES), 2, 0)
    path = stream_cache.cache_path(stream_cache.cache_key(tuple(LINES), 2, 0))
    assert path.is_file()
    second = stream_cache.vocabulary_and_stream(_corpus(LINES), 2, 0)
    _same(fresh, first)
    _same(fresh, second)
    assert second[1].ids is not first[1].ids


def test_other_text_or_settings_make_another_entry():
    keys = {stream_cache.cache_key(tuple(LINES), 2, 0), stream_cache.cache_key(tuple(LINES), 3, 0),
            stream_cache.cache_key(tuple(LINES), 2, 5), stream_cache.cache_key(tuple(LINES[:-1]), 2, 0),
            stream_cache.cache_key(tuple(LINES[:-1] + ["the cat sat"]), 2, 0)}
    assert len(keys) == 5
    _same(stream_cache.vocabulary_and_stream(_corpus(LINES[:8]), 1, 0), stream_cache._build(_corpus(LINES[:8]), 1, 0))


@pytest.mark.parametrize("damage", [b"", b"not a zip file", None])
def test_a_torn_or_foreign_cache_file_is_rebuilt(damage):
    path = stream_cache.cache_path(stream_cache.cache_key(tuple(LINES), 2, 0))
    path.parent.mkdir(parents=True, exist_ok=True)
    if damage is None:                       # a valid file whose ids do not fit its vocabulary
        v, s = stream_cache._build(_corpus(LINES), 2, 0)
        np.savez(path, vocab=np.array("the\t5\n"), ids=s.ids + 10, sentence=s.sentence, raw_words=np.array(1))
    else:
        path.write_bytes(damage)
    got = stream_cache.vocabulary_and_stream(_corpus(LINES), 2, 0)
    _same(got, stream_cache._build(_corpus(LINES), 2, 0))
    _same(stream_cache.vocabulary_and_stream(_corpus(LINES), 2, 0), got)      # the rebuilt file is good
