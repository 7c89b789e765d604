"""Attention summaries: rollout across layers and one number per head, for one attention stack.

Built by `engine.probes.attention_summary.summarize` from an `AttentionMaps` record; drawn by the
GUI's "Rollout and summaries" view and saved by `mlsp attention-summary`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class AttentionSummary:
    """Per-head statistics of one stack (L layers, H heads, T queries, S keys).

    `rollout`, `distance` and `offset` need positions on one axis, so they are None for
    cross-attention (queries and keys from different sequences).
    """

    model: str
    kind: str                          # the stack's kind (encoder-self, causal-self, cross)
    tokens_q: list[str]
    tokens_k: list[str]
    entropy: np.ndarray                # (L, H) mean over queries of -sum_s w log w, in nats
    max_entropy: float                 # log(S): the entropy of uniform attention over every key
    special_share: np.ndarray          # (L, H) mean weight on special tokens ([CLS], [SEP], <s>, ...)
    rollout: np.ndarray | None = None  # (T, S) Abnar & Zuidema rollout: prod_l renorm(0.5 W_l + 0.5 I)
    distance: np.ndarray | None = None  # (L, H) mean over queries of sum_s w |t - s|
    offset: np.ndarray | None = None   # (L, H) mean over queries of sum_s w (s - t); -1 = previous token
    residual: float = 0.5              # the identity's share in each rollout step

    @property
    def layers(self) -> int:
        return int(self.entropy.shape[0])

    @property
    def heads(self) -> int:
        return int(self.entropy.shape[1])


@dataclass(frozen=True)
class StepCheck:
    """How well one recorded step recomputes from its own parts (max |difference| of each stage)."""

    q: float           # x @ w_q + b_q  vs  q
    k: float           # x_kv @ w_k + b_k  vs  k (nan when the key input was not recorded)
    v: float           # x_kv @ w_v + b_v  vs  v
    scaled: float      # scores * scale (1/sqrt(dh) by default), where allowed  vs  scaled
    weights: float     # softmax(scaled)  vs  weights
    head_out: float    # weights @ v  vs  head_out
    concat: float      # head_out  vs  this head's columns of concat
    out: float         # concat @ w_o + b_o  vs  out

    def worst(self) -> float:
        vals = [v for v in (self.q, self.k, self.v, self.scaled, self.weights, self.head_out,
                            self.concat, self.out) if np.isfinite(v)]
        return max(vals) if vals else float("nan")
