"""The projector opens on data, as the TensorBoard projector does: shown for the first time with
nothing loaded, it loads the shipped word2vec vocabulary by itself. Whatever the user or a caller
asks for replaces it, and a source that needs an input is never loaded unasked."""
import numpy as np
import pytest

from engine.probes.embed import embed_vocabulary
from engine.records.embeddings import Embeddings
from engine.zoo import load_model
from mlsp_gui.context import AppContext
from mlsp_gui.views.projector import ProjectorView


@pytest.fixture
def opened(qtbot):
    """A projector as a user first opens it (auto-load on), not yet shown."""
    ctx = AppContext.create()
    v = ProjectorView(ctx)
    qtbot.addWidget(v)
    v.resize(1000, 700)
    yield v
    ctx.jobs.cancel_all()
    ctx.jobs.wait(10_000)


def test_first_show_loads_and_projects_the_shipped_vocabulary(qtbot, opened):
    assert opened.emb is None and not opened.busy()          # nothing happens before it is shown
    opened.show()
    qtbot.waitUntil(lambda: opened.source_token is not None, timeout=10_000)
    assert opened.empty_hint.isVisible() and "Loading Word vectors" in opened.empty_hint.text()
    qtbot.waitUntil(lambda: opened.proj is not None and not opened.busy(), timeout=60_000)
    expected = embed_vocabulary(load_model("word2vec", device="cpu"))
    assert opened.fetched_from == ("word-vectors", "word2vec")
    assert opened.emb.labels == expected.labels
    np.testing.assert_allclose(opened.emb.vectors, expected.vectors, rtol=1e-6)
    assert opened.scatter2d.cloud.count() == len(expected.labels)
    assert opened.color_combo.currentData() == "group"
    assert not opened.empty_hint.isVisible()
    opened.hide()
    opened.show()                                            # once only: a second show loads nothing
    assert not opened.busy()


def test_vectors_handed_over_while_it_loads_replace_the_vocabulary(qtbot, opened):
    opened.show()
    qtbot.waitUntil(lambda: opened.source_token is not None, timeout=10_000)     # loading has begun
    rng = np.random.default_rng(3)
    mine = Embeddings(labels=[f"p{i}" for i in range(50)], vectors=rng.standard_normal((50, 8)).astype(np.float32),
                      kind="tsv", metadata={})
    opened.show_record(mine)
    qtbot.waitUntil(lambda: opened.proj is not None and not opened.busy(), timeout=60_000)
    qtbot.waitUntil(lambda: not opened.ctx.jobs.running(), timeout=60_000)   # the model load ended too
    qtbot.wait(100)
    assert opened.emb is mine and opened.fetched_from is None
    assert opened.scatter2d.cloud.count() == 50


def test_a_source_that_needs_an_input_is_not_loaded_unasked(qtbot, opened):
    bar = opened.source_bar
    bar.source.setCurrentIndex(bar.source.findData("sentences"))
    assert bar.spec().uses_input
    opened.show()
    qtbot.wait(200)
    assert opened.emb is None and not opened.busy()
    assert opened.empty_hint.isVisible() and "Press <b>Load</b>" in opened.empty_hint.text()
    assert not opened.load_default()


def test_the_current_audio_inputs_frames_load_with_logmel(make_main_window, app_dirs, qtbot):
    import soundfile as sf

    from engine.data.audio import read_audio
    from engine.probes.audio_frames import audio_frames

    window = make_main_window(open_views=["projector"])
    view = window.views.view("projector")
    path = app_dirs.files / "hum.wav"
    t = np.arange(24000) / 16000
    sf.write(path, np.where(t < 0.75, 0.4 * np.sin(2 * np.pi * 220 * t), 0.0), 16000)
    window.open_paths([str(path)])
    qtbot.waitUntil(lambda: window.ctx.session.current is not None and window.ctx.session.current.kind == "audio",
                    timeout=15_000)
    qtbot.waitUntil(lambda: not view.busy(), timeout=60_000)      # the vocabulary it opened on, if shown
    bar = view.source_bar
    bar.source.setCurrentIndex(bar.source.findData("audio-frames"))
    assert bar.model.currentText() == "logmel"
    bar.load_button.click()
    qtbot.waitUntil(lambda: view.fetched_from == ("audio-frames", "logmel") and view.proj is not None
                    and not view.busy(), timeout=60_000)
    expected = audio_frames(load_model("logmel", "cpu"), read_audio(path))
    assert view.emb.labels == expected.labels and len(view.emb.labels) == 151
    np.testing.assert_array_equal(view.emb.vectors, expected.vectors)
    assert view.color_combo.currentData() == "part"
    assert {"loud", "silence"} <= set(view.emb.metadata["loudness"])
