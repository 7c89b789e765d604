"""Shared by the trainer tests: run toy-mlp in-process, collect its events, a task that fails."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from engine.tasks.toy_mlp import ToyTask
from engine.training.loop import Callback
from engine.training.setup import TrainRequest

SMALL = ("hidden=16", "items=256", "window=16")


@pytest.fixture(autouse=False)
def one_thread():
    """torch on one thread for the test (two threads on a busy 2-core machine wait on each other)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


class ListSink:
    """Keeps every event, in order."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def emit(self, event: dict[str, Any]) -> None:
        self.events.append(event)

    def close(self) -> None:
        return None

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["event"] == kind]


def request(out: Path, model: str = "toy-mlp", sets: tuple[str, ...] = SMALL, resume: bool = False,
            **flags: Any) -> TrainRequest:
    base = {"steps": 30, "batch_size": 16, "log_every": 1, "checkpoint_every": 10}
    if "epochs" in flags:
        base.pop("steps")
    base.update(flags)
    return TrainRequest(model=model, out=Path(out), resume=resume, device="cpu", flags=base, sets=sets,
                        progress=False)


def run(out: Path, **kw: Any):
    """(TrainResult, ListSink) of one in-process run."""
    from engine.training.trainer import train

    sink = ListSink()
    result = train(request(out, **kw), sinks=[sink])
    return result, sink


class StopAt(Callback):
    """Asks the loop to stop after step `step` (a checkpoint, then end "stopped")."""

    def __init__(self, step: int) -> None:
        self.step = step

    def on_step_end(self, loop, record) -> None:
        if record.step == self.step:
            loop.should_stop = True


def step_losses(events: list[dict[str, Any]]) -> dict[int, float]:
    return {e["step"]: e["loss"] for e in events if e.get("event") == "step"}


class FailingTask(ToyTask):
    """toy-mlp whose loss fails at the N-th call (env TEST_FAIL_AT=N, TEST_FAIL_WITH=oom|value|nan)."""

    name = "test-failing"

    def __init__(self, config, data) -> None:
        super().__init__(config, data)
        self.calls = 0

    def loss(self, model, batch, generator):
        import torch

        self.calls += 1
        if self.calls == int(os.environ.get("TEST_FAIL_AT", "0")):
            if os.environ.get("TEST_FAIL_WITH") == "oom":
                raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
            if os.environ.get("TEST_FAIL_WITH") == "nan":
                out = super().loss(model, batch, generator)
                return type(out)(loss=out.loss * float("nan"), items=out.items)
            raise ValueError("the batch had a shape the model did not expect")
        return super().loss(model, batch, generator)


def register_failing(monkeypatch) -> str:
    """Add `test-failing` to the registry for this test only."""
    import engine.contract.registry as reg
    from engine.contract.spec import ModelSpec

    reg.registry()
    spec = ModelSpec(id="test-failing", title="failing toy", capabilities={"train"}, inputs=("signal",),
                     outputs=("signal",), source="builtin",
                     description="test only", loader="engine.loaders.toy_mlp:load_toy",
                     config="engine.models.toy_mlp:ToyConfig", task="trainer_helpers:FailingTask",
                     default_data="builtin:sines")
    monkeypatch.setitem(reg._REGISTRY, spec.id, spec)
    return spec.id
