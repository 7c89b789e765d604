"""The checkpoint callback: periodic, final and stop checkpoints (rank 0 writes), an emergency
checkpoint of the last completed step when the task fails, and restoring a loop from one."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from engine.training import rng
from engine.training.callbacks import DivergedError
from engine.training.checkpoint import CheckpointData, rotate, write_checkpoint
from engine.training.events import EventLog
from engine.training.loop import Callback, Loop, StepRecord
from engine.training.schedule import load_scheduler_state, scheduler_state
from engine.training.tensor_tree import flatten, unflatten

FORMAT = 1
TASK_PREFIX = "task/"        # keys of Task.task_state() in state.safetensors


class Checkpointing(Callback):
    """Writes `checkpoints/step-N` every `every` steps, at the end, and on a stop."""

    def __init__(self, run_dir: Path, every: int, keep: int, events: EventLog) -> None:
        self.run_dir = Path(run_dir)
        self.every = every
        self.keep = keep
        self.events = events
        self.last_saved_step: int | None = None
        self.last_path: Path | None = None

    def on_start(self, loop: Loop) -> None:
        if self.last_saved_step is None and loop.step > 0:
            self.last_saved_step = loop.step          # resumed from this step's checkpoint

    def on_step_end(self, loop: Loop, record: StepRecord) -> None:
        if record.step % self.every == 0:
            self.save(loop, "periodic")

    def on_end(self, loop: Loop, reason: str) -> None:
        self.save(loop, "final" if reason == "finished" else "stop")

    def on_exception(self, loop: Loop, exc: BaseException) -> None:
        """Save the last completed step when the failure left it intact (not disk errors)."""
        if not isinstance(exc, Exception) or isinstance(exc, (OSError, DivergedError)):
            return
        if loop.phase == "update" or loop.step == 0:
            return
        loop.parts.optimizer.zero_grad(set_to_none=True)
        _free_cuda_cache(loop.parts.device)
        try:
            self.save(loop, "error")
        except Exception:        # the original failure is what the user must see
            pass

    def save(self, loop: Loop, reason: str) -> Path | None:
        """Write the loop's state as a checkpoint (rank 0 only); returns its folder."""
        if not loop.parts.dist.is_main or loop.step == self.last_saved_step:
            return None
        model_state, state, tensors = capture_state(loop)
        _check_finite(model_state, loop.step)
        task = loop.parts.task
        meta = task.model_meta() if hasattr(task, "model_meta") else None
        extra = getattr(task, "save_extra", None)
        path = write_checkpoint(self.run_dir, loop.step, model_state, state, tensors, meta=meta, extra=extra)
        rotate(self.run_dir, self.keep)
        self.last_saved_step, self.last_path = loop.step, path
        self.events.emit("checkpoint", step=loop.step, path=str(path.resolve()), reason=reason)
        return path


def _check_finite(model_state: dict[str, Any], step: int) -> None:
    """Never save NaN/inf weights over a good checkpoint."""
    import torch

    flags = [torch.isfinite(t).all() for t in model_state.values() if torch.is_floating_point(t)]
    if flags and not bool(torch.stack(flags).all()):
        raise DivergedError(f"the weights became NaN or infinite by step {step}, so no checkpoint was written; "
                            "lower --lr or raise --warmup and start a new run.")


def _free_cuda_cache(device: Any) -> None:
    import torch

    if getattr(device, "type", "") == "cuda":
        torch.cuda.empty_cache()


def capture_state(loop: Loop) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(model state_dict, state.json content, state tensors) of the loop between two steps."""
    p = loop.parts
    tensors: dict[str, Any] = {}
    state = {
        "format": FORMAT,
        "step": loop.step,
        "epoch": loop.epoch,
        "batch_index": loop.batch_index,
        "total_steps": p.total_steps,
        "world_size": p.dist.world_size,
        "time": time.time(),
        "hparams": p.hp.to_dict(),
        "last_eval": loop.last_eval,
        "scheduler": scheduler_state(p.scheduler),
        "optimizer": flatten(p.optimizer.state_dict(), "optim", tensors),
        "rng": rng.capture(tensors),
    }
    task_state = getattr(p.task, "task_state", None)
    if task_state is not None:
        tensors.update({TASK_PREFIX + k: v.detach().cpu().contiguous() for k, v in task_state().items()})
    return p.model.state_dict(), state, tensors


def restore_state(loop: Loop, ckpt: CheckpointData) -> None:
    """Put a checkpoint back into a freshly built loop (model, optimizer, scheduler, position, RNG)."""
    p = loop.parts
    p.model.load_state_dict({k: v.to(p.device) for k, v in ckpt.model.items()})
    p.optimizer.load_state_dict(unflatten(ckpt.state["optimizer"], ckpt.tensors))
    load_scheduler_state(p.scheduler, ckpt.state["scheduler"])
    loop.step = int(ckpt.state["step"])
    loop.epoch = int(ckpt.state["epoch"])
    loop.batch_index = int(ckpt.state["batch_index"])
    loop.last_eval = dict(ckpt.state.get("last_eval") or {})
    load_task_state = getattr(p.task, "load_task_state", None)
    if load_task_state is not None:
        load_task_state({k[len(TASK_PREFIX):]: v for k, v in ckpt.tensors.items() if k.startswith(TASK_PREFIX)})
    if p.dist.is_main:
        rng.restore(ckpt.state["rng"], ckpt.tensors)
    else:
        rng.seed_everything(rng.step_seed(p.hp.seed, loop.step, 0, p.dist.rank) & 0xFFFFFFFF, p.dist.rank)
