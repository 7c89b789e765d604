"""`mlsp train bert-mini` / `mlsp train gpt-mini --nproc 2` on a user's text file, then
`mlsp fill-mask` and `mlsp generate` on the runs, as real processes: strict JSON of the documented
shape, the same seed gives the same text, bad input exits 2 with one line on stderr."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e

TINY = ["--device", "cpu", "--steps", "3", "--batch-size", "8", "--set", "d_model=32", "--set", "n_layers=1",
        "--set", "d_ff=64", "--set", "vocab_size=300", "--json"]


def _mlsp(*args: str, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "engine.cli", *args], capture_output=True, text=True, timeout=300,
                          env=env)
    if check:
        assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    return {**os.environ, "MLSP_HOME": str(home), "MLSP_RUNS": str(home / "runs"), "OMP_NUM_THREADS": "1"}


@pytest.fixture(scope="module")
def text(tmp_path_factory):
    from engine.data.corpora import resolve_data

    path = tmp_path_factory.mktemp("text") / "story.txt"
    path.write_text("\n".join(resolve_data("builtin:grammar-small").lines[:400]) + "\n", encoding="utf-8")
    return path


def _events(proc) -> list[dict]:
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def test_bert_mini_trains_on_a_text_file_and_fills_masks(env, text, tmp_path):
    run = tmp_path / "bert"
    events = _events(_mlsp("train", "bert-mini", "--data", str(text), "--out", str(run), *TINY,
                           "--set", "eval_sentences=20", env=env))
    assert events[-1]["event"] == "end" and events[-1]["reason"] == "finished"
    assert any(e["event"] == "eval" and "content_word_top1" in e.get("metrics", e) for e in events)
    out = json.loads(_mlsp("fill-mask", str(run), "the king [MASK] in the [MASK]", "--top-k", "3", "--json",
                           env=env).stdout)
    assert len(out["predictions"]) == 2
    for row in out["predictions"]:
        probs = [p["prob"] for p in row]
        assert len(row) == 3 and probs == sorted(probs, reverse=True) and 0 < sum(probs) <= 1 + 1e-6
        assert all(isinstance(p["token"], str) for p in row)
    score = json.loads(_mlsp("lm-eval", str(run), "--data", str(text), "--sentences", "10", "--json", env=env).stdout)
    assert 0 <= score["content_word_top1"] <= 1 and score["words"] > 0
    bad = _mlsp("fill-mask", str(run), "no mask here", env=env, check=False)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "[MASK]" in bad.stderr


def test_gpt_mini_trains_in_two_processes_and_generates_reproducibly(env, text, tmp_path):
    run = tmp_path / "gpt"
    proc = _mlsp("train", "gpt-mini", "--data", str(text), "--out", str(run), "--nproc", "2", *TINY,
                 "--set", "context=32", "--set", "eval_tokens=500", env=env)
    events = _events(proc)
    assert events[0]["world_size"] == 2 and events[-1]["reason"] == "finished"
    args = ["generate", str(run), "the queen", "--max-new-tokens", "6", "--top-k", "20", "--top-p", "0.95",
            "--temperature", "0.8", "--seed", "7", "--no-stop", "--json"]
    first, again = (json.loads(_mlsp(*args, env=env).stdout) for _ in range(2))
    assert first == again
    assert first["text"].startswith("the queen") and len(first["tokens"]) == len(first["token_probs"]) == 6
    assert all(0 < p <= 1 for p in first["token_probs"])
    greedy = json.loads(_mlsp("generate", str(run), "the queen", "--temperature", "0", "--json", env=env).stdout)
    assert greedy["greedy"] and "greedy" in greedy["note"].lower()
    bad = _mlsp("generate", str(run), "the [MASK] sleeps", env=env, check=False)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "fill-mask" in bad.stderr
