"""Turning what went wrong in a run into one sentence the user can act on, and a kind for the
"error" event: oom, disk-full, io, data, task, config, diverged."""
from __future__ import annotations

import errno
from dataclasses import dataclass

from engine.errors import ConfigError, InputError, MlspError, ModelError, TrainingError


@dataclass(frozen=True)
class Failure:
    kind: str
    message: str


class RunFailed(TrainingError):
    """A run stopped on an error; the "error" event was already emitted."""

    def __init__(self, failure: Failure, resumable: bool) -> None:
        super().__init__(failure.message)
        self.kind = failure.kind
        self.resumable = resumable


def is_oom(exc: BaseException) -> bool:
    import torch

    oom = getattr(torch.cuda, "OutOfMemoryError", None)
    if oom is not None and isinstance(exc, oom):
        return True
    return isinstance(exc, RuntimeError) and "out of memory" in str(exc).lower()


def classify(exc: BaseException, *, step: int, model: str, batch_size: int, grad_accum: int,
             device: str, run_dir: str, previous: int | None) -> Failure:
    """The kind and the first part of the message (the trainer adds how to resume)."""
    from engine.training.callbacks import DivergedError

    if is_oom(exc):
        return Failure("oom", f"{device} ran out of memory during step {step + 1} (--batch-size {batch_size}, "
                              f"--grad-accum {grad_accum}); resume with --grad-accum {grad_accum * 2} for smaller "
                              f"micro-batches (same results), or start a new run with --batch-size "
                              f"{max(1, batch_size // 2)}")
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        kept = f"the previous checkpoint (step {previous}) is intact" if previous is not None else \
            "no earlier checkpoint exists"
        return Failure("disk-full", f"the disk is full: writing the run folder {run_dir} failed after step {step} "
                                    f"and {kept}; free some space first")
    if isinstance(exc, OSError):
        return Failure("io", f"writing the run folder {run_dir} failed at step {step}: {exc}")
    if isinstance(exc, DivergedError):
        return Failure("diverged", str(exc).rstrip("."))
    if isinstance(exc, InputError):
        return Failure("data", str(exc).rstrip("."))
    if isinstance(exc, (ConfigError, ModelError)):
        return Failure("config", str(exc).rstrip("."))
    if isinstance(exc, MlspError):
        return Failure("task", str(exc).rstrip("."))
    return Failure("task", f"the {model} task failed at step {step + 1} with {type(exc).__name__}: {exc} "
                           f"(traceback in {run_dir}/error.log); fix the cause first")
