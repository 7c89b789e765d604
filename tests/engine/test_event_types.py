"""The typed training events: every line a real `mlsp train --json` prints parses into its record,
and record → dict → strict JSON → record gives back the same record and the very same line; a line
that breaks the schema raises one clear MalformedEvent."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from engine.errors import MlspError
from engine.training.event_types import (
    CheckpointEvent,
    EndEvent,
    ErrorEvent,
    EvalEvent,
    MalformedEvent,
    StartEvent,
    StepEvent,
    event_dict,
    parse_event,
)
from engine.training.events import dumps
from engine.training.runs import read_metrics


def _train(*args: str, out) -> subprocess.CompletedProcess:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MLSP_HOME": str(out.parent / "home")}
    return subprocess.run([sys.executable, "-m", "engine.cli", "train", "toy-mlp", "--json", "--out", str(out),
                           "--device", "cpu", *args], capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("events") / "run"
    proc = _train("--steps", "6", "--log-every", "2", "--checkpoint-every", "3", "--set", "hidden=8", out=out)
    assert proc.returncode == 0, proc.stderr
    return out, [json.loads(line) for line in proc.stdout.splitlines()]


def _round_trip(raw: dict):
    ev = parse_event(raw)
    line = dumps(event_dict(ev))
    assert json.loads(line) == raw                 # nothing lost, nothing added
    assert parse_event(json.loads(line)) == ev
    return ev


def test_every_event_of_a_real_run_parses_and_round_trips(run):
    out, lines = run
    events = [_round_trip(raw) for raw in lines]
    kinds = [type(e) for e in events]
    assert kinds[0] is StartEvent and kinds[-1] is EndEvent
    assert {StepEvent, EvalEvent, CheckpointEvent} <= set(kinds)
    start, end = events[0], events[-1]
    assert start.run == str(out.resolve()) and start.model == "toy-mlp" and start.total_steps == 6
    assert start.config["task"]["hidden"] == 8 and not start.resumed and start.extra == {}
    steps = [e for e in events if isinstance(e, StepEvent)]
    assert [e.step for e in steps] == [raw["step"] for raw in lines if raw["event"] == "step"]
    assert all(isinstance(e.loss, float) and e.unit == "samples/s" for e in steps)
    ckpts = [e for e in events if isinstance(e, CheckpointEvent)]
    assert [(e.step, os.path.isdir(e.path)) for e in ckpts] == [(3, True), (6, True)]
    assert end.reason == "finished" and end.step == 6 and end.checkpoint == ckpts[-1].path
    assert set(end.metrics) >= {"loss", "val_mse"}
    for raw in read_metrics(out):                  # the run's metrics.jsonl holds the same events
        assert isinstance(_round_trip(raw), (StepEvent, EvalEvent))


def test_the_error_event_of_a_refused_run_parses(tmp_path):
    proc = _train("--steps", "4", "--set", "no_such_field=1", out=tmp_path / "bad")
    assert proc.returncode == 2
    (raw,) = [json.loads(line) for line in proc.stdout.splitlines()]
    ev = _round_trip(raw)
    assert isinstance(ev, ErrorEvent) and ev.error_kind == "config" and ev.step == 0 and not ev.resumable
    assert "no_such_field" in ev.message and ev.checkpoint is None


def test_missing_keys_get_defaults_and_unknown_keys_are_kept():
    ev = parse_event({"event": "step", "step": 7, "loss": None, "gpu_temp": 61})
    assert ev == StepEvent(step=7, extra={"gpu_temp": 61})
    assert ev.total_steps == 0 and ev.metrics == {} and ev.eta is None
    assert event_dict(ev)["gpu_temp"] == 61
    assert parse_event({"event": "end"}) == EndEvent()
    assert parse_event({"event": "error", "kind": "oom", "message": "out of memory."}).error_kind == "oom"


@pytest.mark.parametrize("raw, words", [
    (["step"], "JSON object"),
    ({"step": 1}, "unknown training event None"),
    ({"event": "epoch", "step": 1}, "unknown training event 'epoch'"),
    ({"event": "step", "loss": 0.1}, "has no 'step'"),
    ({"event": "checkpoint", "step": 3}, "has no 'path'"),
    ({"event": "step", "step": "3"}, "'step' should be an integer"),
    ({"event": "step", "step": 2.5}, "'step' should be an integer"),
    ({"event": "start", "resumed": "yes"}, "'resumed' should be true or false"),
    ({"event": "eval", "step": 1, "metrics": {"acc": "high"}}, "'metrics' should be an object of numbers"),
])
def test_a_malformed_line_raises_one_clear_error(raw, words):
    with pytest.raises(MalformedEvent) as caught:
        parse_event(raw)
    assert isinstance(caught.value, MlspError) and words in str(caught.value)
