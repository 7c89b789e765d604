"""word2vec trained from the dashboard while the projector follows it: each new checkpoint of
the real `mlsp train word2vec` child reaches the open projector, which reloads the vectors of
exactly that checkpoint; the step slider takes it back to an older one."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine.loaders.word2vec import read_vectors_folder
from engine.training.runs import list_checkpoints
from mlsp_gui.context import AppContext
from mlsp_gui.views.projector import ProjectorView
from mlsp_gui.views.training import TrainingView

pytestmark = pytest.mark.e2e
WAIT = 240_000


def _rows(view: ProjectorView, checkpoint: Path) -> tuple[np.ndarray, np.ndarray]:
    """(what the projector shows, W1 rows of the same words read from the checkpoint folder)."""
    words, _counts, w1, _w2, _meta = read_vectors_folder(checkpoint)
    index = {w: i for i, w in enumerate(words)}
    shown = view.emb.metadata["word"]
    return view.emb.vectors, w1[[index[w] for w in shown]]


def _matching_checkpoint(view: ProjectorView, run: Path) -> int | None:
    for c in list_checkpoints(run):
        shown, stored = _rows(view, c.path)
        if shown.shape == stored.shape and np.allclose(shown, stored, atol=1e-6):
            return c.step
    return None


def test_the_projector_follows_a_word2vec_run(qtbot, tmp_path):
    ctx = AppContext.create()
    dash, proj = TrainingView(ctx), ProjectorView(ctx, auto_load=False)
    for w in (dash, proj):
        qtbot.addWidget(w)
        w.resize(1100, 750)
        w.show()
    dash.set_runs_dir(str(tmp_path / "runs"))
    dash.proc.child_nice = 0             # a shared, busy test machine must not starve the child
    form = dash.form
    qtbot.waitUntil(lambda: form.model_box.findData("word2vec") >= 0, timeout=30000)
    form.select_model("word2vec")
    qtbot.waitUntil(lambda: form.config_widget("dim") is not None, timeout=30000)
    form.data_box.setCurrentText("builtin:grammar-small")
    form.device_box.setCurrentText("cpu")
    form.config_widget("dim").setText("16")
    for name, value in (("steps", "2000"), ("batch_size", "4"), ("checkpoint_every", "8"), ("keep", "1000"),
                        ("log_every", "1")):
        form.train_edit(name).setText(value)
    assert dash.start_run()
    try:
        qtbot.waitUntil(lambda: len(dash.slider.checkpoints()) >= 1, timeout=WAIT)
        run = Path(dash.live_run)
        dash.open_in_views()
        assert ctx.session.model == str(run)
        bar = proj.source_bar
        bar.source.setCurrentIndex(bar.source.findData("word-vectors"))
        assert bar.model.currentText() == str(run)                 # the projector was told about the run
        bar.load_button.click()
        qtbot.waitUntil(lambda: proj.emb is not None and proj.fetched_from is not None and not proj.busy(),
                        timeout=WAIT)
        first = _matching_checkpoint(proj, run)
        assert first is not None                                   # it shows one checkpoint's W1 exactly
        # the next checkpoints land while it trains: the projector reloads each one it is handed
        qtbot.waitUntil(lambda: not proj.busy() and (_matching_checkpoint(proj, run) or 0) > first,
                        timeout=WAIT)
        dash.pause_run()
        qtbot.waitUntil(lambda: not dash.proc.is_running(), timeout=WAIT)
        # replay: the slider's oldest checkpoint goes back into the projector
        qtbot.waitUntil(lambda: not proj.busy(), timeout=WAIT)
        dash.slider.select_index(0)
        oldest = list_checkpoints(run)[0].step
        qtbot.waitUntil(lambda: not proj.busy() and _matching_checkpoint(proj, run) == oldest, timeout=WAIT)
    finally:
        dash.shutdown()
        ctx.jobs.wait()
