"""The plain training loop: batches in, optimizer steps out, five callback events.

Events (`Callback` methods): on_start, on_step_end, on_eval_end, on_end, on_exception.
`loop.should_stop` (set by a signal handler or a callback) is checked between steps; under
DDP the ranks agree on it every few steps, so they all stop after the same step.
"""
from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.training.batches import BatchOrder, fetch, to_device
from engine.training.distributed import DistInfo, agree_any
from engine.training.hparams import TrainHParams
from engine.training.rng import step_seed

STOP_SYNC_EVERY = 5          # steps between stop-flag agreements under DDP


@dataclass(frozen=True)
class StepRecord:
    """One finished optimizer step. Tensors stay on the device (no sync until someone reads them)."""

    step: int                     # optimizer steps done (1-based)
    epoch: int
    batch_index: int              # index of this step's batch within the epoch
    loss: Any                     # 0-d float tensor: this rank's mean loss over the micro-batches
    items: int                    # items this rank processed
    lr: float                     # learning rate used by this step (first param group)
    grad_norm: Any = None         # 0-d tensor before clipping, or None
    metrics: dict[str, Any] = field(default_factory=dict)


class Callback:
    """Override what you need; every method gets the loop (for `step`, `should_stop`, ...)."""

    def on_start(self, loop: Loop) -> None: ...
    def on_step_end(self, loop: Loop, record: StepRecord) -> None: ...
    def on_eval_end(self, loop: Loop, metrics: dict[str, float]) -> None: ...
    def on_end(self, loop: Loop, reason: str) -> None: ...
    def on_exception(self, loop: Loop, exc: BaseException) -> None: ...


@dataclass
class LoopParts:
    """What the loop runs: built (and restored on resume) by the trainer."""

    task: Any
    model: Any                    # the plain nn.Module (what is saved and evaluated)
    train_model: Any              # model, or its DistributedDataParallel wrapper
    optimizer: Any
    scheduler: Any
    dataset: Any
    order: BatchOrder
    device: Any
    dist: DistInfo
    hp: TrainHParams
    total_steps: int
    eval_every: int
    autocast_dtype: Any = None    # torch.bfloat16 or None


