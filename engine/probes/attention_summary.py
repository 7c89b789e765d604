"""Summaries of attention maps (numpy only, no torch): rollout, entropy, distance per head,
and a consistency check of one recorded self-attention step."""
from __future__ import annotations

import numpy as np

from engine.errors import InputError
from engine.records.attention import CROSS, AttentionMaps, AttentionStack, AttentionStep
from engine.records.attention_summary import AttentionSummary, StepCheck

SPECIAL_TOKENS = frozenset({"[CLS]", "[SEP]", "[PAD]", "<s>", "</s>", "<pad>", "<cls>", "<sep>",
                            "<bos>", "<eos>", "<|endoftext|>"})


def head_entropy(weights: np.ndarray) -> np.ndarray:
    """(L, H, T, S) -> (L, H): mean over queries of the entropy -sum_s w log w (nats, 0 log 0 = 0)."""
    w = np.asarray(weights, np.float64)
    logs = np.log(np.where(w > 0, w, 1.0))
    return (-(w * logs).sum(-1)).mean(-1)


def head_distance(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(L, H, T, T) -> ((L, H) mean |t - s| attended, (L, H) mean signed offset s - t)."""
    w = np.asarray(weights, np.float64)
    t, s = w.shape[-2], w.shape[-1]
    off = np.arange(s)[None, :] - np.arange(t)[:, None]           # (T, S) key minus query position
    return (w * np.abs(off)).sum(-1).mean(-1), (w * off).sum(-1).mean(-1)


def special_share(weights: np.ndarray, tokens_k: list[str]) -> np.ndarray:
    """(L, H, T, S) -> (L, H): mean over queries of the weight on special tokens ([CLS], [SEP], ...)."""
    special = np.array([tok in SPECIAL_TOKENS for tok in tokens_k], bool)
    return np.asarray(weights, np.float64)[..., special].sum(-1).mean(-1)


def rollout(weights: np.ndarray, residual: float = 0.5) -> np.ndarray:
    """Attention rollout (Abnar & Zuidema 2020): (L, H, T, T) -> (T, T).

    Each layer's head-mean A_l is mixed with the identity for the residual path,
    R_l = residual * I + (1 - residual) * A_l, rows renormalised to 1, then R_L @ ... @ R_1.
    """
    w = np.asarray(weights, np.float64)
    if w.shape[-1] != w.shape[-2]:
        raise InputError(f"rollout needs self-attention (T == S), got {w.shape[-2]} queries and {w.shape[-1]} keys.")
    eye = np.eye(w.shape[-1])
    out = eye
    for layer in w.mean(axis=1):                                   # (T, T) per layer, bottom up
        mixed = residual * eye + (1.0 - residual) * layer
        mixed = mixed / mixed.sum(-1, keepdims=True)
        out = mixed @ out
    return out


def summarize(maps: AttentionMaps, stack: int = 0, residual: float = 0.5) -> AttentionSummary:
    """Every summary of one stack of `maps` (the primary stack by default)."""
    if not 0 <= stack < len(maps.stacks):
        raise InputError(f"stack {stack} does not exist; this record has {len(maps.stacks)} stack(s).")
    st: AttentionStack = maps.stacks[stack]
    positional = st.kind != CROSS and len(st.tokens_q) == len(st.tokens_k)
    distance = offset = roll = None
    if positional:
        distance, offset = head_distance(st.weights)
        roll = rollout(st.weights, residual)
    return AttentionSummary(
        model=maps.model, kind=st.kind, tokens_q=list(st.tokens_q), tokens_k=list(st.tokens_k),
        entropy=head_entropy(st.weights), max_entropy=float(np.log(max(len(st.tokens_k), 1))),
        special_share=special_share(st.weights, st.tokens_k), rollout=roll,
        distance=distance, offset=offset, residual=residual)


def _softmax_masked(scaled: np.ndarray, mask: np.ndarray) -> np.ndarray:
    z = np.where(mask, scaled, -np.inf)
    z = z - np.max(np.where(mask, z, -np.inf), axis=-1, keepdims=True)
    e = np.where(mask, np.exp(z), 0.0)
    return e / e.sum(-1, keepdims=True)


def _diff(a: np.ndarray, b: np.ndarray) -> float:
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.max(np.abs(a - b))) if a.size else 0.0


def check_step(step: AttentionStep) -> StepCheck:
    """Recompute each stage of a recorded step from the stage before it and report max |Δ|."""
    x = np.asarray(step.x, np.float64)
    dh = step.head_dim
    x_kv = x if step.x_kv is None else np.asarray(step.x_kv, np.float64)
    has_kv = x_kv.shape[0] == step.k.shape[0]
    mask = np.asarray(step.mask, bool)
    scale = 1.0 / np.sqrt(dh) if step.scale is None else float(step.scale)
    scaled_ref = np.asarray(step.scores, np.float64) * scale
    cols = slice(step.head * dh, (step.head + 1) * dh)
    return StepCheck(
        q=_diff(x @ step.w_q + step.b_q, step.q),
        k=_diff(x_kv @ step.w_k + step.b_k, step.k) if has_kv else float("nan"),
        v=_diff(x_kv @ step.w_v + step.b_v, step.v) if has_kv else float("nan"),
        scaled=_diff(scaled_ref[mask], np.asarray(step.scaled, np.float64)[mask]),
        weights=_diff(_softmax_masked(np.asarray(step.scaled, np.float64), mask), step.weights),
        head_out=_diff(np.asarray(step.weights, np.float64) @ step.v, step.head_out),
        concat=_diff(step.head_out, np.asarray(step.concat)[:, cols]),
        out=_diff(np.asarray(step.concat, np.float64) @ step.w_o + step.b_o, step.out),
    )


def notable_heads(summary: AttentionSummary, tolerance: float = 0.25) -> dict[str, list[tuple[int, int]]]:
    """(layer, head) pairs by role: 'previous token', 'next token', 'special tokens', 'focused'.

    previous/next: mean offset within `tolerance` of -1/+1 and mean distance below 1 + tolerance;
    special tokens: more than 60 % of the weight on [CLS]/[SEP]-like tokens; focused: entropy under
    0.3 nats while attending elsewhere.
    """
    found: dict[str, list[tuple[int, int]]] = {"previous token": [], "next token": [], "special tokens": [], "focused": []}
    for layer in range(summary.layers):
        for head in range(summary.heads):
            role = _role(summary, layer, head, tolerance)
            if role:
                found[role].append((layer, head))
    return found


def _role(s: AttentionSummary, layer: int, head: int, tol: float) -> str | None:
    if s.offset is not None and s.distance is not None and s.distance[layer, head] < 1 + tol:
        if abs(s.offset[layer, head] + 1) < tol:
            return "previous token"
        if abs(s.offset[layer, head] - 1) < tol:
            return "next token"
    if s.special_share[layer, head] > 0.6:
        return "special tokens"
    if s.entropy[layer, head] < 0.3:
        return "focused"
    return None
