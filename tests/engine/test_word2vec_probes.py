"""Word-vector queries against gensim's KeyedVectors on the same vectors (neighbours, 3CosAdd
analogies, similarity, analogy-test accuracy), and the lecture slide's algebra."""
from __future__ import annotations

import numpy as np
import pytest

from engine.contract.loaded import LoadedModel
from engine.errors import InputError, ModelError
from engine.loaders.word2vec import Word2VecModel
from engine.metrics import analogy
from engine.probes import word_vectors as wv
from engine.zoo import resolve

WORDS = ["the", "king", "queen", "man", "woman", "paris", "france", "rome", "italy", "dog", "dogs", "cat", "cats",
         "walk", "walked", "swim", "swam", "red", "blue", "green"]


def _model(dim: int = 16, seed: int = 0) -> Word2VecModel:
    rng = np.random.default_rng(seed)
    w1 = rng.normal(size=(len(WORDS), dim)).astype(np.float32)
    w2 = rng.normal(size=(len(WORDS), dim)).astype(np.float32)
    counts = np.arange(len(WORDS), 0, -1) * 10
    return Word2VecModel(ref=resolve("word2vec"), device="cpu", words=list(WORDS),
                         counts=counts, vectors=w1, output_vectors=w2)


def _keyed(model):
    gensim = pytest.importorskip("gensim")
    kv = gensim.models.KeyedVectors(model.vectors.shape[1])
    kv.add_vectors(model.words, model.vectors)
    return kv


def test_neighbours_and_similarity_match_gensim():
    model = _model()
    kv = _keyed(model)
    for word in ("king", "paris", "dogs"):
        ours = wv.neighbors(model, word, k=7)
        ref = kv.most_similar(word, topn=7)
        assert [n.word for n in ours.neighbors] == [w for w, _ in ref]
        np.testing.assert_allclose([n.similarity for n in ours.neighbors], [s for _, s in ref], atol=1e-5)
    assert wv.similarity(model, "cat", "dog").similarity == pytest.approx(float(kv.similarity("cat", "dog")), abs=1e-6)


def test_analogies_match_gensim_3cosadd():
    model = _model(seed=1)
    kv = _keyed(model)
    for a, b, c in (("man", "king", "woman"), ("france", "paris", "italy"), ("walk", "walked", "swim")):
        ours = wv.analogy(model, a, b, c, k=5)
        ref = kv.most_similar(positive=[b, c], negative=[a], topn=5)
        assert [x.word for x in ours.answers] == [w for w, _ in ref]
        np.testing.assert_allclose([x.similarity * 1 for x in ours.answers],
                                   [float(kv.get_vector(w, norm=True) @ _unit_sum(kv, b, c, a)) for w, _ in ref], atol=1e-5)
        assert {a, b, c}.isdisjoint(x.word for x in ours.answers)


def _unit_sum(kv, b, c, a):
    return kv.get_vector(b, norm=True) + kv.get_vector(c, norm=True) - kv.get_vector(a, norm=True)


def test_analogy_accuracy_matches_gensim(tmp_path):
    model = _model(seed=2)
    kv = _keyed(model)
    path = tmp_path / "questions.txt"
    path.write_text(": gender\nman woman king queen\nking queen man woman\n: capitals\nfrance paris italy rome\n"
                    "italy rome france paris\n: plural\ndog dogs cat cats\ncat cats dog dogs\nred blue green unknownword\n",
                    encoding="utf-8")
    ours = analogy.analogy_accuracy(model.words, model.vectors, analogy.read_analogies(path))
    score, sections = kv.evaluate_word_analogies(str(path), case_insensitive=False)
    assert ours.correct == sum(len(s["correct"]) for s in sections if s["section"] != "Total accuracy")
    assert ours.total == 6 and ours.skipped == 1
    assert ours.accuracy == pytest.approx(score)


def test_slide_is_one_hot_times_w1_then_w2_softmax():
    model = _model()
    s = wv.slide(model, "Queen", top=5)                       # case-insensitive lookup
    i = WORDS.index("queen")
    onehot = np.zeros(len(WORDS), np.float32)
    onehot[i] = 1
    np.testing.assert_array_equal(onehot @ model.vectors, s.hidden)
    np.testing.assert_allclose(s.scores, model.output_vectors @ s.hidden, rtol=1e-5)
    assert s.probs.sum() == pytest.approx(1.0, abs=1e-5) and s.w2.shape == (16, len(WORDS))
    order = np.argsort(-s.probs)[:5]
    assert [t.word for t in s.top] == [WORDS[j] for j in order]
    assert s.word == "queen" and s.index == i and s.vocab_size == len(WORDS) and s.dim == 16


def test_unknown_words_are_named_with_close_spellings():
    model = _model()
    with pytest.raises(InputError, match=r"'qeen' is not in the vocabulary .* did you mean 'queen'"):
        wv.neighbors(model, "qeen")
    with pytest.raises(InputError, match="'zzz' is not in the vocabulary"):
        wv.analogy(model, "man", "king", "zzz")
    with pytest.raises(InputError, match="k must be 1 or more"):
        wv.neighbors(model, "king", k=0)
    plain = LoadedModel(ref=resolve("minilm"), device="cpu")
    with pytest.raises(ModelError, match="cannot give word vectors; choose word2vec"):
        wv.neighbors(plain, "king")
    assert wv.complete(model, "Wa") == ["walk", "walked"] and wv.complete(model, "") == []
