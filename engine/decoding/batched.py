"""Greedy decoding of many sentences at once (evaluation: a BLEU score over thousands of sentences).

`greedy_batch(lm, starts, max_new, eos)`: `lm` is a StepModel whose state holds B rows (one per
sentence, e.g. a translation decoder bound to B source sentences); every row appends its most
likely token until it emits `eos` or reaches `max_new` tokens (a row's `max_new` may differ).
Rows are not dropped as they finish (the state stays B rows); the loop ends when all have.
"""
from __future__ import annotations

from collections.abc import Sequence

import torch

from engine.decoding.step_model import StepModel


@torch.inference_mode()
def greedy_batch(lm: StepModel, starts: torch.Tensor, max_new: int | Sequence[int], eos: int) -> list[list[int]]:
    """starts (B, T0) prefixes -> B lists of new token ids (without the final eos)."""
    b = starts.shape[0]
    limits = [int(max_new)] * b if isinstance(max_new, int) else [int(m) for m in max_new]
    out: list[list[int]] = [[] for _ in range(b)]
    done = [lim <= 0 for lim in limits]
    if all(done):
        return out
    logits, state = lm.start(starts)
    for step in range(max(limits)):
        toks = logits.argmax(-1)                                   # (B,)
        for i, tok in enumerate(toks.tolist()):
            if done[i]:
                continue
            if tok == eos:
                done[i] = True
            else:
                out[i].append(tok)
                done[i] = len(out[i]) >= limits[i]
        if all(done) or step == max(limits) - 1:
            break
        logits, state = lm.step(toks, state)
    return out
