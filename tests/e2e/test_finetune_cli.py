"""`mlsp finetune` as a real process: an ordinary run of the trainer (run folder, checkpoints with the
tokenizer and meta.json, status), SIGTERM stops it with a checkpoint and --resume finishes it with
the uninterrupted run's losses; --from-scratch; a bad task is one line and exit 2."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine.training.runs import list_checkpoints, read_metrics, read_run_config, read_status

pytestmark = pytest.mark.e2e

ARGS = ["--task", "topic", "--labels", "20", "--steps", "20", "--device", "cpu", "--json"]
ENV = {**os.environ, "OMP_NUM_THREADS": "1"}


def finetune(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine.cli", "finetune", *args], capture_output=True, text=True,
                          env={**ENV, **(env or {})}, timeout=600)


def losses(run: Path) -> list[float]:
    recs = [r for r in read_metrics(run) if r["event"] == "step"]
    assert [r["step"] for r in recs] == list(range(1, len(recs) + 1))
    return [r["loss"] for r in recs]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("ft") / "run"
    res = finetune("bert-mini", *ARGS, "--out", str(out))
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout), out


def test_finetune_writes_a_run_folder_and_the_json(reference):
    result, out = reference
    assert result["run"] == str(out) and result["reason"] == "finished" and result["step"] == 20
    assert result["labels"] == 20 and result["init"] == "pretrained" and result["task"] == "topic"
    assert result["seed"] == 0 and result["test_size"] == 600 and "royal" in result["classes"]
    assert 0.0 <= result["accuracy"] <= 1.0
    config = read_run_config(out)
    assert config["model"] == "finetune" and config["task"]["base"] == "bert-mini" and config["task"]["labels"] == 20
    assert read_status(out)["status"] == "finished"
    ckpts = list_checkpoints(out)
    assert ckpts and ckpts[-1].step == 20
    newest = ckpts[-1].path
    meta = json.loads((newest / "meta.json").read_text(encoding="utf-8"))
    assert meta["family"] == "finetune" and meta["classes"] == result["classes"] and meta["base_type"] == "bert-mini"
    assert (newest / "tokenizer.json").is_file()
    evals = [r for r in read_metrics(out) if r["event"] == "eval"]
    assert evals and evals[-1]["metrics"]["test_accuracy"] == pytest.approx(result["accuracy"])


def test_the_run_folder_loads_as_a_classifier(reference):
    from engine.zoo import load_model

    result, out = reference
    model = load_model(str(out), "cpu")
    probs = model.classify(["the king lives in the castle", "the cow eats the grass"])
    assert len(probs) == 2 and set(probs[0]) == set(result["classes"])
    assert sum(probs[0].values()) == pytest.approx(1.0, abs=1e-4)


def test_sigterm_then_resume_finishes_with_the_uninterrupted_losses(tmp_path, reference):
    _result, ref_run = reference
    out = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-m", "engine.cli", "finetune", "bert-mini", *ARGS, "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if (out / "metrics.jsonl").is_file() and any(r["event"] == "step" for r in read_metrics(out)):
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    stopped = json.loads(stdout)
    assert stopped["reason"] == "stopped" and 1 <= stopped["step"] < 20, stopped
    assert read_status(out)["status"] == "stopped" and list_checkpoints(out)[-1].step == stopped["step"]
    res = finetune("bert-mini", "--task", "topic", "--out", str(out), "--resume", "--json")
    assert res.returncode == 0, res.stderr
    done = json.loads(res.stdout)
    assert done["reason"] == "finished" and done["step"] == 20 and done["labels"] == 20
    assert losses(out) == pytest.approx(losses(ref_run), rel=1e-5)
    assert done["accuracy"] == pytest.approx(reference[0]["accuracy"])


def test_from_scratch_and_a_bad_task(tmp_path):
    res = finetune("bert-mini", "--task", "topic", "--labels", "16", "--steps", "2", "--from-scratch", "--json",
                   "--out", str(tmp_path / "scratch"))
    assert res.returncode == 0, res.stderr
    result = json.loads(res.stdout)
    assert result["init"] == "scratch" and result["labels"] == 16
    assert read_run_config(tmp_path / "scratch")["task"]["init"] == "scratch"
    bad = finetune("bert-mini", "--task", "no-such-task", "--out", str(tmp_path / "bad"))
    assert bad.returncode == 2 and bad.stdout == ""
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1 and "no task 'no-such-task'" in lines[0]
    assert not (tmp_path / "bad").exists()
