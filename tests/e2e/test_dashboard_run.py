"""The training dashboard driving a real `mlsp train toy-mlp --json` child process: curves fill
from its step events, Pause checkpoints and stops it, Resume continues from that checkpoint,
Cancel stops it for good, new checkpoints reach the open views, and a failing run shows the
trainer's own sentence."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from engine.training.runs import list_checkpoints, read_metrics, read_status
from mlsp_gui.context import AppContext
from mlsp_gui.training.run_process import CHILD_NICE
from mlsp_gui.views.embeddings import EmbeddingsView
from mlsp_gui.views.training import TrainingView

pytestmark = pytest.mark.e2e
WAIT = 240_000          # ms: the child imports torch on a busy 2-core machine


@pytest.fixture
def dashboard(qtbot, tmp_path):
    ctx = AppContext.create()
    view = TrainingView(ctx)
    qtbot.addWidget(view)
    view.set_runs_dir(str(tmp_path / "runs"))
    view.proc.child_nice = 0             # a shared, busy test machine must not starve the child
    view.resize(1200, 800)
    view.show()
    qtbot.waitUntil(lambda: view.form.model_box.count() > 0, timeout=30000)
    view.form.select_model("toy-mlp")
    qtbot.waitUntil(lambda: view.form.config_widget("hidden") is not None, timeout=30000)
    view.form.device_box.setCurrentText("cpu")
    for name, value in (("hidden", "16"), ("items", "256"), ("window", "16")):
        view.form.config_widget(name).setText(value)
    yield view
    view.shutdown()
    ctx.jobs.wait()


def _events(view) -> list[dict]:
    """The dashboard's typed events, as the dicts the trainer printed (engine.training.event_types)."""
    from engine.training.event_types import event_dict

    got: list[dict] = []
    view.proc.event.connect(lambda e: got.append(event_dict(e)))
    return got


def _steps(events) -> list[dict]:
    return [e for e in events if e["event"] == "step"]


def test_start_pause_resume_cancel(dashboard, qtbot):
    view = dashboard
    form = view.form
    form.train_edit("steps").setText("3000")
    form.train_edit("batch_size").setText("8")
    form.train_edit("checkpoint_every").setText("4")
    form.train_edit("keep").setText("100")
    form.train_edit("log_every").setText("1")
    events = _events(view)
    assert view.start_run()
    qtbot.waitUntil(lambda: len(_steps(events)) >= 6, timeout=WAIT)
    run = Path(view.live_run)
    key = run.name
    start = events[0]
    assert start["event"] == "start" and Path(start["run"]) == run and start["device"] == "cpu"
    assert start["config"]["task"]["hidden"] == 16                  # the form's --set reached the trainer
    assert view.status.state_label.property("state") == "running"
    assert view.pause_button.isEnabled() and not view.start_button.isEnabled()

    # live curves: exactly the steps and losses of the events, drawn by the throttled redraw
    qtbot.waitUntil(lambda: len(view.curves.drawn(key, "loss")[0]) >= 6, timeout=10000)
    xs, ys = view.curves.points(key, "loss")
    seen = _steps(events)[: len(xs)]
    np.testing.assert_array_equal(xs, [e["step"] for e in seen])
    np.testing.assert_allclose(ys, [e["loss"] for e in seen])
    qtbot.waitUntil(lambda: "ETA" in view.status.timing.text(), timeout=5000)
    assert view.status.progress.format().startswith("step ")
    assert "samples/s" in view.status.throughput.text()

    # inspect while training: open the run in the views; the next checkpoint reaches an open view
    other = EmbeddingsView(view.ctx)
    qtbot.addWidget(other)
    other.show()
    calls: list[tuple[str, str]] = []
    real = other.on_checkpoint
    other.on_checkpoint = lambda r, c: (calls.append((r, c)), real(r, c))
    qtbot.waitUntil(lambda: len(view.slider.checkpoints()) >= 1, timeout=WAIT)
    view.open_in_views()
    assert view.ctx.session.model == str(run)
    qtbot.waitUntil(lambda: len(calls) >= 1, timeout=WAIT)
    run_dir, ckpt = calls[-1]
    assert Path(run_dir) == run and Path(ckpt) in [c.path for c in list_checkpoints(run)]
    assert (Path(ckpt) / "model.safetensors").is_file()              # only complete checkpoints

    # the runs list: the live run's row follows the trainer's events, with no rescan of the folder
    def scans() -> list:
        return [j for j in view.ctx.jobs.jobs() if j.name == "Scan training runs"]

    def row_step() -> int:
        shown = view.runs.item(str(run)).text(3).split("/")[0]
        return int(shown) if shown.isdigit() else -1

    qtbot.waitUntil(lambda: view.runs.item(str(run)) is not None and all(j.status != "running" for j in scans()),
                    timeout=30000)
    listed, before = row_step(), len(scans())
    qtbot.waitUntil(lambda: row_step() > listed + 8, timeout=WAIT)
    row = view.runs.item(str(run))
    logged = {r["step"]: r for r in read_metrics(run) if r["event"] == "step"}[row_step()]
    assert row.text(2) == "running" and row.text(3) == f"{logged['step']}/{logged['total_steps']}"
    assert row.text(4) == f"{logged['loss']:.4g}"
    assert len(scans()) == before

    # Pause: the trainer writes a checkpoint and exits; the run is "stopped" and resumable
    view.pause_button.click()
    qtbot.waitUntil(lambda: view.proc.state == "paused", timeout=WAIT)
    end = events[-1]
    assert end["event"] == "end" and end["reason"] == "stopped"
    paused_at = end["step"]
    assert list_checkpoints(run)[-1].step == paused_at
    assert read_status(run)["status"] == "stopped"
    qtbot.waitUntil(lambda: view.resume_button.isEnabled(), timeout=30000)

    # Resume: same folder, --resume; step numbers continue after the checkpoint
    events.clear()
    view.resume_button.click()
    qtbot.waitUntil(lambda: len(_steps(events)) >= 2, timeout=WAIT)
    start = events[0]
    assert start["resumed"] is True and start["start_step"] == paused_at
    assert [e["step"] for e in _steps(events)[:2]] == [paused_at + 1, paused_at + 2]
    qtbot.waitUntil(lambda: view.curves.points(key, "loss")[0].max() >= paused_at + 2, timeout=10000)
    xs, _ = view.curves.points(key, "loss")
    assert np.all(np.diff(xs) > 0) and xs[0] == 1                  # history kept, no step twice

    # Cancel: stopped cleanly (SIGTERM) and recorded as cancelled; no longer offered for resume
    view.cancel_button.click()
    qtbot.waitUntil(lambda: view.proc.state == "cancelled", timeout=WAIT)
    assert events[-1]["event"] == "end"
    qtbot.waitUntil(lambda: read_status(run)["status"] == "cancelled", timeout=30000)
    qtbot.waitUntil(lambda: (s := view.runs.summary(str(run))) is not None and s.status == "cancelled",
                    timeout=30000)
    view.runs.select([str(run)])
    assert not view.resume_button.isEnabled()
    logged = [r["step"] for r in read_metrics(run) if r["event"] == "step"]
    assert logged == list(range(1, logged[-1] + 1))


