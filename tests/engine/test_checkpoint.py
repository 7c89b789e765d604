"""Checkpoint files: no pickle, exact round trip of optimizer/RNG state, atomic commit, rotation."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import torch
from safetensors.torch import load_file

from engine.training import rng
from engine.training.checkpoint import (
    clean_incomplete,
    list_checkpoints,
    load_checkpoint,
    newest_checkpoint,
    read_checkpoint_meta,
    rotate,
    write_checkpoint,
)
from engine.training.tensor_tree import flatten, unflatten


def _trained_adamw():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 2))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2, betas=(0.8, 0.95))
    for _ in range(3):
        model(torch.randn(5, 4)).pow(2).mean().backward()
        opt.step()
        opt.zero_grad()
    return model, opt


def test_optimizer_state_round_trips_through_json_and_safetensors(tmp_path):
    """A restored AdamW takes exactly the same next step as the original."""
    model, opt = _trained_adamw()
    tensors: dict = {}
    skeleton = json.loads(json.dumps(flatten(opt.state_dict(), "optim", tensors)))
    path = write_checkpoint(tmp_path, 3, model.state_dict(), {"optimizer": skeleton}, tensors)
    data = load_checkpoint(path)

    clone = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 2))
    clone.load_state_dict(data.model)
    opt2 = torch.optim.AdamW(clone.parameters(), lr=1.0)
    opt2.load_state_dict(unflatten(data.state["optimizer"], data.tensors))
    assert opt2.param_groups[0]["lr"] == 1e-2 and tuple(opt2.param_groups[0]["betas"]) == (0.8, 0.95)
    x = torch.randn(5, 4)
    for m, o in ((model, opt), (clone, opt2)):
        m(x).pow(2).mean().backward()
        o.step()
    for a, b in zip(model.parameters(), clone.parameters()):
        assert torch.equal(a, b)


def test_checkpoint_folder_holds_no_pickle(tmp_path):
    model, opt = _trained_adamw()
    tensors: dict = {}
    state = {"optimizer": flatten(opt.state_dict(), "optim", tensors), "rng": rng.capture(tensors)}
    path = write_checkpoint(tmp_path, 5, model.state_dict(), state, tensors, meta={"vocab": ["a", "b"]},
                            extra=lambda folder: (folder / "vocab.txt").write_text("a\nb\n"))
    names = sorted(p.name for p in path.iterdir())
    assert names == ["meta.json", "model.safetensors", "state.json", "state.safetensors", "vocab.txt"]
    for name in ("meta.json", "state.json"):
        json.loads((path / name).read_text())
    for name in ("model.safetensors", "state.safetensors"):
        load_file(str(path / name))
        assert (path / name).read_bytes()[8:9] == b"{"        # safetensors: length + JSON header, no pickle
    assert read_checkpoint_meta(path) == {"vocab": ["a", "b"]}
    assert read_checkpoint_meta(tmp_path) == {"vocab": ["a", "b"]}          # a run folder: its newest


def test_rng_states_round_trip(tmp_path):
    import random

    import numpy as np

    tensors: dict = {}
    skeleton = json.loads(json.dumps(rng.capture(tensors)))
    path = write_checkpoint(tmp_path, 1, {"w": torch.zeros(1)}, {"rng": skeleton}, tensors)
    expected = (random.random(), float(np.random.rand()), float(torch.rand(1)))
    data = load_checkpoint(path)
    rng.restore(data.state["rng"], data.tensors)
    assert (random.random(), float(np.random.rand()), float(torch.rand(1))) == expected


def test_incomplete_checkpoints_are_ignored_and_cleaned(tmp_path):
    run = tmp_path
    write_checkpoint(run, 10, {"w": torch.ones(2)}, {"step": 10}, {})
    root = run / "checkpoints"
    (root / ".tmp-step-00000020-1-2").mkdir()
    (root / ".tmp-step-00000020-1-2" / "model.safetensors").write_bytes(b"half")
    (root / "step-00000030").mkdir()                     # no state.json: never committed
    (root / "notes").mkdir()
    assert [c.step for c in list_checkpoints(run)] == [10]
    assert newest_checkpoint(run) == root / "step-00000010"
    assert clean_incomplete(run) == 1
    assert not (root / ".tmp-step-00000020-1-2").exists()


def test_rotation_keeps_the_newest(tmp_path):
    for step in (5, 10, 15, 20, 25):
        write_checkpoint(tmp_path, step, {"w": torch.full((2,), float(step))}, {"step": step}, {})
        rotate(tmp_path, 3)
    assert [c.step for c in list_checkpoints(tmp_path)] == [15, 20, 25]
    assert load_checkpoint(newest_checkpoint(tmp_path)).model["w"].tolist() == [25.0, 25.0]


def test_a_failed_write_leaves_the_previous_checkpoint(tmp_path, monkeypatch):
    write_checkpoint(tmp_path, 10, {"w": torch.ones(2)}, {"step": 10}, {})
    monkeypatch.setenv("MLSP_CKPT_FAULT", "enospc@20")
    with pytest.raises(OSError) as info:
        write_checkpoint(tmp_path, 20, {"w": torch.zeros(2)}, {"step": 20}, {})
    assert info.value.errno == 28
    assert [c.step for c in list_checkpoints(tmp_path)] == [10]
    assert sorted(p.name for p in (tmp_path / "checkpoints").iterdir()) == ["step-00000010"]


def test_sigkill_in_the_middle_of_a_write_leaves_no_checkpoint(tmp_path):
    """A real process killed (SIGKILL) halfway through writing: readers never see it."""
    code = ("import torch; from engine.training.checkpoint import write_checkpoint as w; import sys; "
            "p=sys.argv[1]; w(p, 10, {'w': torch.ones(3)}, {'step': 10}, {}); "
            "w(p, 20, {'w': torch.zeros(3)}, {'step': 20}, {})")
    env = dict(os.environ, MLSP_CKPT_FAULT="crash@20")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], env=env, capture_output=True, timeout=120)
    assert proc.returncode == -9
    leftovers = [p.name for p in (tmp_path / "checkpoints").iterdir() if p.name.startswith(".tmp-step-00000020")]
    assert len(leftovers) == 1                           # the half-written folder is there...
    assert [c.step for c in list_checkpoints(tmp_path)] == [10]     # ...and ignored
    assert load_checkpoint(newest_checkpoint(tmp_path)).model["w"].tolist() == [1.0, 1.0, 1.0]
