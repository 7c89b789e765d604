"""SGD that touches only the rows a sparse gradient names (word2vec-style embedding updates).

`step()` does `p.index_add_(0, rows, values, alpha=-lr)` with the gradient's uncoalesced
indices — duplicate rows simply add up, nothing is sorted or densified — and `p.add_(g, -lr)`
for dense gradients. No momentum, no weight decay, no state: a checkpoint of it is just lr.
"""
from __future__ import annotations

from collections.abc import Iterable

import torch


class SparseSGD(torch.optim.Optimizer):
    """Plain SGD for sparse (or dense) gradients."""

    def __init__(self, params: Iterable, lr: float, threads: int = 1) -> None:
        if lr <= 0:
            raise ValueError(f"lr must be positive, got {lr}")
        super().__init__(params, dict(lr=lr))
        self.threads = threads

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        from engine.models.word2vec.thread_pool import parallel_map

        work = [(p, group["lr"]) for group in self.param_groups for p in group["params"] if p.grad is not None]
        parallel_map(_update, work, self.threads)
        return loss


def _update(item: tuple) -> None:
    p, lr = item
    g = p.grad
    if g.is_sparse:
        p.index_add_(0, g._indices()[0], g._values(), alpha=-lr)
    else:
        p.add_(g, alpha=-lr)