class Loop:
    """Runs `parts` from position (step, epoch, batch_index) to total_steps or a stop."""

    def __init__(self, parts: LoopParts, callbacks: list[Callback] | None = None) -> None:
        import torch

        self.parts = parts
        self.callbacks = list(callbacks or [])
        self.step = 0
        self.epoch = 0
        self.batch_index = 0                  # next batch of `epoch` to train on
        self.should_stop = False
        self.phase = "idle"                   # idle | compute | update (where an exception hit)
        self.last_eval: dict[str, float] = {}
        self._gen = torch.Generator()
        self._params = [p for p in parts.model.parameters() if p.requires_grad]
        self._mover = getattr(parts.task, "to_device", None) or to_device

    # ---- the loop ------------------------------------------------------------------------
    def run(self) -> str:
        """Train; returns "finished" or "stopped". Exceptions go to on_exception, then propagate."""
        p = self.parts
        try:
            self._call("on_start")
            reason = "finished"
            for epoch, b, micros in self._batches():
                if self.step >= p.total_steps:
                    break
                if self._stop_requested():
                    reason = "stopped"
                    break
                record = self._train_step(epoch, b, micros)
                self._call("on_step_end", record)
                if self.step % p.eval_every == 0 or self.step == p.total_steps:
                    self.last_eval = self.evaluate()
                    self._call("on_eval_end", self.last_eval)
            self._call("on_end", reason)
            return reason
        except BaseException as exc:
            for cb in self.callbacks:
                cb.on_exception(self, exc)
            raise

    def _call(self, name: str, *args: Any) -> None:
        for cb in self.callbacks:
            getattr(cb, name)(self, *args)

    def _batches(self) -> Iterator[tuple[int, int, list[list[int]]]]:
        epoch, start = self.epoch, self.batch_index
        while True:
            for b, micros in self.parts.order.epoch(epoch, start):
                yield epoch, b, micros
            epoch, start = epoch + 1, 0

    def _stop_requested(self) -> bool:
        d = self.parts.dist
        if not d.enabled:
            return self.should_stop
        if self.step % STOP_SYNC_EVERY:
            return False
        self.should_stop = agree_any(self.should_stop, d, self.parts.device)
        return self.should_stop

    def _autocast(self):
        import torch

        p = self.parts
        if p.autocast_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(device_type=p.device.type, dtype=p.autocast_dtype)

    # ---- one optimizer step --------------------------------------------------------------
    def _train_step(self, epoch: int, b: int, micros: list[list[int]]) -> StepRecord:
        p = self.parts
        self.phase = "compute"
        p.train_model.train()
        loss_sum, items, metrics = None, 0, {}
        for m, idx in enumerate(micros):
            self._gen.manual_seed(step_seed(p.hp.seed, self.step, m, p.dist.rank))
            batch = self._mover(p.task.collate(fetch(p.dataset, idx), self._gen), p.device)
            sync = m == len(micros) - 1 or not p.dist.enabled
            with (contextlib.nullcontext() if sync else p.train_model.no_sync()):
                with self._autocast():
                    out = p.task.loss(p.train_model, batch, self._gen)
                (out.loss / len(micros)).backward()
            lossf = out.loss.detach().float()
            loss_sum = lossf if loss_sum is None else loss_sum + lossf
            items += int(out.items)
            for k, v in out.metrics.items():
                metrics[k] = metrics.get(k, 0.0) + v / len(micros)
        self.phase = "update"
        lr = float(p.optimizer.param_groups[0]["lr"])
        grad_norm = clip_gradients(self._params, p.hp.grad_clip)
        p.optimizer.step()
        p.scheduler.step()
        p.optimizer.zero_grad(set_to_none=True)
        self.phase = "idle"
        self.step += 1
        self.epoch, self.batch_index = (epoch, b + 1) if b + 1 < p.order.steps_per_epoch else (epoch + 1, 0)
        return StepRecord(step=self.step, epoch=epoch, batch_index=b, loss=loss_sum / len(micros), items=items,
                          lr=lr, grad_norm=grad_norm, metrics=metrics)

    # ---- evaluation ----------------------------------------------------------------------
    def evaluate(self) -> dict[str, float]:
        """Task.evaluate on rank 0, eval mode, no grad; the training RNG streams are untouched."""
        import torch

        p = self.parts
        if not p.dist.is_main:
            return {}
        py_state, np_state = random.getstate(), np.random.get_state()
        devices = [p.device] if p.device.type == "cuda" else []
        was_training = p.model.training
        p.model.eval()
        try:
            with torch.random.fork_rng(devices=devices), torch.no_grad(), self._autocast():
                metrics = p.task.evaluate(p.model) or {}
        finally:
            p.model.train(was_training)
            random.setstate(py_state)
            np.random.set_state(np_state)
        return {str(k): float(v) for k, v in metrics.items()}


def clip_gradients(params: list, max_norm: float):
    """Global grad-norm clipping (sparse gradients too); returns the norm before clipping, or
    None when clipping is off (max_norm 0)."""
    import torch

    if max_norm <= 0:
        return None
    grads = [q.grad for q in params if q.grad is not None]
    if not grads:
        return None
    if not any(g.is_sparse for g in grads):
        return torch.nn.utils.clip_grad_norm_([q for q in params if q.grad is not None], max_norm)
    norms = [(g.coalesce().values() if g.is_sparse else g).float().norm() for g in grads]
    total = torch.stack([n.to(grads[0].device) for n in norms]).norm()
    coef = torch.clamp(max_norm / (total + 1e-6), max=1.0)
    for g in grads:
        g.mul_(coef.to(g.device) if not g.is_sparse else float(coef))
    return total
