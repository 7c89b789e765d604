"""`mlsp train` as a real process: kill -9 between saves and in the middle of a save, then
--resume reproduces the uninterrupted run's per-step losses exactly; SIGTERM stops cleanly."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine.training.runs import list_checkpoints, read_metrics, read_status

pytestmark = pytest.mark.e2e

ARGS = ["--device", "cpu", "--steps", "40", "--batch-size", "16", "--checkpoint-every", "10", "--log-every", "1",
        "--set", "hidden=16", "--set", "items=256", "--set", "window=16", "--json"]


def start(out: Path, *extra: str, env: dict | None = None) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "engine.cli", "train", "toy-mlp", "--out", str(out), *ARGS, *extra]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "OMP_NUM_THREADS": "1", **(env or {})})


def read_until(proc: subprocess.Popen, predicate) -> list[dict]:
    """Events from the process until one satisfies `predicate` (or the stream ends)."""
    events = []
    for line in proc.stdout:
        events.append(json.loads(line))
        if predicate(events[-1]):
            break
    return events


def finish(proc: subprocess.Popen) -> list[dict]:
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return [json.loads(line) for line in out.splitlines()]


def losses(run: Path) -> list[float]:
    recs = [r for r in read_metrics(run) if r["event"] == "step"]
    assert [r["step"] for r in recs] == list(range(1, len(recs) + 1))
    return [r["loss"] for r in recs]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> list[float]:
    out = tmp_path_factory.mktemp("ref") / "run"
    events = finish(start(out))
    assert events[-1]["event"] == "end" and events[-1]["reason"] == "finished"
    return losses(out)


def test_kill_between_saves_then_resume_is_exact(tmp_path, reference):
    out = tmp_path / "run"
    proc = start(out, env={"MLSP_CKPT_FAULT": "sleep:120@40"})     # never lets it finish before the kill
    read_until(proc, lambda e: e["event"] == "step" and e["step"] >= 25)
    proc.kill()
    proc.wait()
    newest = list_checkpoints(out)[-1].step
    assert newest in (20, 30) and read_status(out)["status"] == "interrupted"
    events = finish(start(out, "--resume"))
    assert events[0]["event"] == "start" and events[0]["resumed"] and events[0]["start_step"] == newest
    assert events[-1]["reason"] == "finished"
    assert losses(out) == reference                     # exactly, every step 1..40


def test_kill_in_the_middle_of_a_save_then_resume_is_exact(tmp_path, reference):
    out = tmp_path / "run"
    proc = start(out, env={"MLSP_CKPT_FAULT": "sleep:120@20"})     # the step-20 save stalls halfway
    read_until(proc, lambda e: e["event"] == "step" and e["step"] == 20)
    root = out / "checkpoints"
    deadline = time.monotonic() + 60
    while not any((p / "model.safetensors").exists() for p in root.glob(".tmp-step-00000020*")):
        assert time.monotonic() < deadline, "the step-20 checkpoint write never started"
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    assert [c.step for c in list_checkpoints(out)] == [10]         # the half-written one is ignored
    events = finish(start(out, "--resume"))
    assert events[0]["start_step"] == 10
    assert not list(root.glob(".tmp-*"))
    assert losses(out) == reference


def test_sigterm_checkpoints_and_stops(tmp_path):
    out = tmp_path / "run"
    proc = start(out, "--steps", "100000")
    read_until(proc, lambda e: e["event"] == "step" and e["step"] >= 15)
    proc.send_signal(signal.SIGTERM)
    events = finish(proc)
    end = events[-1]
    assert end["event"] == "end" and end["reason"] == "stopped" and end["step"] < 100000
    saved = [e for e in events if e["event"] == "checkpoint"][-1]
    assert saved["reason"] in ("stop", "periodic") and saved["step"] == end["step"]
    assert end["checkpoint"] == saved["path"]
    assert list_checkpoints(out)[-1].step == end["step"]
    assert read_status(out)["status"] == "stopped"
