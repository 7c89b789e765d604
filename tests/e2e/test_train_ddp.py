"""Two CPU processes under torchrun (DDP, gloo) train like one process with the same global batch."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import torch

from engine.training.runs import list_checkpoints, load_model_weights, read_metrics, read_run_config

pytestmark = pytest.mark.e2e

ARGS = ["train", "toy-mlp", "--device", "cpu", "--steps", "12", "--batch-size", "16", "--log-every", "1",
        "--checkpoint-every", "5", "--set", "hidden=16", "--set", "items=256", "--set", "window=16",
        "--set", "dropout=0", "--set", "gain_jitter=0", "--json"]


def test_two_processes_match_one(tmp_path):
    runs = tmp_path / "runs"
    env = {**os.environ, "MLSP_RUNS": str(runs), "OMP_NUM_THREADS": "1"}
    ddp = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
                          "-m", "engine.cli", *ARGS], capture_output=True, text=True, env=env, timeout=300)
    assert ddp.returncode == 0, ddp.stderr[-3000:]
    single_dir = tmp_path / "single"
    single = subprocess.run([sys.executable, "-m", "engine.cli", *ARGS, "--out", str(single_dir)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert single.returncode == 0, single.stderr[-3000:]

    events = [json.loads(line) for line in ddp.stdout.splitlines()]
    assert [e["event"] for e in events].count("start") == 1            # rank 0 alone speaks
    assert events[0]["world_size"] == 2 and events[-1]["reason"] == "finished"
    folders = [p for p in runs.iterdir()]
    assert len(folders) == 1                                            # both ranks agreed on one run folder
    ddp_dir = folders[0]
    assert read_run_config(ddp_dir)["world_size"] == 2
    assert [c.step for c in list_checkpoints(ddp_dir)] == [5, 10, 12]

    a = [r["loss"] for r in read_metrics(ddp_dir) if r["event"] == "step"]
    b = [r["loss"] for r in read_metrics(single_dir) if r["event"] == "step"]
    assert len(a) == len(b) == 12
    assert max(abs(x - y) for x, y in zip(a, b)) < 1e-5
    wa, wb = load_model_weights(ddp_dir), load_model_weights(single_dir)
    for name in wa:
        torch.testing.assert_close(wa[name], wb[name], rtol=1e-4, atol=1e-5)


def test_nproc_launcher_passes_the_same_command_to_each_worker():
    """`mlsp train --nproc N` re-runs the parsed command under torchrun: the workers parse the same
    hyper-parameters, config overrides and run folder, and the rendezvous is on loopback."""
    from engine.cli import build_parser
    from engine.cli.commands.train import HPARAM_FLAGS, _argv_for_workers
    from engine.training.distributed import torchrun_command

    parser = build_parser()
    args = parser.parse_args(ARGS + ["--lr", "0.002", "--grad-accum", "2", "--resume", "--nproc", "2"])
    worker = parser.parse_args(_argv_for_workers(args, "/tmp/run-x"))
    for flag in HPARAM_FLAGS:
        assert getattr(worker, flag) == getattr(args, flag), flag
    assert worker.set == args.set and worker.resume and worker.json and worker.out == "/tmp/run-x"
    assert worker.nproc is None
    cmd = torchrun_command(2, ["train", "toy-mlp"])
    assert "127.0.0.1:0" in cmd and cmd[cmd.index("--nproc_per_node") + 1] == "2"
