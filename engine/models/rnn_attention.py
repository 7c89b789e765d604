"""Attention of a recurrent decoder over the encoder's states (the lecture's encoder–decoder
attention: "Je suis étudiant", each French word attending to every English hidden state).

    additive (Bahdanau et al. 2015):  e_ts = vᵀ tanh(W_q s_t + W_k h_s)
    dot (Luong et al. 2015):          e_ts = s_tᵀ W h_s        ("general" form)
    a_t = softmax_s(e_ts),  c_t = Σ_s a_ts h_s

Shapes: B batch, S source steps, Dq decoder width, Dk encoder width. A decoder calls the module
once per output step with one query (B, Dq); the weights (B, 1, 1, S) pass `hook_weights`, and
the attention probe stacks the per-step calls into a (target × source) map.
"""
from __future__ import annotations

import torch
from torch import nn

from engine.errors import ConfigError
from engine.models.hooks import HookPoint
from engine.records.attention import CROSS


class RecurrentAttention(nn.Module):
    """query (B, Dq), keys (B, S, Dk), optional keep-mask (B, S) -> context (B, Dk), weights (B, S)."""

    def __init__(self, d_query: int, d_key: int, kind: str = "additive", d_attn: int | None = None,
                 query_sequence: str = "target", key_sequence: str = "source") -> None:
        super().__init__()
        if kind not in ("additive", "dot"):
            raise ConfigError(f"attention must be 'additive' or 'dot', not '{kind}'.")
        self.kind = kind
        if kind == "additive":
            d_attn = d_attn or d_query
            self.w_q = nn.Linear(d_query, d_attn, bias=False)
            self.w_k = nn.Linear(d_key, d_attn, bias=True)
            self.v = nn.Linear(d_attn, 1, bias=False)
        else:
            self.w = nn.Linear(d_key, d_query, bias=False)
        self.attention_stack, self.attention_kind = "cross", CROSS
        self.query_sequence, self.key_sequence, self.n_heads = query_sequence, key_sequence, 1
        self.hook_weights = HookPoint()

    def forward(self, query: torch.Tensor, keys: torch.Tensor,
                keep: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        if self.kind == "additive":
            e = self.v(torch.tanh(self.w_q(query)[:, None, :] + self.w_k(keys))).squeeze(-1)   # (B, S)
        else:
            e = (self.w(keys) @ query[:, :, None]).squeeze(-1)                                 # (B, S)
        if keep is not None:
            e = e.masked_fill(~keep.to(torch.bool), torch.finfo(e.dtype).min)
        a = torch.softmax(e, dim=-1)
        self.hook_weights(a[:, None, None, :])                                                 # (B, 1, 1, S)
        return (a[:, :, None] * keys).sum(dim=1), a
