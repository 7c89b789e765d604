"""The word2vec views: the slide draws a record's own numbers (one-hot, W1 row, h, W2, softmax)
and exports them; the queries view fills its tables from records and from real probe jobs on a
real trained run, says clearly when a word is not in the vocabulary (keeping what it showed),
and reloads the vectors of a new checkpoint handed to `on_checkpoint`."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine.records.words import AnalogyResult, Neighbors, WordScore, WordSimilarity
from mlsp_gui.context import AppContext
from mlsp_gui.views.word2vec_slide import Word2VecSlideView
from mlsp_gui.views.word_queries import WordQueriesView


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    """A real word2vec run (builtin:grammar-small, tiny) with two checkpoints."""
    import os

    from engine.training.setup import TrainRequest
    from engine.training.trainer import train

    home = tmp_path_factory.mktemp("w2v-home")
    old = os.environ.get("MLSP_HOME")
    os.environ["MLSP_HOME"] = str(home)
    try:
        out = tmp_path_factory.mktemp("runs") / "w2v"
        train(TrainRequest(model="word2vec", data="builtin:grammar-small", out=out, device="cpu",
                           flags={"steps": 6, "batch_size": 2, "checkpoint_every": 3, "seed": 1},
                           sets=("dim=16", "min_count=2", "span=300"), progress=False))
    finally:
        if old is None:
            os.environ.pop("MLSP_HOME", None)
        else:
            os.environ["MLSP_HOME"] = old
    return out


def _slide_record(run_dir: Path, word: str = "king"):
    from engine.probes.word_vectors import slide
    from engine.zoo import load_model

    return slide(load_model(str(run_dir), "cpu"), word, top=8)


def _view(qtbot, cls):
    view = cls(AppContext.create())
    qtbot.addWidget(view)
    view.resize(1300, 900)
    return view


def test_slide_draws_the_records_numbers_and_exports(qtbot, run_dir, tmp_path):
    view = _view(qtbot, Word2VecSlideView)
    record = _slide_record(run_dir)
    view.show_record(record)
    i = record.index
    onehot = view.onehot.data()
    assert onehot.shape == (1, record.vocab_size) and onehot[0, i] == 1 and onehot.sum() == 1
    np.testing.assert_array_equal(view.w1.data(), record.w1)
    np.testing.assert_array_equal(view.hidden.data()[0], record.w1[i])
    np.testing.assert_array_equal(view.w2.data(), record.w2)
    np.testing.assert_allclose(view.output.data()[0], record.probs)
    assert view.top_chart.values.tolist() == pytest.approx([t.similarity for t in record.top])
    assert view.w1.labels()[0][i] == "king" and "“king”" in view.captions["w1"].text()
    lo, hi = view.w1.plot.vb.viewRange()[1]
    assert lo <= i <= hi and hi - lo < 40                       # zoomed to the picked row
    view.show()
    qtbot.waitExposed(view)
    png = view.export_bar.export("png", tmp_path / "slide.png")
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert image.width() >= 900 and image.height() >= 800
    npz = np.load(view.export_bar.export("npz", tmp_path / "slide.npz"))
    np.testing.assert_array_equal(npz["hidden"], record.hidden)
    assert str(npz["word"]) == "king"


def test_queries_view_draws_records(qtbot):
    view = _view(qtbot, WordQueriesView)
    view.show_record(Neighbors("king", (WordScore("queen", 0.9), WordScore("prince", 0.8)), "m"))
    view.show_record(AnalogyResult("man", "king", "woman", (WordScore("queen", 0.7),), "m"))
    view.show_record(WordSimilarity("paris", "rome", 0.5, "m"))
    assert [view.neighbor_table.topLevelItem(r).text(0) for r in range(2)] == ["queen", "prince"]
    assert view.chart.values.tolist() == pytest.approx([0.9, 0.8])
    assert view.analogy_table.topLevelItem(0).text(0) == "queen"
    assert "0.5000" in view.similarity_label.text() and set(view.records) == {"neighbors", "analogy", "similarity"}


def test_queries_on_a_run_and_unknown_words(qtbot, run_dir):
    from engine.probes.word_vectors import analogy, neighbors
    from engine.zoo import load_model

    view = _view(qtbot, WordQueriesView)
    view.bar.set_ref(str(run_dir))
    with qtbot.waitSignal(view.bar.model_ready, timeout=60000):
        view.bar.load()
    model = load_model(str(run_dir), "cpu")
    view.k_spin.setValue(6)
    view.edits["word"].setText("queen")
    view.run_neighbors()
    qtbot.waitUntil(lambda: "neighbors" in view.records, timeout=30000)
    assert view.records["neighbors"] == neighbors(model, "queen", 6)
    for key, word in zip("abc", ("man", "king", "woman")):
        view.edits[key].setText(word)
    view.run_analogy()
    qtbot.waitUntil(lambda: "analogy" in view.records, timeout=30000)
    assert view.records["analogy"].answers == analogy(model, "man", "king", "woman", 5).answers
    shown = view.neighbor_table.topLevelItemCount()
    view.edits["word"].setText("xylophonez")
    view.run_neighbors()
    qtbot.waitUntil(lambda: "not in the vocabulary" in view.messages["neighbors"].text(), timeout=30000)
    assert view.neighbor_table.topLevelItemCount() == shown      # what was shown stays
    assert view.bar.vocabulary.rowCount() == len(model.words)    # completion knows the vocabulary


def test_slide_reloads_on_a_new_checkpoint(qtbot, run_dir):
    from engine.training.runs import list_checkpoints

    first, last = [c.path for c in list_checkpoints(run_dir)][:2]
    view = _view(qtbot, Word2VecSlideView)
    view.bar.set_ref(str(run_dir))
    with qtbot.waitSignal(view.bar.model_ready, timeout=60000):
        view.bar.load()
    view.run()
    qtbot.waitUntil(lambda: view.record is not None, timeout=30000)
    assert view.bar.model.checkpoint_step == 6
    with qtbot.waitSignal(view.bar.model_ready, timeout=60000):
        view.on_checkpoint(str(run_dir), str(first))
    assert view.bar.model.checkpoint_step == 3
    qtbot.waitUntil(lambda: view.record is not None and
                    np.array_equal(view.record.w1, view.bar.model.vectors), timeout=30000)
    view.on_checkpoint(str(run_dir.parent / "another-run"), str(last))     # not this view's run: ignored
    assert view.bar.model.checkpoint_step == 3
    view.word_edit.setText("notaword")
    view.run()
    qtbot.waitUntil(lambda: "not in the vocabulary" in view.message.text(), timeout=30000)
    assert view.record is not None                                          # the slide shown stays


def test_first_show_draws_examples_even_when_the_other_view_loaded_the_vectors(qtbot):
    """Both views share the ModelStore: the slide, shown after the queries view loaded `word2vec`,
    still draws its example; the queries view fills all three example queries on first show."""
    from engine.probes.word_vectors import analogy, neighbors, similarity
    from engine.zoo import load_model

    ctx = AppContext.create()
    queries, slide = WordQueriesView(ctx), Word2VecSlideView(ctx)
    for view in (queries, slide):
        qtbot.addWidget(view)
        view.resize(1300, 900)
    queries.show()
    qtbot.waitUntil(lambda: set(queries.records) == {"neighbors", "analogy", "similarity"}, timeout=60000)
    assert slide.bar.model is queries.bar.model                  # the slide got the loaded vectors already
    model = load_model("word2vec", "cpu")
    assert queries.records["neighbors"].neighbors == neighbors(model, "king", 10).neighbors
    assert queries.records["analogy"].answers == analogy(model, "man", "king", "woman", 5).answers
    assert queries.records["similarity"].similarity == pytest.approx(similarity(model, "paris", "rome").similarity)
    slide.show()
    qtbot.waitUntil(lambda: slide.record is not None, timeout=30000)
    assert slide.record.word == "king" and slide.record.vocab_size == len(model.words)


def test_slide_strips_are_readable(qtbot, run_dir):
    """Issue 13, defect 8: the h strip has room, W2 shows several word labels around the top word."""
    view = _view(qtbot, Word2VecSlideView)
    view.resize(740, 620)                                       # the centre of the default window
    view.show()
    qtbot.waitExposed(view)
    record = _slide_record(run_dir)
    view.show_record(record)
    top = list(record.words).index(record.top[0].word)
    lo, hi = view.w2.plot.vb.viewRange()[0]
    assert lo <= top <= hi and hi - lo <= 10
    labelled = view.w2.bottom_axis.labelled(lo, hi, view.w2.plot.vb.width())
    assert len(labelled) >= 5 and top in labelled
    assert view.hidden.height() >= 84
