"""Warm start of training runs: the Training view keeps a trainer process waiting with torch and
the trainer imported, and Start hands it the run. Checked on real processes: the run's status.json
records the waiting worker's pid, its events reach the view, SIGTERM (Pause) still writes a
checkpoint, a new worker waits after the run, and a changed environment falls back to a cold start."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from training_support import choose_tiny_toy_mlp

from engine.training.runs import list_checkpoints, read_status

WAIT = 240_000


@pytest.fixture
def warm_view(make_main_window, qtbot, app_dirs, monkeypatch):
    monkeypatch.setenv("MLSP_WARM_TRAINER", "1")
    window = make_main_window(open_views=["training"])
    view = window.views.view("training")
    window.tabs.setCurrentWidget(view)
    view.proc.child_nice = 0
    choose_tiny_toy_mlp(qtbot, view, steps="40")
    qtbot.waitUntil(lambda: view.proc._warm is not None, timeout=30000)
    return window, view


def _warm_pid(view) -> int:
    return int(view.proc._warm.processId())


def test_start_hands_the_run_to_the_waiting_worker_and_a_new_one_waits_after(warm_view, qtbot):
    _window, view = warm_view
    view.form.train_edit("checkpoint_every").setText("20")
    pid = _warm_pid(view)
    events: list = []
    view.proc.event.connect(events.append)
    assert view.start_run()
    qtbot.waitUntil(lambda: view.proc.state == "finished", timeout=WAIT)
    assert view.proc.warm_started
    run = Path(view.live_run)
    status = read_status(run)
    assert status["status"] == "finished" and status["pid"] == pid       # the waiting process trained it
    kinds = [e.kind for e in events]
    assert kinds[0] == "start" and kinds[-1] == "end" and kinds.count("step") == 40
    assert [c.step for c in list_checkpoints(run)] == [20, 40]
    qtbot.waitUntil(lambda: view.proc._warm is not None and _warm_pid(view) != pid, timeout=30000)


def test_pause_of_a_warm_started_run_writes_a_checkpoint_and_resumes(warm_view, qtbot):
    _window, view = warm_view
    view.form.train_edit("steps").setText("200000")
    view.form.train_edit("checkpoint_every").setText("100000")
    steps: list = []
    view.proc.event.connect(lambda e: steps.append(e) if e.kind == "step" else None)
    assert view.start_run()
    qtbot.waitUntil(lambda: len(steps) >= 3, timeout=WAIT)
    assert view.proc.warm_started
    view.pause_run()
    qtbot.waitUntil(lambda: view.proc.state == "paused", timeout=WAIT)
    run = Path(view.live_run)
    assert list_checkpoints(run)[-1].step >= steps[-1].step
    assert read_status(run)["status"] == "stopped"


def test_a_changed_environment_starts_cold(warm_view, qtbot, monkeypatch):
    _window, view = warm_view
    view.form.train_edit("steps").setText("10")
    pid = _warm_pid(view)
    monkeypatch.setenv("MLSP_TEST_CHANGED", "1")                          # not the worker's environment
    assert view.start_run()
    qtbot.waitUntil(lambda: view.proc.state == "finished", timeout=WAIT)
    assert not view.proc.warm_started
    assert read_status(Path(view.live_run))["pid"] != pid


def _worker(stdin: str, tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine.cli.warm_worker"], input=stdin, text=True,
                          capture_output=True, timeout=300, cwd=tmp_path)


def test_the_worker_runs_the_command_like_the_cli(tmp_path):
    out = tmp_path / "run"
    argv = ["train", "toy-mlp", "--json", "--out", str(out), "--steps", "6", "--set", "hidden=8", "--device", "cpu"]
    done = _worker(json.dumps({"argv": argv}) + "\n", tmp_path)
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert events[0]["event"] == "start" and events[-1]["event"] == "end" and events[-1]["step"] == 6
    bad = _worker(json.dumps({"argv": ["train", "no-such-model", "--json", "--out", str(tmp_path / "b")]}) + "\n",
                  tmp_path)
    assert bad.returncode == 2 and "no-such-model" in bad.stderr


def test_the_worker_exits_quietly_without_a_command_and_refuses_a_malformed_one(tmp_path):
    quiet = _worker("", tmp_path)
    assert quiet.returncode == 0 and quiet.stdout == ""
    broken = _worker('{"argv": "train"}\n', tmp_path)
    assert broken.returncode == 2 and "JSON line" in broken.stderr
