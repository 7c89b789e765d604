"""What a guided lesson does to the window, as docs/CONTRIBUTING.md ("View state and scripting")
shows it: open a view by id and set its state, set the options the attention views share, and set
the input and model through the session; the window, its menus and its views follow."""
from __future__ import annotations

from attention_fixtures import mha_record
from window_support import wait_jobs

TOKENS = ["[CLS]", "attention", "is", "all", "you", "need", "[SEP]"]


def test_a_lesson_opens_views_sets_their_state_and_the_session(make_main_window, qtbot):
    window = make_main_window(open_views=["audio"])

    heatmap = window.views.open("attention_heatmap", focus=True)      # by id: built, in front, ticked
    assert heatmap is not None and window.tabs.currentWidget() is heatmap
    assert window.menus.view_actions["attention_heatmap"].isChecked()
    heatmap.restore_state({"layer": 1, "head": 2, "colormap": "magma"})
    heatmap.show_record(mha_record(TOKENS, layers=2, heads=3, seed=7))  # what a probe would hand it
    assert heatmap.selection() == (0, 1, 2) and heatmap.cmap_combo.currentText() == "magma"
    assert window.views.open("attention_heatmap") is heatmap           # opening again finds it
    assert window.views.open("no_such_view") is None

    audio = window.views.set_state("audio", {"n_fft": 2048, "axis": "mel64"})
    assert audio.settings() == (2048, 512, 64)                        # the hop stays n_fft / 4
    assert window.tabs.currentWidget() is heatmap                     # set_state does not steal the front

    window.ctx.attention.set_pair("The street was wide.")             # every attention view's sentence B
    assert heatmap.probe_bar.pair_edit.text() == "The street was wide."

    similarity = window.views.open("embeddings", focus=True)
    with qtbot.waitSignal(window.loader.loaded, timeout=20_000):
        window.loader.add_text("Lessons drive the window.\nViews follow the session.", "lesson text")
    assert window.ctx.session.current.name == "lesson text"
    assert similarity.sentences() == ["Lessons drive the window.", "Views follow the session."]
    window.ctx.session.set_model("minilm")
    assert "minilm" in similarity.status.text()
    wait_jobs(qtbot, window)
    assert window.views.view_states()["attention_heatmap"] == {"stack": 0, "layer": 1, "head": 2, "colormap": "magma"}
