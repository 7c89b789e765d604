"""Attention pooling, the lecture's attention in LSTM networks:

    u_t = tanh(W h_t + b)            a score vector per time step
    a_t = softmax_t(u_tᵀ u)          u: a learned context vector ("which frames matter")
    l   = Σ_t a_t h_t                the pooled summary a classifier reads

Shapes: B batch, T steps, D input width, A attention width. The weights a (B, 1, 1, T) pass the
hook point `hook_weights`, so the attention probe records them like any attention module: one
head, one query ("pooled") over the key sequence (the frames). `hook_scores` sees u_tᵀ u (B, T).
"""
from __future__ import annotations

import torch
from torch import nn

from engine.models.hooks import HookPoint
from engine.records.attention import POOLING


class AttentionPooling(nn.Module):
    """(B, T, D) states, optional (B, T) keep-mask -> (B, D) pooled summary l."""

    def __init__(self, d_in: int, d_attn: int, key_sequence: str = "frames") -> None:
        super().__init__()
        self.proj = nn.Linear(d_in, d_attn)                   # W, b
        self.context = nn.Parameter(torch.randn(d_attn) * d_attn ** -0.5)   # u
        # attention-module roles (engine.contract.attention)
        self.attention_stack, self.attention_kind = "pooling", POOLING
        self.query_sequence, self.key_sequence, self.n_heads = "pooled", key_sequence, 1
        self.hook_scores = HookPoint()
        self.hook_weights = HookPoint()

    def forward(self, h: torch.Tensor, keep: torch.Tensor | None = None) -> torch.Tensor:
        u = torch.tanh(self.proj(h))                          # (B, T, A)
        scores = self.hook_scores(u @ self.context)           # (B, T)
        if keep is not None:
            scores = scores.masked_fill(~keep.to(torch.bool), torch.finfo(scores.dtype).min)
        a = torch.softmax(scores, dim=-1)                     # (B, T)
        self.hook_weights(a[:, None, None, :])                # (B, 1, 1, T): one head, one query
        return (a.unsqueeze(-1) * h).sum(dim=1)               # (B, D)
