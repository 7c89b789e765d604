"""The training dashboard inside the real main window: it is discovered as a centre tab, uses the
window's runs folder, and closing the window while a real `mlsp train` child runs stops it
cleanly (a checkpoint is written, the run is resumable)."""
from __future__ import annotations

from pathlib import Path

from training_support import choose_tiny_toy_mlp

from engine.training.runs import list_checkpoints, read_status

WAIT = 240_000


def test_closing_the_window_stops_the_run_with_a_checkpoint(make_main_window, qtbot, app_dirs):
    window = make_main_window(open_views=["training"])
    view = window.views.view("training")
    assert window.tabs.indexOf(view) >= 0
    view.proc.child_nice = 0             # a shared, busy test machine must not starve the child
    qtbot.waitUntil(lambda: view.runs.runs_dir != "", timeout=10000)
    assert Path(view.runs_dir()) == app_dirs.home / "runs"           # MLSP_RUNS, through the settings
    choose_tiny_toy_mlp(qtbot, view, steps="5000", checkpoint_every="1000")
    steps: list = []
    view.proc.event.connect(lambda e: steps.append(e) if e.kind == "step" else None)
    assert view.start_run()
    qtbot.waitUntil(lambda: len(steps) >= 2, timeout=WAIT)
    run = Path(view.live_run)
    assert run.parent == app_dirs.home / "runs"
    assert list_checkpoints(run) == []                               # nothing saved before the close
    window.close()
    ckpts = list_checkpoints(run)
    assert ckpts and ckpts[-1].step >= steps[-1].step
    assert read_status(run)["status"] == "stopped"
