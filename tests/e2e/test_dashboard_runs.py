"""Past runs made by the real `mlsp train`: the dashboard lists them with their final metrics,
overlays two of them, and replays a run's checkpoints into the open views with the step slider."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine.training.runs import list_checkpoints, read_metrics
from mlsp_gui.context import AppContext
from mlsp_gui.views.embeddings import EmbeddingsView
from mlsp_gui.views.training import TrainingView

pytestmark = pytest.mark.e2e
WAIT = 240_000
TINY = ["--device", "cpu", "--batch-size", "8", "--log-every", "1", "--checkpoint-every", "3", "--keep", "10",
        "--set", "hidden=8", "--set", "items=128", "--set", "window=16"]


@pytest.fixture(scope="module")
def runs_dir(tmp_path_factory) -> Path:
    """Two finished toy-mlp runs (different learning rates), trained by the CLI side by side."""
    root = tmp_path_factory.mktemp("runs")
    procs = [subprocess.Popen([sys.executable, "-m", "engine.cli", "train", "toy-mlp", "--out", str(root / name),
                               "--steps", "9", "--lr", lr, *TINY], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, env=dict(os.environ))
             for name, lr in (("slow", "0.0001"), ("fast", "0.01"))]
    for p in procs:
        _out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    return root


@pytest.fixture
def dashboard(qtbot, runs_dir):
    ctx = AppContext.create()
    view = TrainingView(ctx)
    qtbot.addWidget(view)
    view.set_runs_dir(str(runs_dir))
    view.proc.child_nice = 0             # a shared, busy test machine must not starve the child
    view.show()
    qtbot.waitUntil(lambda: len(view.runs.summaries) == 2, timeout=30000)
    yield view
    view.shutdown()
    ctx.jobs.wait()


def _losses(run: Path) -> tuple[list[int], list[float]]:
    recs = [r for r in read_metrics(run) if r["event"] == "step"]
    return [r["step"] for r in recs], [r["loss"] for r in recs]


def test_past_runs_are_listed_with_their_final_metrics(dashboard, runs_dir):
    tree = dashboard.runs.tree
    rows = {tree.topLevelItem(i).text(0): [tree.topLevelItem(i).text(c) for c in range(tree.columnCount())]
            for i in range(tree.topLevelItemCount())}
    assert set(rows) == {"slow", "fast"}
    for name, row in rows.items():
        steps, losses = _losses(runs_dir / name)
        evals = [r for r in read_metrics(runs_dir / name) if r["event"] == "eval"]
        assert row[1] == "toy-mlp" and row[2] == "finished"
        assert row[3].startswith("9")
        assert float(row[4]) == pytest.approx(losses[-1], rel=1e-3)
        for metric, value in evals[-1]["metrics"].items():
            assert f"{metric} {value:.4g}" in row[5]


def test_two_selected_runs_are_overlaid(dashboard, qtbot, runs_dir):
    view = dashboard
    view.runs.select([str(runs_dir / "slow"), str(runs_dir / "fast")])
    qtbot.waitUntil(lambda: all(len(view.curves.drawn(n, "loss")[0]) == 9 for n in ("slow", "fast")),
                    timeout=30000)
    for name in ("slow", "fast"):
        steps, losses = _losses(runs_dir / name)
        xs, ys = view.curves.drawn(name, "loss")
        np.testing.assert_array_equal(xs, steps)
        np.testing.assert_allclose(ys, losses)
    assert view.curves.colour_of("slow") != view.curves.colour_of("fast")
    view.runs.select([str(runs_dir / "fast")])
    assert view.curves.runs() == ["fast"]


def test_step_slider_replays_a_runs_checkpoints_in_the_views(dashboard, qtbot, runs_dir):
    view = dashboard
    other = EmbeddingsView(view.ctx)
    qtbot.addWidget(other)
    other.show()
    calls: list[tuple[str, str]] = []
    real = other.on_checkpoint
    other.on_checkpoint = lambda r, c: (calls.append((r, c)), real(r, c))
    run = runs_dir / "fast"
    view.runs.select([str(run)])
    ckpts = list_checkpoints(run)
    assert [s for s, _p in view.slider.checkpoints()] == [c.step for c in ckpts] == [3, 6, 9]
    assert view.slider.current()[0] == 9
    view.slider.select_index(0)
    assert view.ctx.session.model == str(run)                   # the views now show this run
    assert calls == [(str(run), str(ckpts[0].path))]
    view.slider.select_index(1)
    assert calls[-1] == (str(run), str(ckpts[1].path))
