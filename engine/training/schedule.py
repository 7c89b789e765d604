"""Learning-rate schedule: linear warm-up to the peak, then a cosine down to `min_ratio` of it."""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class WarmupCosine:
    """Factor applied to each param group's initial lr at optimizer step `step` (0-based)."""

    total_steps: int
    warmup_steps: int
    min_ratio: float = 0.1

    def __call__(self, step: int) -> float:
        if self.warmup_steps > 0 and step < self.warmup_steps:
            return (step + 1) / self.warmup_steps
        span = max(1, self.total_steps - self.warmup_steps)
        progress = min(1.0, (step - self.warmup_steps) / span)
        return self.min_ratio + (1.0 - self.min_ratio) * 0.5 * (1.0 + math.cos(math.pi * progress))


def make_scheduler(optimizer, schedule: WarmupCosine):
    """A torch LambdaLR over `schedule`; its state_dict is plain JSON (ints and floats)."""
    import torch

    return torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)


def scheduler_state(scheduler) -> dict:
    """The JSON-able part of a LambdaLR state (the lambda itself is rebuilt from the config)."""
    state = dict(scheduler.state_dict())
    state.pop("lr_lambdas", None)
    return {k: v for k, v in state.items() if isinstance(v, (int, float, bool, list, type(None)))}


def load_scheduler_state(scheduler, state: dict) -> None:
    full = dict(scheduler.state_dict())
    full.update(state)
    scheduler.load_state_dict(full)
