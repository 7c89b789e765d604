"""Failures: refused hyper-parameters, missing data, disk full while checkpointing, CUDA out of
memory and an exception inside the task, each with a clear message and a resumable run."""
from __future__ import annotations

import json

import pytest
from trainer_helpers import ListSink, one_thread, register_failing, request, run, step_losses  # noqa: F401 (a fixture)

from engine.cli import main as cli_main
from engine.errors import ConfigError, InputError, ModelError, TrainingError
from engine.training.checkpoint import list_checkpoints, load_checkpoint
from engine.training.runs import list_runs, read_metrics, read_status

pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.mark.parametrize("argv, named", [
    (["--batch-size", "0"], "batch_size"),
    (["--lr", "-0.1"], "lr"),
    (["--set", "hiddn=3"], "hiddn"),
    (["--set", "hidden=abc"], "hidden"),
    (["--grad-accum", "0"], "grad_accum"),
    (["--batch-size", "10", "--grad-accum", "4"], "--batch-size 10"),
])
def test_invalid_hyper_parameters_are_refused_before_anything_starts(tmp_path, capsys, argv, named):
    out = tmp_path / "run"
    rc = cli_main(["train", "toy-mlp", "--device", "cpu", "--out", str(out), "--json", *argv])
    captured = capsys.readouterr()
    assert rc == 2
    assert named in captured.err and captured.err.count("\n") == 1
    event = json.loads(captured.out.strip().splitlines()[-1])
    assert event["event"] == "error" and event["kind"] == "config" and not event["resumable"]
    assert not (out / "config.json").exists() and not (out / "checkpoints").exists()


def test_steps_with_epochs_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit):
        cli_main(["train", "toy-mlp", "--steps", "5", "--epochs", "1", "--out", str(tmp_path / "r")])
    assert "--epochs" in capsys.readouterr().err
    with pytest.raises(ConfigError, match="steps"):
        run(tmp_path / "r2", epochs=1.0, steps=5)


def test_missing_data_and_untrainable_model(tmp_path):
    from engine.training.setup import TrainRequest
    from engine.training.trainer import train

    missing = tmp_path / "nope.txt"
    with pytest.raises(InputError, match="nope.txt"):
        train(TrainRequest(model="toy-mlp", data=str(missing), out=tmp_path / "r", device="cpu", progress=False),
              sinks=[])
    assert not (tmp_path / "r").exists()
    with pytest.raises(ModelError, match="minilm"):
        train(request(tmp_path / "r", model="minilm"), sinks=[])


def test_resume_refuses_changed_hyper_parameters(tmp_path):
    run(tmp_path / "r", steps=10)
    with pytest.raises(ConfigError, match="lr"):
        run(tmp_path / "r", steps=10, lr=0.5, resume=True)
    with pytest.raises(ConfigError, match="hidden"):
        run(tmp_path / "r", steps=10, sets=("hidden=99",), resume=True)
    with pytest.raises(ConfigError, match="already holds a run"):
        run(tmp_path / "r", steps=10)


def test_disk_full_while_checkpointing_keeps_the_previous_checkpoint(tmp_path, monkeypatch):
    out = tmp_path / "r"
    _, ref = run(tmp_path / "ref", steps=30)
    monkeypatch.setenv("MLSP_CKPT_FAULT", "enospc@20")
    sink = ListSink()
    with pytest.raises(TrainingError, match="disk is full") as info:
        from engine.training.trainer import train

        train(request(out, steps=30), sinks=[sink])
    error = sink.events[-1]
    assert error["event"] == "error" and error["kind"] == "disk-full" and error["resumable"]
    assert "step 10" in str(info.value) and "--resume" in str(info.value)
    assert [c.step for c in list_checkpoints(out)] == [10]
    assert not [p for p in (out / "checkpoints").iterdir() if p.name.startswith(".tmp")]
    load_checkpoint(list_checkpoints(out)[0].path)            # intact and readable
    assert read_status(out)["status"] == "failed"

    monkeypatch.delenv("MLSP_CKPT_FAULT")
    _, resumed = run(out, steps=30, resume=True)
    assert resumed.of("start")[0]["start_step"] == 10
    assert {**step_losses(read_metrics(out))} == step_losses(ref.events)


@pytest.mark.parametrize("fail_with, kind, hint", [("oom", "oom", "--grad-accum 2"),
                                                    ("value", "task", "ValueError")])
def test_failure_inside_a_step_leaves_a_resumable_run(tmp_path, monkeypatch, fail_with, kind, hint):
    model = register_failing(monkeypatch)
    out = tmp_path / "r"
    monkeypatch.setenv("TEST_FAIL_AT", "7")
    monkeypatch.setenv("TEST_FAIL_WITH", fail_with)
    sink = ListSink()
    from engine.training.trainer import train

    with pytest.raises(TrainingError, match=hint) as info:
        train(request(out, model=model, steps=20), sinks=[sink])
    error = sink.events[-1]
    assert error["kind"] == kind and error["resumable"] and error["step"] == 6
    assert hint in error["message"] and "--resume" in error["message"]
    assert [c.step for c in list_checkpoints(out)] == [6]            # emergency checkpoint of the last good step
    assert sink.of("checkpoint")[-1]["reason"] == "error"
    if kind == "task":
        assert "ValueError" in (out / "error.log").read_text()
    summary = list_runs(tmp_path)[0]
    assert summary.status == "failed" and str(info.value) == summary.message

    monkeypatch.setenv("TEST_FAIL_AT", "0")
    result, resumed = run(out, model=model, steps=20, resume=True)
    assert result.reason == "finished" and resumed.of("start")[0]["start_step"] == 6
    assert read_status(out)["status"] == "finished"


def test_a_nan_loss_stops_the_run_without_saving_poisoned_weights(tmp_path, monkeypatch):
    model = register_failing(monkeypatch)
    out = tmp_path / "r"
    monkeypatch.setenv("TEST_FAIL_AT", "6")
    monkeypatch.setenv("TEST_FAIL_WITH", "nan")
    sink = ListSink()
    from engine.training.trainer import train

    with pytest.raises(TrainingError, match="--lr"):
        train(request(out, model=model, steps=20, checkpoint_every=3, log_every=5), sinks=[sink])
    error = sink.events[-1]
    assert error["kind"] == "diverged" and error["resumable"] and error["step"] == 6
    assert [c.step for c in list_checkpoints(out)] == [3]        # step 6 (NaN weights) was never saved
    assert all(e["loss"] is not None for e in sink.of("step"))
