"""The contract between the trainer and a model family: a Task supplies data, model and loss.

The trainer owns everything else: the loop, device placement, optimiser and schedule,
mixed precision, metrics, cancel, checkpoints, resume and DDP. A task never loops.

Construction. A registry entry (`engine.zoo.ModelSpec`) names the task class (`task=
"module:Class"`) and its config dataclass (`config="module:Config"`). The trainer builds the
config from the dataclass defaults plus `mlsp train --set key=value` (on resume: from the run's
saved config, a field added since then taken from the class's optional `SAVED_BEFORE` dict, the
value runs saved without it had, else from its default) and calls

    TaskClass(config, data)        # data: "builtin:NAME", a path, or None (use your default)

then, in this order, with every RNG already seeded: `dataset()` (once), `build_model()`
(once, so it may use the vocabulary the dataset built), `make_optimizer(...)` if defined.
The constructor and `dataset()` raise `engine.errors.InputError` for missing/unreadable data,
naming the file. `dataset()` must return the same items in the same order every time for the
same config and data (generate built-in corpora from a seed in the config).

Data: `dataset()` returns a map-style dataset (`__len__`, `__getitem__`, optionally
`__getitems__(indices) -> list` for batched fetching: `collate` then gets that list) and `collate` turns a
list of items into a batch (tensors, or dicts/lists/tuples/dataclasses of tensors; the trainer
moves every tensor in it to the device). The trainer samples it (a seeded `DistributedSampler`
with `set_epoch`, also with one process) in batches of `--batch-size` (global: split over
processes and gradient-accumulation micro-batches; the last partial batch of an epoch is
dropped), and skips to the saved position on resume without loading the skipped items.
Everything random inside `collate` or `loss` must draw from the `generator` the trainer passes
(a CPU `torch.Generator` re-seeded from (seed, step, rank) before every micro-batch), so a
resumed run reproduces the uninterrupted one.

`loss(model, ...)` returns the MEAN loss over the batch (so micro-batches and processes average
correctly) as a scalar tensor, plus the item count for throughput. Call the model only as
`model(...)`: under torchrun it is the DistributedDataParallel wrapper (DDP syncs gradients in
`forward`/`backward`; custom methods on the wrapper do not exist). The trainer runs `loss` under
bf16 autocast on CUDA unless the task sets `autocast = False`. `evaluate(model)` runs on
rank 0 only, in eval mode under `torch.no_grad()`; put inputs on
`next(model.parameters()).device`; return {} when there is nothing to evaluate.

Optional hooks (define only what you need; the trainer checks with `getattr`):

  default_hparams() -> dict           defaults for TrainHParams fields (e.g. {"lr": 0.01,
                                      "batch_size": 512, "steps": 2000, "grad_clip": 0.0});
                                      command-line flags still win.
  make_optimizer(model, hp) -> torch.optim.Optimizer
                                      replace AdamW (e.g. SparseAdam for sparse embeddings,
                                      param groups without weight decay); hp: TrainHParams.
                                      The warm-up + cosine schedule scales every group's lr.
  model_meta() -> dict                JSON-able facts a loader needs to rebuild the model
                                      (vocabulary, sizes); saved in every checkpoint as
                                      `meta.json` (`engine.training.runs.read_checkpoint_meta`).
  save_extra(folder: Path) -> None    write extra files (e.g. `vocab.txt`) into a checkpoint
                                      folder before it is committed; they are part of it.
  task_state() -> dict[str, Tensor]   the task's own training state (pseudo-labels, a trailing
  load_task_state(dict) -> None       copy of the network...): saved in every checkpoint's
                                      state.safetensors (keys "task/NAME") and handed back to
                                      a new task on resume, so a resumed run reproduces the
                                      uninterrupted one; {} when there is nothing yet.
  autocast: bool = True               class attribute; False keeps the task in fp32 on CUDA.
  to_device(batch, device) -> batch   replace the trainer's generic tensor mover.
  ddp_find_unused_parameters: bool = False
                                      class attribute; True when some parameters get no gradient
                                      in a step (DDP must then look for them).
  single_process: str = ""            class attribute; why the task cannot train under DDP (then
                                      `mlsp train --nproc N` refuses before starting any worker).

Sparse gradients (nn.Embedding(sparse=True)) work with an optimizer that takes them (SparseAdam,
SGD via make_optimizer); gradient clipping handles them; under DDP use gloo (CPU).

A loader rebuilds a trained model from a run folder with `engine.training.runs`:
`read_run_config(run)["task"]` (the config dataclass fields), `read_checkpoint_meta(ckpt)`,
and `load_model_weights(ckpt)` (a state dict for `build_model()`'s module), where
`ckpt = newest_checkpoint(run)`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


@dataclass
class LossOutput:
    """What `Task.loss` returns for one batch."""

    loss: Any                                   # scalar torch.Tensor, mean over the batch
    items: int                                  # samples/tokens/words in the batch, for throughput
    metrics: dict[str, Any] = field(default_factory=dict)     # extra per-batch numbers: floats or 0-d tensors


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
