"""The shipped word2vec vectors (assets/word2vec/, trained by `mlsp train word2vec` on
builtin:grammar, see meta.json for the command) answer the grammar's analogies and group its
semantic classes."""
from __future__ import annotations

import numpy as np
import pytest

from engine.data.corpora import lexicon
from engine.metrics import analogy
from engine.probes import word_vectors as wv
from engine.zoo import get_spec, load_model


@pytest.fixture(scope="module")
def model():
    assert get_spec("word2vec").weights_path() is not None, "assets/word2vec/ is missing"
    return load_model("word2vec", "cpu")


def test_the_lectures_analogies(model):
    assert wv.analogy(model, "man", "woman", "king", 1).answers[0].word == "queen"
    assert wv.analogy(model, "france", "paris", "italy", 1).answers[0].word == "rome"


def test_built_in_analogies(model):
    score = analogy.analogy_accuracy(model.words, model.vectors, analogy.builtin_analogies())
    assert score.skipped == 0 and score.total == len(analogy.builtin_analogies())
    assert score.accuracy >= 0.99, (score.sections, score.wrong[:10])
    for section, (correct, total) in score.sections.items():
        assert correct / total >= 0.95, (section, correct, total)
    recorded = model.meta["evaluation"]["analogy_accuracy"]
    assert score.accuracy == pytest.approx(recorded, abs=1e-9)       # what README reports is what ships


def test_semantic_groups_are_neighbours(model):
    groups = {"capitals": [c[1] for c in lexicon.COUNTRIES], "colours": list(lexicon.COLOURS),
              "numbers": list(lexicon.NUMBERS), "days": list(lexicon.DAYS)}
    for name, words in groups.items():
        hits = [sum(n.word in words for n in wv.neighbors(model, w, 5).neighbors) / 5 for w in words]
        assert np.mean(hits) >= 0.8, (name, hits)


def test_shipped_files_are_small_fp16(model):
    folder = get_spec("word2vec").weights_path()
    size = sum(f.stat().st_size for f in folder.iterdir())
    assert size < 10 * 2**20 and model.meta["dtype"] == "float16"
    assert model.vectors.shape == model.output_vectors.shape == (len(model.words), model.meta["config"]["dim"])
