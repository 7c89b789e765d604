"""The trainer on toy-mlp, in-process: run folder, learning, schedule, accumulation, stop/resume."""
from __future__ import annotations

import json
import math

import pytest
import torch
from trainer_helpers import ListSink, StopAt, one_thread, request, run, step_losses  # noqa: F401 (one_thread: a fixture)

from engine.training.runs import list_checkpoints, list_runs, load_model_weights, read_metrics, read_run_config

pytestmark = pytest.mark.usefixtures("one_thread")


def test_run_folder_events_and_learning(tmp_path):
    out = tmp_path / "run"
    result, sink = run(out, steps=40, lr=3e-3, sets=("hidden=32", "items=512", "window=16", "dropout=0"))
    kinds = [e["event"] for e in sink.events]
    assert kinds[0] == "start" and kinds[-1] == "end" and "error" not in kinds
    start, end = sink.events[0], sink.events[-1]
    assert start["total_steps"] == 40 and start["model"] == "toy-mlp" and start["device"] == "cpu"
    assert start["run"] == str(out.resolve()) and start["config"]["model"] == "toy-mlp"
    assert end["reason"] == "finished" and end["step"] == 40 == result.step

    cfg = read_run_config(out)
    assert cfg["model"] == "toy-mlp" and cfg["data"] == "builtin:sines" and cfg["seed"] == 0
    assert cfg["task"]["hidden"] == 32 and cfg["hparams"]["lr"] == 3e-3 and cfg["versions"]["torch"] == torch.__version__

    steps = [e for e in sink.of("step")]
    assert [e["step"] for e in steps] == list(range(1, 41))
    for key in ("step", "total_steps", "epoch", "loss", "lr", "throughput", "unit", "elapsed", "eta"):
        assert key in steps[-1], key
    assert steps[-1]["unit"] == "samples/s" and steps[-1]["throughput"] > 0
    # metrics.jsonl holds exactly the step and eval events, strict JSON
    assert [r["step"] for r in read_metrics(out) if r["event"] == "step"] == list(range(1, 41))
    first = sum(e["loss"] for e in steps[:5]) / 5
    last = sum(e["loss"] for e in steps[-5:]) / 5
    assert last < 0.8 * first
    evals = sink.of("eval")
    assert evals and evals[-1]["step"] == 40 and evals[-1]["metrics"]["val_mse"] < first

    # checkpoints: 10, 20, 30, 40 written; newest 3 kept; the end event names the newest
    assert [c.step for c in list_checkpoints(out)] == [20, 30, 40]
    assert [e["step"] for e in sink.of("checkpoint")] == [10, 20, 30, 40]
    assert end["checkpoint"] == str(list_checkpoints(out)[-1].path.resolve())

    summary = list_runs(tmp_path)[0]
    assert summary.status == "finished" and summary.step == 40 and summary.checkpoints == 3
    assert summary.final_metrics["loss"] == pytest.approx(steps[-1]["loss"])
    assert summary.final_metrics["val_mse"] == pytest.approx(evals[-1]["metrics"]["val_mse"])
    assert summary.final_metrics == end["metrics"]


