"""The foundation's end-to-end path: load text → minilm → cosine-similarity heatmap in the window,
with the same numbers as `engine.probes.embed` gives for the same sentences."""
import input_files as files
import numpy as np
from window_support import wait_jobs

from engine.records.embeddings import Embeddings

SENTENCES = ["A man is playing a guitar.", "Someone plays an instrument."]


def test_minilm_similarity_of_two_sentences_matches_the_engine(make_main_window, app_dirs, qtbot):
    from engine.probes.embed import embed
    from engine.zoo import load_model

    window = make_main_window(open_views=["embeddings"])
    window.ctx.session.set_model("minilm")
    window.ctx.session.set_device("cpu")
    path = files.text_file(app_dirs.files, "two.txt", "\n".join(SENTENCES) + "\n")
    window.open_paths([str(path)])
    qtbot.waitUntil(lambda: len(window.ctx.session.inputs) == 1, timeout=15000)
    view = window.views.view("embeddings")
    assert view.sentences() == SENTENCES                       # it follows the current text input
    view.embed_button.click()
    qtbot.waitUntil(lambda: view.record is not None, timeout=120000)
    wait_jobs(qtbot, window)

    reference = embed(load_model("minilm", "cpu"), SENTENCES)
    np.testing.assert_allclose(view.record.vectors, reference.vectors, atol=1e-5)
    np.testing.assert_allclose(view.heatmap.data(), reference.cosine_similarity(), atol=1e-5)
    cos = float(reference.cosine_similarity()[0, 1])
    assert view.neighbours.topLevelItem(0).text(2) == f"{cos:.3f}"
    assert view.heatmap.labels()[0] == [f"1 {SENTENCES[0]}", f"2 {SENTENCES[1]}"]
    assert window.model_dock.status.text().startswith("<b>minilm</b> loaded on cpu")


def test_show_record_draws_a_record_built_here(make_main_window):
    window = make_main_window(open_views=["embeddings"])
    view = window.views.view("embeddings")
    vectors = np.array([[1, 0, 0], [0.8, 0.6, 0], [-1, 0, 0], [0, 0, 2]], np.float32)
    labels = ["east", "north-east", "west", "up"]
    view.show_record(Embeddings(labels=labels, vectors=vectors, model="hand-made"))
    expected = np.array([[1, .8, -1, 0], [.8, 1, -.8, 0], [-1, -.8, 1, 0], [0, 0, 0, 1]], np.float32)
    np.testing.assert_allclose(view.heatmap.data(), expected, atol=1e-6)
    nearest = [(view.neighbours.topLevelItem(i).text(0), view.neighbours.topLevelItem(i).text(1))
               for i in range(4)]
    assert nearest[:3] == [("1 east", "2 north-east"), ("2 north-east", "1 east"), ("3 west", "4 up")]
    lo, hi = view.heatmap.levels()                 # the off-diagonal range, not a fixed -1..1 (issue 13, 7)
    assert abs(lo + 1.0) < 1e-6 and abs(hi - 0.8) < 1e-6
    assert len(view._cell_text) == 16


def test_fewer_than_two_sentences_warns_and_starts_nothing(make_main_window):
    window = make_main_window(open_views=["embeddings"])
    view = window.views.view("embeddings")
    view.editor.setPlainText("only one sentence\n\n   \n")
    jobs_before = len(window.ctx.jobs.jobs())
    view.run()
    assert len(window.ctx.jobs.jobs()) == jobs_before
    assert any("at least two sentences" in m for m in window.notices.messages())


def test_a_word_vector_model_in_the_window_still_embeds_sentences_with_minilm(make_main_window, qtbot):
    """word2vec (or a non-text model) chosen in the Model dock: sentences go to minilm, and the view says why."""
    window = make_main_window(open_views=["embeddings"])
    view = window.views.view("embeddings")
    assert view.heatmap.empty_label.isVisibleTo(view) and "Press Embed" in view.heatmap.empty_label.text()
    for ref in ("word2vec", "toy-mlp"):
        window.ctx.session.set_model(ref)
        assert view.model_ref() == "minilm"
        assert f"(<b>{ref}</b>" not in view.status.text() and f"{ref} has no sentence embeddings" in view.status.text()
    window.ctx.session.set_model("minilm")
    assert view.model_ref() == "minilm" and "no sentence embeddings" not in view.status.text()
    window.ctx.session.set_device("cpu")
    window.ctx.session.set_model("word2vec")
    view.run()
    qtbot.waitUntil(lambda: view.record is not None, timeout=120000)
    wait_jobs(qtbot, window)
    assert view.record.model == "minilm" and view.record.dim == 384
    assert not view.heatmap.empty_label.isVisibleTo(view)
