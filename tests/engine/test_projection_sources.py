"""Projector sources on the real packaged MiniLM: sentence vectors equal the embed probe's, token
vectors equal the model's hidden states at the chosen layer; bad requests say what to do."""
import numpy as np
import pytest

from engine.errors import ConfigError, InputError
from engine.progress import NullState
from engine.projection.sources import SourceRequest, get_source, sources

TEXT = "The cat sat on the mat.\n\nStock markets fell sharply today.\nA kitten slept."


@pytest.fixture(scope="module")
def minilm():
    from engine.zoo import load_model

    return load_model("minilm", "cpu")


def test_the_built_in_sources_are_listed():
    ids = [s.id for s in sources()]
    assert ids[:3] == ["word-vectors", "sentences", "token-states"]
    with pytest.raises(ConfigError, match="unknown projector source 'nope'"):
        get_source("nope")


def test_sentence_source_equals_the_embed_probe(minilm):
    from engine.probes.embed import embed

    emb = get_source("sentences").run(NullState(), minilm, SourceRequest(text=TEXT))
    lines = ["The cat sat on the mat.", "Stock markets fell sharply today.", "A kitten slept."]
    assert emb.labels == lines and emb.metadata["line"] == ["1", "3", "4"]
    np.testing.assert_allclose(emb.vectors, embed(minilm, lines).vectors, rtol=1e-5, atol=1e-6)
    with pytest.raises(InputError, match="no text lines"):
        get_source("sentences").run(NullState(), minilm, SourceRequest(text="  \n"))


def test_token_source_equals_hidden_states_at_the_layer(minilm):
    emb = get_source("token-states").run(NullState(), minilm, SourceRequest(text=TEXT, options={"layer": 3}))
    states = [minilm.hidden_states(line) for line in TEXT.splitlines() if line.strip()]
    np.testing.assert_allclose(emb.vectors, np.concatenate([s.states[3] for s in states]), rtol=1e-5, atol=1e-5)
    assert emb.labels == [t for s in states for t in s.tokens] and emb.metadata["layer"][0] == "3"
    assert emb.metadata["line"][0] == "1" and emb.metadata["line"][-1] == "4"
    with pytest.raises(ConfigError, match="layer 40 does not exist"):
        get_source("token-states").run(NullState(), minilm, SourceRequest(text=TEXT, options={"layer": 40}))


def test_a_source_refuses_a_model_without_what_it_needs(minilm):
    with pytest.raises(ConfigError, match="cannot give the vectors .*word2vec"):
        get_source("word-vectors").run(NullState(), minilm, SourceRequest())