def test_mlsp_runs_lists_the_runs(tmp_path, capsys):
    from engine.cli import main as cli_main

    _, sink = run(tmp_path / "a", steps=10)
    assert cli_main(["runs", str(tmp_path), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["runs"]
    assert [r["name"] for r in listed] == ["a"]
    assert listed[0]["status"] == "finished" and listed[0]["step"] == 10 and listed[0]["total_steps"] == 10
    assert listed[0]["final_metrics"] == sink.events[-1]["metrics"]
    assert cli_main(["runs", str(tmp_path / "a"), "--json"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert [c["step"] for c in one["checkpoints_list"]] == [c.step for c in list_checkpoints(tmp_path / "a")]


def test_saved_weights_reproduce_the_evaluation(tmp_path):
    """The newest checkpoint, loaded through the registry, gives the last evaluation exactly."""
    from engine.tasks.toy_mlp import ToyTask
    from engine.zoo import load_model

    out = tmp_path / "run"
    _, sink = run(out, steps=20)
    loaded = load_model(str(out), "cpu")
    assert set(load_model_weights(out)) == set(loaded.module.state_dict())
    metrics = ToyTask(loaded.config, None).evaluate(loaded.module)
    assert metrics["val_mse"] == pytest.approx(sink.of("eval")[-1]["metrics"]["val_mse"], rel=1e-6)


def test_warmup_then_cosine_matches_torch_schedulers(tmp_path):
    """lr of each step: linear warm-up, then torch's CosineAnnealingLR with eta_min = lr * min_ratio."""
    _, sink = run(tmp_path / "run", steps=30, lr=0.01, warmup_steps=5)
    lrs = [e["lr"] for e in sink.of("step")]
    assert lrs[:5] == pytest.approx([0.01 * (i + 1) / 5 for i in range(5)])
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.01)
    cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=25, eta_min=0.001)
    ref = []
    for _ in range(25):
        ref.append(opt.param_groups[0]["lr"])
        opt.step()
        cos.step()
    assert lrs[5:] == pytest.approx(ref, rel=1e-9)


def test_gradient_accumulation_equals_the_full_batch(tmp_path):
    """Same global batch split into 4 micro-batches: same losses and same weights."""
    sets = ("hidden=16", "items=256", "window=16", "dropout=0", "gain_jitter=0")
    _, full = run(tmp_path / "full", steps=12, sets=sets)
    _, accum = run(tmp_path / "accum", steps=12, sets=sets, grad_accum=4)
    a, b = step_losses(full.events), step_losses(accum.events)
    assert list(a) == list(b)
    assert [a[k] for k in a] == pytest.approx([b[k] for k in b], rel=1e-5)
    wa, wb = load_model_weights(tmp_path / "full"), load_model_weights(tmp_path / "accum")
    for name in wa:
        torch.testing.assert_close(wa[name], wb[name], rtol=1e-5, atol=1e-6)


def test_stop_flag_checkpoints_and_resume_reproduces_losses(tmp_path):
    """should_stop after step 13 -> checkpoint 13, end "stopped"; --resume gives the same losses."""
    from engine.training.trainer import train

    _, ref = run(tmp_path / "ref", steps=30)
    first = ListSink()
    result = train(request(tmp_path / "b", steps=30), sinks=[first], callbacks=[StopAt(13)])
    assert result.reason == "stopped" and result.step == 13
    assert first.of("checkpoint")[-1]["reason"] == "stop" and first.events[-1]["reason"] == "stopped"
    assert list_checkpoints(tmp_path / "b")[-1].step == 13

    second = ListSink()
    train(request(tmp_path / "b", steps=30, resume=True), sinks=[second])
    start = second.of("start")[0]
    assert start["resumed"] and start["start_step"] == 13
    assert {**step_losses(first.events), **step_losses(second.events)} == step_losses(ref.events)
    merged = [r["loss"] for r in read_metrics(tmp_path / "b") if r["event"] == "step"]
    assert merged == [r["loss"] for r in read_metrics(tmp_path / "ref") if r["event"] == "step"]


def test_epochs_and_set_types(tmp_path):
    """--epochs: total steps from the data size; --set converts by the dataclass annotations."""
    result, sink = run(tmp_path / "run", epochs=2, sets=("hidden=8", "items=160", "window=8", "dropout=0.25"))
    assert sink.events[0]["steps_per_epoch"] == 10 and result.total_steps == 20
    task = read_run_config(tmp_path / "run")["task"]
    assert task["hidden"] == 8 and isinstance(task["hidden"], int) and task["dropout"] == 0.25
    assert sorted({e["epoch"] for e in sink.of("step")}) == [0, 1]
    assert all(math.isfinite(e["loss"]) for e in sink.of("step"))
    json.dumps(sink.events, allow_nan=False)
