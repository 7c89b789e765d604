"""Loop callbacks that turn the loop's five events into the run's event stream (events.py).

Losses stay on the device between log steps; at a log step every rank joins one all-reduce
and rank 0 emits a "step" event (also written to metrics.jsonl by its sink).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.errors import TrainingError
from engine.training.distributed import all_reduce_mean
from engine.training.events import EventLog
from engine.training.loop import Callback, Loop, StepRecord


@dataclass(frozen=True)
class RunInfo:
    """Facts about the run that the start event and the callbacks need."""

    run_dir: Path
    model_id: str
    config: dict[str, Any]
    device: str
    world_size: int
    precision: str
    total_steps: int
    steps_per_epoch: int
    start_step: int
    resumed: bool
    unit: str                     # what items count: "samples", "tokens", "words"
    log_every: int
    checkpoint_every: int = 0     # checkpoint steps are always logged (a NaN is caught before the save)


class DivergedError(TrainingError):
    """The loss became NaN or infinite."""


class ProgressEvents(Callback):
    """start / step / eval / end events, with loss averaged over the log interval and all ranks."""

    def __init__(self, events: EventLog, info: RunInfo) -> None:
        self.events = events
        self.info = info
        self._reset()
        self.last_loss: float | None = None
        self.started = time.perf_counter()

    def _reset(self) -> None:
        self._loss = None
        self._gnorm = None
        self._metrics: dict[str, Any] = {}
        self._steps = 0
        self._items = 0
        self._last: StepRecord | None = None
        self._t0 = time.perf_counter()

    def on_start(self, loop: Loop) -> None:
        i = self.info
        self.started = time.perf_counter()
        self._reset()
        self.events.emit("start", schema=1, run=str(i.run_dir.resolve()), model=i.model_id, device=i.device,
                         world_size=i.world_size, precision=i.precision, total_steps=i.total_steps,
                         steps_per_epoch=i.steps_per_epoch, start_step=i.start_step, resumed=i.resumed,
                         unit=f"{i.unit}/s", config=i.config)

    def on_step_end(self, loop: Loop, record: StepRecord) -> None:
        self._loss = record.loss if self._loss is None else self._loss + record.loss
        if record.grad_norm is not None:
            self._gnorm = record.grad_norm if self._gnorm is None else self._gnorm + record.grad_norm
        for k, v in record.metrics.items():
            self._metrics[k] = self._metrics.get(k, 0.0) + v
        self._steps += 1
        self._items += record.items
        self._last = record
        every = self.info.checkpoint_every
        if (record.step % self.info.log_every == 0 or record.step == self.info.total_steps
                or (every and record.step % every == 0)):
            self._log(loop, record)

    def _log(self, loop: Loop, record: StepRecord) -> None:
        import torch

        p = loop.parts
        names = sorted(self._metrics)
        parts = [self._loss, self._gnorm if self._gnorm is not None else torch.zeros((), device=p.device),
                 torch.tensor(float(self._items), device=p.device)]
        parts += [torch.as_tensor(self._metrics[k], device=p.device, dtype=torch.float32) for k in names]
        vec = all_reduce_mean(torch.stack([t.float().reshape(()).to(p.device) for t in parts]), p.dist)
        values = vec.tolist()
        n = self._steps
        loss = values[0] / n
        now = time.perf_counter()
        rate = values[2] * p.dist.world_size / max(now - self._t0, 1e-9)
        done = record.step - self.info.start_step
        elapsed = now - self.started
        eta = (self.info.total_steps - record.step) * elapsed / done if done > 0 else None
        self._reset()
        if not math.isfinite(loss):
            raise DivergedError(f"the loss became {loss} at step {record.step}; lower --lr (now {p.hp.lr:g}) "
                                "or raise --warmup, then start a new run.")
        self.last_loss = loss
        self.events.emit("step", step=record.step, total_steps=self.info.total_steps, epoch=record.epoch,
                         epoch_progress=round((record.step) / self.info.steps_per_epoch, 4), loss=loss,
                         lr=record.lr, grad_norm=(values[1] / n) if record.grad_norm is not None else None,
                         throughput=round(rate, 2), unit=f"{self.info.unit}/s", elapsed=round(elapsed, 3),
                         eta=round(eta, 1) if eta is not None else None,
                         metrics={k: values[3 + i] / n for i, k in enumerate(names)})

    def on_eval_end(self, loop: Loop, metrics: dict[str, float]) -> None:
        if metrics:
            self.events.emit("eval", step=loop.step, metrics=metrics,
                             elapsed=round(time.perf_counter() - self.started, 3))

    def final_metrics(self, loop: Loop) -> dict[str, float]:
        out: dict[str, float] = {}
        if self.last_loss is not None:
            out["loss"] = self.last_loss
        out.update(loop.last_eval)
        return out

    def on_end(self, loop: Loop, reason: str) -> None:
        """Log the steps since the last step event (every rank reaches this at the same step).
        The "end" event itself comes from the trainer, after the final checkpoint."""
        if self._steps and self._last is not None:
            self._log(loop, self._last)

    def elapsed(self) -> float:
        return time.perf_counter() - self.started
