"""Attention records built by hand for the view tests: a real multi-head self-attention computed
in numpy (so every number of the step record is consistent), and the lecture's 'Thinking Machines'."""
from __future__ import annotations

import numpy as np

from engine.records.attention import CAUSAL_SELF, CROSS, ENCODER_SELF, AttentionMaps, AttentionStack, AttentionStep


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(-1, keepdims=True)


def _layer(x, params, heads, causal):
    """One multi-head self-attention block: returns weights (H, T, T) and every intermediate."""
    t, d = x.shape
    dh = d // heads
    wq, wk, wv, bq, bk, bv, wo, bo = params
    q, k, v = x @ wq + bq, x @ wk + bk, x @ wv + bv                       # (T, D)
    mask = np.tril(np.ones((t, t), bool)) if causal else np.ones((t, t), bool)
    per_head = []
    for h in range(heads):
        cols = slice(h * dh, (h + 1) * dh)
        scores = q[:, cols] @ k[:, cols].T                                # (T, T)
        scaled = scores / np.sqrt(dh) + np.where(mask, 0.0, -np.inf)
        w = _softmax(scaled)
        per_head.append(dict(q=q[:, cols], k=k[:, cols], v=v[:, cols], scores=scores, scaled=scaled,
                             weights=w, head_out=w @ v[:, cols], cols=cols))
    concat = np.concatenate([p["head_out"] for p in per_head], axis=1)   # (T, D)
    return per_head, concat, concat @ wo + bo, mask


def mha_record(tokens: list[str], layers: int = 2, heads: int = 3, head_dim: int = 4, causal: bool = False,
               step: tuple[int, int] | None = None, segments: list[int] | None = None, seed: int = 0,
               model: str = "numpy-mha", note: str = "") -> AttentionMaps:
    """A record of a small random transformer's self-attention, computed exactly in float64."""
    rng = np.random.default_rng(seed)
    t, d = len(tokens), heads * head_dim
    x = rng.normal(size=(t, d))
    weights, step_rec = np.zeros((layers, heads, t, t)), None
    for layer in range(layers):
        params = (rng.normal(size=(d, d)), rng.normal(size=(d, d)), rng.normal(size=(d, d)),
                  rng.normal(size=d), rng.normal(size=d), rng.normal(size=d),
                  rng.normal(size=(d, d)) / np.sqrt(d), rng.normal(size=d))
        per_head, concat, out, mask = _layer(x, params, heads, causal)
        weights[layer] = np.stack([p["weights"] for p in per_head])
        if step is not None and step[0] == layer:
            p = per_head[step[1]]
            c = p["cols"]
            step_rec = AttentionStep(
                layer=layer, head=step[1], stack=CAUSAL_SELF if causal else ENCODER_SELF, x=x.copy(),
                w_q=params[0][:, c], w_k=params[1][:, c], w_v=params[2][:, c],
                b_q=params[3][c], b_k=params[4][c], b_v=params[5][c], q=p["q"], k=p["k"], v=p["v"],
                scores=p["scores"], scaled=p["scaled"], mask=mask, weights=p["weights"], head_out=p["head_out"],
                concat=concat, w_o=params[6], b_o=params[7], out=out)
        y = x + out
        x = (y - y.mean(-1, keepdims=True)) / y.std(-1, keepdims=True)
    stack = AttentionStack(kind=CAUSAL_SELF if causal else ENCODER_SELF, tokens_q=list(tokens),
                           tokens_k=list(tokens), weights=weights.astype(np.float32))
    seg = None if segments is None else np.asarray(segments, np.int64)
    return AttentionMaps(model=model, stacks=[stack], segments_q=seg, segments_k=seg, note=note,
                         truncated=bool(note), step=step_rec)


def lecture_record() -> AttentionMaps:
    """'Thinking Machines' with one 64-wide head built so that q1·k1 = 112 and q1·k2 = 96 (the slides)."""
    d = dh = 64
    x = np.zeros((2, d))
    x[0, 0] = x[1, 1] = 1.0                                # x1, x2: one-hot embeddings
    w_q, w_k, w_v, w_o = (np.zeros((d, dh)) for _ in range(4))
    w_q[0, 0], w_q[1, 0] = 8.0, 4.0                         # q1 = 8 e0, q2 = 4 e0
    w_k[0, 0], w_k[1, 0] = 14.0, 12.0                       # k1 = 14 e0, k2 = 12 e0
    w_v[0, 0], w_v[1, 1] = 1.0, 1.0                         # v1 = e0, v2 = e1
    w_o[:] = np.eye(d)
    zeros = np.zeros(dh)
    q, k, v = x @ w_q, x @ w_k, x @ w_v
    scores = q @ k.T                                        # [[112, 96], [56, 48]]
    scaled = scores / np.sqrt(dh)                           # [[14, 12], [7, 6]]
    weights = _softmax(scaled)
    head_out = weights @ v
    step = AttentionStep(layer=0, head=0, stack=ENCODER_SELF, x=x, w_q=w_q, w_k=w_k, w_v=w_v, b_q=zeros,
                         b_k=zeros, b_v=zeros, q=q, k=k, v=v, scores=scores, scaled=scaled,
                         mask=np.ones((2, 2), bool), weights=weights, head_out=head_out, concat=head_out,
                         w_o=w_o, b_o=np.zeros(d), out=head_out @ w_o)
    stack = AttentionStack(kind=ENCODER_SELF, tokens_q=["Thinking", "Machines"], tokens_k=["Thinking", "Machines"],
                           weights=weights[None, None].astype(np.float32))
    return AttentionMaps(model="lecture", stacks=[stack], step=step)


def random_rows(rng: np.random.Generator, shape: tuple, sharpness: float = 4.0, causal: bool = False) -> np.ndarray:
    """Random attention rows (..., T, S) summing to 1, peaked like real heads (zero above the diagonal if causal)."""
    logits = rng.normal(size=shape) * sharpness
    if causal:
        logits = np.where(np.tril(np.ones(shape[-2:], bool)), logits, -np.inf)
    return _softmax(logits).astype(np.float32)


def encoder_decoder_record(src: list[str], tgt: list[str], layers: int = 2, heads: int = 4, seed: int = 1) -> AttentionMaps:
    """Three stacks as an NMT transformer gives them: encoder self, decoder causal self, cross."""
    rng = np.random.default_rng(seed)
    s, t = len(src), len(tgt)
    stacks = [AttentionStack(ENCODER_SELF, list(src), list(src), random_rows(rng, (layers, heads, s, s))),
              AttentionStack(CAUSAL_SELF, list(tgt), list(tgt), random_rows(rng, (layers, heads, t, t), causal=True)),
              AttentionStack(CROSS, list(tgt), list(src), random_rows(rng, (layers, heads, t, s)))]
    return AttentionMaps(model="numpy-nmt", stacks=stacks)
