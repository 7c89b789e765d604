"""Start-up of `mlsp train` (issue 13, defect 12): a word2vec run does not import torch._dynamo
(lazy_dynamo marks the optimizer's dynamo-disabled methods as resolved) and gives bit-identical
results to a run that imports it; the process ends quickly after `train` without losing output."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import torch
from safetensors.torch import load_file

CHILD = r"""
import sys
from engine.cli import exit_process, main
rc = main(sys.argv[1:])
print("DYNAMO", "torch._dynamo" in sys.modules, file=sys.stderr)
exit_process(rc)
"""


def _train(tmp: Path, name: str, import_dynamo: bool) -> tuple[list[dict], str, Path]:
    out = tmp / name
    env = dict(os.environ, MLSP_IMPORT_DYNAMO="1" if import_dynamo else "0")
    argv = ["train", "word2vec", "--data", "builtin:grammar-small", "--out", str(out), "--steps", "6",
            "--checkpoint-every", "3", "--json", "--device", "cpu"]
    done = subprocess.run([sys.executable, "-c", CHILD, *argv], capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()], done.stderr, out


def test_word2vec_trains_without_dynamo_and_identically(tmp_path):
    lazy, lazy_err, lazy_run = _train(tmp_path, "lazy", import_dynamo=False)
    eager, eager_err, eager_run = _train(tmp_path, "eager", import_dynamo=True)
    assert "DYNAMO False" in lazy_err and "DYNAMO True" not in lazy_err
    assert lazy[-1]["event"] == "end" and lazy[-1]["step"] == 6                 # nothing lost by the quick exit
    assert [e["loss"] for e in lazy if e["event"] == "step"] == [e["loss"] for e in eager if e["event"] == "step"]
    for ckpt in ("step-00000003", "step-00000006"):
        tensors = sorted((lazy_run / "checkpoints" / ckpt).glob("*.safetensors"))
        assert {f.name for f in tensors} == {"model.safetensors", "state.safetensors"}, ckpt
        for f in tensors:                         # the weights and the optimizer's state, bit for bit
            _same(load_file(f), load_file(eager_run / "checkpoints" / ckpt / f.name))
    assert json.loads((lazy_run / "status.json").read_text())["status"] == "finished"


def _same(a, b) -> None:
    if isinstance(a, torch.Tensor):
        assert torch.equal(a, b)
    elif isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            if k not in ("time", "created", "elapsed", "run_dir", "wall_time"):
                _same(a[k], b[k])
    elif isinstance(a, list | tuple):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _same(x, y)
