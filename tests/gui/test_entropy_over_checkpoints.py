"""Heads while training (issue 10): the Rollout and head summaries view following a gpt-mini run plots
"Entropy over checkpoints" — one point per checkpoint (the run's earlier checkpoints filled in by a
job, each new one added by the checkpoint the session hands the view), equal to the engine's
over-checkpoints summary; the plot stays hidden when the model is not a run."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from mlsp_gui.context import AppContext
from mlsp_gui.session import InputItem
from tests.engine.lm_tiny import train_tiny_run

TEXT = "the queen lives in the castle"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    return train_tiny_run(tmp_path_factory.mktemp("gpt-mini"), "gpt-mini", steps=6, checkpoint_every=2)


def _view(qtbot, run: Path | None, text: str | None = TEXT):
    from mlsp_gui.views.attention_summary import AttentionSummaryView

    ctx = AppContext.create()
    ctx.session.set_device("cpu")
    view = AttentionSummaryView(ctx)
    qtbot.addWidget(view)
    view.resize(1280, 720)
    view.show()
    if run is not None:
        ctx.session.set_model(str(run))
    if text:
        ctx.session.add_input(InputItem(kind="text", name="s", text=text))
    return ctx, view


def test_one_point_per_checkpoint_equal_to_the_engine(qtbot, run_dir):
    from engine.contract.spec import ModelRef
    from engine.probes.attention_over_checkpoints import over_checkpoints
    from engine.zoo import load_model, resolve

    ctx, view = _view(qtbot, run_dir)
    plot = view.over_checkpoints
    qtbot.waitUntil(lambda: plot.steps() == [2, 4, 6], timeout=120000)
    assert plot.isVisible() and plot.marker_step == 6            # the run's newest weights are the ones drawn
    spec = resolve(str(run_dir)).spec
    expected = over_checkpoints(run_dir, TEXT, lambda f: load_model(ModelRef(spec=spec, path=f, text=str(run_dir)), "cpu"))
    xs, ys = plot.series()
    assert xs.tolist() == [2, 4, 6] and ys.shape == (2, 3)
    assert np.allclose(ys, np.array([p.entropy_per_layer for p in expected.points]).T, atol=1e-9)
    assert [c.getData()[0].tolist() for c in plot.curves] == [[2, 4, 6]] * 2        # one line per layer, drawn
    assert [plot.points[s].loss for s in (2, 4, 6)] == pytest.approx([p.loss for p in expected.points])
    assert "(6: loss" in plot.plot.getPlotItem().getAxis("bottom").labelText
    first = view.record
    ctx.session.set_checkpoint(str(run_dir), str(run_dir / "checkpoints" / "step-00000002"))
    qtbot.waitUntil(lambda: view.record is not first and plot.marker_step == 2, timeout=60000)
    assert plot.steps() == [2, 4, 6] and plot.marker.value() == 2


def test_each_checkpoint_handed_to_the_view_adds_a_point(qtbot, run_dir, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(run_dir, run)
    later = tmp_path / "later"
    later.mkdir()
    for step in ("step-00000004", "step-00000006"):           # not landed yet
        shutil.move(run / "checkpoints" / step, later / step)
    ctx, view = _view(qtbot, run)
    plot = view.over_checkpoints
    qtbot.waitUntil(lambda: plot.steps() == [2] and plot.marker_step == 2, timeout=120000)
    for n, step in enumerate(("step-00000004", "step-00000006"), start=2):
        shutil.move(later / step, run / "checkpoints" / step)    # a checkpoint lands; the Training view hands it on
        ctx.session.set_checkpoint(str(run), str(run / "checkpoints" / step))
        qtbot.waitUntil(lambda n=n: len(plot.steps()) == n, timeout=60000)
        assert plot.marker_step == int(step[-3:])
    assert plot.series()[0].tolist() == [2, 4, 6]


def test_hidden_when_the_model_is_not_a_run(qtbot, run_dir):
    ctx, view = _view(qtbot, None, text=None)               # no input: nothing is probed
    assert not view.over_checkpoints.isVisible()
    ctx.session.set_model(str(run_dir))
    assert view.over_checkpoints.isVisible()
    ctx.session.set_model("gpt-mini")                        # the registry id: shipped weights, not a run
    assert not view.over_checkpoints.isVisible()
