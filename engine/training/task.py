"""The contract between the trainer and a model family: a Task supplies data, model and loss.

The trainer owns everything else: the loop, device placement, optimiser and schedule,
mixed precision, metrics, cancel, checkpoints, resume and DDP. A task never loops.

Data: `dataset()` returns a map-style dataset (`__len__`, `__getitem__`) and `collate` turns a
list of items into a batch; the trainer samples it (RandomSampler with a seeded generator, or
DistributedSampler with `set_epoch` under torchrun) and can skip to a saved position on resume.
Everything random inside `collate` or `loss` must draw from the generator the trainer passes,
so a resumed run reproduces the uninterrupted one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


@dataclass
class LossOutput:
    """What `Task.loss` returns for one batch."""

    loss: Any                                   # scalar torch.Tensor
    items: int                                  # samples/tokens/words in the batch, for throughput
    metrics: dict[str, float] = field(default_factory=dict)


@runtime_checkable
class Task(Protocol):
    """One trainable model family (e.g. word2vec, a masked LM, an NMT transformer)."""

    name: str                 # registry id of the model it trains
    unit: str                 # what `LossOutput.items` counts: "words", "tokens", "samples"

    def build_model(self) -> Any:                 # -> torch.nn.Module
        ...

    def dataset(self) -> Any:                     # map-style dataset
        ...

    def collate(self, items: list, generator: Any) -> Any:   # generator: torch.Generator
        ...

    def loss(self, model: Any, batch: Any, generator: Any) -> LossOutput:
        ...

    def evaluate(self, model: Any) -> dict[str, float]:
        ...

    def config_dict(self) -> dict[str, Any]:      # model config + data, saved in the run's config.json
        ...
