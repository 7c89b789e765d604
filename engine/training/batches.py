"""The data order: a seeded DistributedSampler per epoch, cut into optimizer steps and micro-batches.

One process and N processes see the same global batches: the k-th step of every rank together
holds exactly the single-process k-th batch. A position (epoch, batch index) is all a resume
needs; skipped batches are never loaded.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from engine.errors import ConfigError


@dataclass(frozen=True)
class BatchLayout:
    """How a global batch splits: over `world` processes, then into `accum` micro-batches."""

    batch_size: int         # global, per optimizer step
    world: int
    accum: int

    @property
    def per_rank(self) -> int:
        return self.batch_size // self.world

    @property
    def micro(self) -> int:
        return self.per_rank // self.accum

    def check(self) -> None:
        if self.batch_size % (self.world * self.accum):
            raise ConfigError(
                f"--batch-size {self.batch_size} must be divisible by processes x --grad-accum "
                f"({self.world} x {self.accum} = {self.world * self.accum}); pick a multiple of it.")


class BatchOrder:
    """Index lists for each optimizer step of an epoch, for one rank."""

    def __init__(self, dataset: Any, layout: BatchLayout, rank: int, seed: int) -> None:
        from torch.utils.data import DistributedSampler

        layout.check()
        self.layout = layout
        self.sampler = DistributedSampler(dataset, num_replicas=layout.world, rank=rank, shuffle=True,
                                          seed=seed, drop_last=False)
        self.steps_per_epoch = len(self.sampler) // layout.per_rank
        if self.steps_per_epoch < 1:
            raise ConfigError(f"the data set has {len(dataset)} items, fewer than one batch "
                              f"(--batch-size {layout.batch_size}); lower --batch-size or use more data.")

    def epoch(self, epoch: int, start: int = 0) -> Iterator[tuple[int, list[list[int]]]]:
        """(batch index, [micro-batch index lists]) from batch `start` of `epoch` on."""
        self.sampler.set_epoch(epoch)
        order = list(iter(self.sampler))
        per, micro = self.layout.per_rank, self.layout.micro
        for b in range(start, self.steps_per_epoch):
            chunk = order[b * per:(b + 1) * per]
            yield b, [chunk[m * micro:(m + 1) * micro] for m in range(self.layout.accum)]


def fetch(dataset: Any, indices: list[int]) -> list:
    """The items at `indices` (batched through `__getitems__` when the dataset has it)."""
    getitems = getattr(dataset, "__getitems__", None)
    if getitems is not None:
        return list(getitems(indices))
    return [dataset[i] for i in indices]


def to_device(batch: Any, device: Any) -> Any:
    """Every tensor inside a batch (nested dict/list/tuple/dataclass) moved to `device`."""
    import dataclasses

    import torch

    if isinstance(batch, torch.Tensor):
        return batch.to(device, non_blocking=True)
    if isinstance(batch, dict):
        return {k: to_device(v, device) for k, v in batch.items()}
    if isinstance(batch, tuple) and hasattr(batch, "_fields"):
        return type(batch)(*(to_device(v, device) for v in batch))
    if isinstance(batch, (list, tuple)):
        return type(batch)(to_device(v, device) for v in batch)
    if dataclasses.is_dataclass(batch) and not isinstance(batch, type):
        return dataclasses.replace(batch, **{f.name: to_device(getattr(batch, f.name), device)
                                             for f in dataclasses.fields(batch) if f.init})
    return batch
