"""Seeding and saving every random number generator: python, numpy, torch (CPU and CUDA).

The data order needs no saved state: the sampler is seeded by (seed, epoch) and the generator
handed to `Task.collate`/`Task.loss` is re-seeded from (seed, step, micro-batch, rank).
"""
from __future__ import annotations

import random
from typing import Any

import numpy as np

from engine.training.tensor_tree import flatten, unflatten

_MASK = (1 << 63) - 1


def seed_everything(seed: int, rank: int = 0) -> None:
    """Seed python, numpy and torch (all CUDA devices too); ranks get distinct streams."""
    import torch

    s = (int(seed) + 7919 * int(rank)) & 0xFFFFFFFF
    random.seed(s)
    np.random.seed(s)
    torch.manual_seed(s)


def step_seed(seed: int, step: int, micro: int = 0, rank: int = 0) -> int:
    """A well-mixed 63-bit seed for one micro-batch (splitmix64 of the tuple)."""
    x = (int(seed) * 0x9E3779B97F4A7C15 + int(step) * 0xBF58476D1CE4E5B9
         + int(micro) * 0x94D049BB133111EB + int(rank) * 0x2545F4914F6CDD1D) & 0xFFFFFFFFFFFFFFFF
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    x ^= x >> 31
    return x & _MASK


def capture(tensors: dict[str, Any]) -> dict[str, Any]:
    """Every global RNG state: JSON skeleton returned, tensors added to `tensors` (prefix 'rng')."""
    import torch

    np_state = np.random.get_state(legacy=False)
    state = {
        "python": random.getstate(),
        "numpy": {"bit_generator": np_state["bit_generator"], "key": np_state["state"]["key"].tolist(),
                  "pos": int(np_state["state"]["pos"]), "has_gauss": int(np_state["has_gauss"]),
                  "gauss": float(np_state["gauss"])},
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() and torch.cuda.is_initialized() else [],
    }
    return flatten(state, "rng", tensors)


def restore(skeleton: dict[str, Any], tensors: dict[str, Any]) -> None:
    """Put back what `capture` saved (CUDA states only where the device count matches)."""
    import torch

    state = unflatten(skeleton, tensors)
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    npst = state["numpy"]
    np.random.set_state({"bit_generator": npst["bit_generator"],
                         "state": {"key": np.asarray(npst["key"], dtype=np.uint32), "pos": npst["pos"]},
                         "has_gauss": npst["has_gauss"], "gauss": npst["gauss"]})
    torch.set_rng_state(state["torch"])
    cuda = state.get("cuda") or []
    if cuda and torch.cuda.is_available() and len(cuda) == torch.cuda.device_count():
        torch.cuda.set_rng_state_all(cuda)
