"""Temperature, top-k and top-p (nucleus) filtering of next-token logits — shared by sampling and
the Next-token view's bars (which grey out what the filters cut)."""
from __future__ import annotations

import numpy as np
import torch

from engine.errors import InputError
from engine.records.decoding import NextTokenDistribution


def check_settings(temperature: float, top_k: int, top_p: float) -> None:
    """InputError for settings that mean nothing (negative temperature, top-p outside 0..1, ...)."""
    if not np.isfinite(temperature) or temperature < 0:
        raise InputError(f"the temperature must be 0 or more, not {temperature}; 0 picks the most likely token.")
    if top_k < 0:
        raise InputError(f"top-k must be 0 (off) or more, not {top_k}.")
    if not np.isfinite(top_p) or not 0 <= top_p <= 1:
        raise InputError(f"top-p must be between 0 and 1, not {top_p}; 1 turns it off, 0 picks the most likely token.")


def is_greedy(temperature: float, top_p: float) -> bool:
    """Temperature 0 or top-p 0: the settings reduce to the most likely token."""
    return temperature == 0 or top_p == 0


def kept_mask(logits: torch.Tensor, top_k: int = 0, top_p: float = 1.0, temperature: float = 1.0) -> torch.Tensor:
    """(..., V) bool: the tokens that survive top-k, then top-p over the temperature-scaled
    distribution (at least the most likely token always survives)."""
    if is_greedy(temperature, top_p):
        return torch.zeros_like(logits, dtype=torch.bool).scatter_(-1, logits.argmax(-1, keepdim=True), True)
    keep = torch.ones_like(logits, dtype=torch.bool)
    if 0 < top_k < logits.shape[-1]:
        kth = torch.topk(logits, top_k, dim=-1).values[..., -1:]
        keep &= logits >= kth
    if top_p < 1.0:
        probs = torch.softmax(logits.float() / temperature, dim=-1).masked_fill(~keep, 0.0)
        probs = probs / probs.sum(-1, keepdim=True)
        sorted_p, order = torch.sort(probs, dim=-1, descending=True)
        before = sorted_p.cumsum(-1) - sorted_p              # mass of the tokens ranked above each one
        keep_sorted = before < top_p
        keep_sorted[..., 0] = True
        keep &= torch.zeros_like(keep).scatter_(-1, order, keep_sorted)
    return keep


def filtered_probs(logits: torch.Tensor, temperature: float = 1.0, top_k: int = 0, top_p: float = 1.0) -> torch.Tensor:
    """(..., V) the distribution to sample from: softmax(logits / T) over the kept tokens, 0 elsewhere."""
    check_settings(temperature, top_k, top_p)
    keep = kept_mask(logits, top_k, top_p, temperature)
    if is_greedy(temperature, top_p):
        return keep.float()
    probs = torch.softmax(logits.float() / temperature, dim=-1).masked_fill(~keep, 0.0)
    return probs / probs.sum(-1, keepdim=True)


def next_token_distribution(logits: torch.Tensor, temperature: float = 1.0, top_k: int = 0,
                            top_p: float = 1.0) -> NextTokenDistribution:
    """One position's (V,) logits -> the record the Next-token view draws."""
    logits = logits.detach().float().reshape(-1).cpu()
    probs = filtered_probs(logits, temperature, top_k, top_p)
    return NextTokenDistribution(probs=probs.numpy().astype(np.float32),
                                 raw=torch.softmax(logits, -1).numpy().astype(np.float32),
                                 kept=kept_mask(logits, top_k, top_p, temperature).numpy(),
                                 temperature=float(temperature), top_k=int(top_k), top_p=float(top_p),
                                 greedy=is_greedy(temperature, top_p))