def test_a_failing_run_shows_the_trainers_message(dashboard, qtbot, tmp_path):
    view = dashboard
    missing = tmp_path / "no-such-corpus.txt"
    view.form.data_box.setCurrentText(str(missing))
    events = _events(view)
    assert view.start_run()
    qtbot.waitUntil(lambda: view.proc.state == "failed", timeout=WAIT)
    error = [e for e in events if e["event"] == "error"]
    assert error and str(missing) in error[0]["message"]
    assert view.status.error.isVisibleTo(view)
    assert view.status.error.text() == error[0]["message"]
    assert view.start_button.isEnabled()


def test_a_trainer_that_dies_leaves_the_window_up_and_the_run_resumable(dashboard, qtbot, monkeypatch):
    """The child is SIGKILLed halfway through writing its checkpoint of step 6 (the trainer's fault hook)."""
    view = dashboard
    monkeypatch.setenv("MLSP_CKPT_FAULT", "crash@4")        # checkpoints from step 4 on die mid-write
    view.form.train_edit("steps").setText("200")
    view.form.train_edit("checkpoint_every").setText("3")
    view.form.train_edit("log_every").setText("1")
    view.proc.child_nice = CHILD_NICE                              # the app's default
    events = _events(view)
    assert view.start_run()
    qtbot.waitUntil(lambda: view.proc.pid() > 0, timeout=WAIT)
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    assert os.getpriority(os.PRIO_PROCESS, view.proc.pid()) == min(19, ours + CHILD_NICE)   # yields to the window
    qtbot.waitUntil(lambda: view.proc.state == "failed", timeout=WAIT)
    run = Path(view.live_run)
    assert [c.step for c in list_checkpoints(run)] == [3]           # the half-written one is not listed
    assert not [e for e in events if e["event"] in ("error", "end")]
    assert "killed or crashed" in view.status.error.text() and "step 3" in view.status.error.text()
    assert read_status(run)["status"] == "interrupted"
    assert view.isVisible() and view.start_button.isEnabled()
    qtbot.waitUntil(lambda: view.resume_button.isEnabled(), timeout=30000)   # from step 3 (resume: above)
