"""word2vec's own training step through the compiled kernel (engine/models/word2vec/kernel.cpp).

word2vec and gensim do not take gradient steps on a batch: for each (context, centre) pair in
turn they score the centre and `negative` fresh noise words, and move the rows at once by
lr x (label - sigmoid(score)). That sequential per-pair SGD is what the kernel runs, over the
sub-sampled tokens of one trainer step (`TokenRun`), on `shards` threads (see the .cpp header
for how shards stay deterministic).

In the trainer: `Word2Vec.forward(TokenRunBatch)` calls `FusedStep.apply`, whose forward runs
the kernel with the learning rate the trainer's schedule gives this step (the task copies it
into `model.update_lr` before the call) and returns the mean loss of the step's pairs, each
taken just before its own update (gensim's running loss). The update is done by then, so the
backward pass has nothing left to do and returns no gradient: the optimizer step that follows
is a no-op. The trainer still owns the loop, the schedule, checkpoints and resume.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch


@dataclass
class TokenRunBatch:
    """One trainer step for the kernel: `engine.models.word2vec.data.TokenRun` as tensors, the
    seed of its noise-word streams, and the corpus tokens the step covers (for words/s)."""

    tokens: torch.Tensor            # (n,) int32
    lines: torch.Tensor             # (n,) int32
    centers: torch.Tensor           # (m,) int32
    reach: torch.Tensor             # (m,) int32
    seed: int
    words: int


@dataclass
class FusedTrainer:
    """What the kernel needs besides the batch: the workspace, the noise table and the settings."""

    workspace: Any                  # engine.models.word2vec.kernel.Workspace
    noise: Any                      # engine.models.word2vec.kernel.NoiseTable
    negative: int
    cbow: bool
    hogwild: bool


class FusedStep(torch.autograd.Function):
    """forward: one step of per-pair SGD, in place -> mean pair loss; backward: no gradients."""

    @staticmethod
    def forward(ctx, w_in, w_out, batch: TokenRunBatch, fused: FusedTrainer, lr: float):
        loss, count = fused.workspace.train(
            w_in.detach(), w_out.detach(), _np(batch.tokens), _np(batch.lines), _np(batch.centers), _np(batch.reach),
            fused.noise, fused.negative, fused.cbow, lr, batch.seed, fused.hogwild)
        return w_in.new_tensor(loss / max(count, 1))

    @staticmethod
    def backward(ctx, grad):
        return None, None, None, None, None


def _np(t: torch.Tensor) -> np.ndarray:
    return t.numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
