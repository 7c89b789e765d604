"""Issue 14 (smaller): after a refused folder load the chosen model goes back to the model still in use."""
from __future__ import annotations

from window_support import jobs_named, wait_jobs

from mlsp_gui.docks.model_dock import REF_ROLE


def test_a_refused_folder_gives_the_choice_back(make_main_window, app_dirs, qtbot, tmp_path):
    window = make_main_window()
    window.ctx.session.set_device("cpu")
    window.ctx.session.set_model("word2vec")
    wait_jobs(qtbot, window)
    broken = tmp_path / "broken-run"
    (broken / "checkpoints").mkdir(parents=True)
    (broken / "config.json").write_text('{"model": "word2vec"}', encoding="utf-8")     # no checkpoint at all
    window.load_model_folder(str(broken))
    assert window.ctx.session.model == str(broken)            # chosen while it loads
    wait_jobs(qtbot, window)
    [job] = jobs_named(window, "Load model")
    assert job.status == "failed"
    assert window.ctx.session.model == "word2vec"
    refs = [window.model_dock.tree.topLevelItem(i).data(0, REF_ROLE) for i in range(window.model_dock.tree.topLevelItemCount())]
    assert str(broken) not in refs
    assert window.model_dock.tree.currentItem().data(0, REF_ROLE) == "word2vec"
    assert any("broken-run was not loaded" in m and "word2vec" in m for m in window.notices.messages())
