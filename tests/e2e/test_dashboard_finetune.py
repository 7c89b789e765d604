"""A fine-tuning started from the Training view is an ordinary run: its settings form comes from
FinetuneConfig (no data box), the dashboard draws its loss and test accuracy, Pause checkpoints
and stops it, Resume continues it to the end."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.training.runs import list_checkpoints, read_run_config, read_status
from mlsp_gui.context import AppContext
from mlsp_gui.views.training import TrainingView

pytestmark = pytest.mark.e2e
WAIT = 240_000          # ms: the child imports torch on a busy 2-core machine


@pytest.fixture
def view(qtbot, tmp_path):
    ctx = AppContext.create()
    v = TrainingView(ctx)
    qtbot.addWidget(v)
    v.set_runs_dir(str(tmp_path / "runs"))
    v.proc.child_nice = 0
    v.show()
    qtbot.waitUntil(lambda: v.form.model_box.count() > 0, timeout=30000)
    yield v
    v.shutdown()
    ctx.jobs.wait()


def _events(view) -> list[dict]:
    from engine.training.event_types import event_dict

    got: list[dict] = []
    view.proc.event.connect(lambda e: got.append(event_dict(e)))
    return got


def test_finetune_from_the_training_view(view, qtbot):
    form = view.form
    assert form.model_box.findData("finetune") >= 0
    form.select_model("finetune")
    qtbot.waitUntil(lambda: form.config_widget("base") is not None, timeout=30000)
    assert not form.data_box.isEnabled() and form.data_box.count() == 0       # the config says what it trains on
    assert form.config_widget("base").text() == "bert-mini" and form.config_widget("task").text() == "topic"
    assert form.config_widget("init").currentText() == "pretrained"         # a choice: pretrained | scratch
    assert form.config_widget("labels").toolTip()
    form.device_box.setCurrentText("cpu")
    form.config_widget("labels").setText("16")
    form.config_widget("task").setText("tense")
    form.train_edit("steps").setText("40")
    form.train_edit("checkpoint_every").setText("4")
    form.train_edit("log_every").setText("1")
    events = _events(view)
    assert view.start_run()
    qtbot.waitUntil(lambda: any(e["event"] == "step" and e["step"] >= 5 for e in events), timeout=WAIT)
    run = Path(view.live_run)
    cfg = read_run_config(run)
    assert cfg["model"] == "finetune" and cfg["task"]["labels"] == 16 and cfg["task"]["task"] == "tense"

    view.pause_button.click()
    qtbot.waitUntil(lambda: view.proc.state == "paused", timeout=WAIT)
    end = events[-1]
    assert end["event"] == "end" and end["reason"] == "stopped" and end["step"] < 40
    assert read_status(run)["status"] == "stopped" and list_checkpoints(run)[-1].step == end["step"]
    qtbot.waitUntil(lambda: view.resume_button.isEnabled(), timeout=30000)

    events.clear()
    view.resume_button.click()
    qtbot.waitUntil(lambda: view.proc.state == "finished", timeout=WAIT)
    assert events[0]["event"] == "start" and events[0]["resumed"] is True
    assert events[-1]["event"] == "end" and events[-1]["reason"] == "finished" and events[-1]["step"] == 40
    key = run.name
    qtbot.waitUntil(lambda: len(view.curves.points(key, "eval test_accuracy")[0]) >= 2, timeout=10000)
    xs, ys = view.curves.points(key, "loss")
    assert xs[0] == 1 and xs.max() == 40
    acc_steps, accs = view.curves.points(key, "eval test_accuracy")
    assert acc_steps.max() == 40 and ((accs >= 0) & (accs <= 1)).all()
    assert view.curves.metric_box.currentText() == "eval test_accuracy"      # the second plot shows it
    assert len(view.curves.points(key, "train_accuracy")[0]) >= 30
