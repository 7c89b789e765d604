"""The project's own multi-head attention and transformer blocks, shared by every transformer it
runs: BERT-family encoders and GPT-2 (loaded from HuggingFace folders) and the built-in MLM, GPT,
NMT, ViT and wav2vec models.

Shapes: B batch, T queries, S keys, D model width, H heads, dh = D / H head width.

Masks are additive float tensors broadcastable to (B, H, T, S): 0 where a query may attend to a
key, `torch.finfo(dtype).min` where it may not (`padding_mask` builds one from a (B, S) keep-mask;
causal self-attention adds its own triangle). Every attention module records its steps through
hook points (see `hooks.py`); when no recording listens it runs the fused
`scaled_dot_product_attention` kernel instead of the eager steps.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from engine.errors import ConfigError
from engine.models.hooks import HookPoint
from engine.records.attention import CAUSAL_SELF, CROSS, ENCODER_SELF, STACK_NAMES

# HF `hidden_act` names -> the same function in torch. "gelu_new"/"gelu_fast" are the tanh form.
_ACTIVATIONS = {
    "gelu": lambda: nn.GELU(),
    "gelu_new": lambda: nn.GELU(approximate="tanh"),
    "gelu_fast": lambda: nn.GELU(approximate="tanh"),
    "gelu_pytorch_tanh": lambda: nn.GELU(approximate="tanh"),
    "relu": lambda: nn.ReLU(),
    "silu": lambda: nn.SiLU(),
    "swish": lambda: nn.SiLU(),
}


def activation(name: str) -> nn.Module:
    """The activation module for an HF `hidden_act` name (gelu, gelu_new, relu, silu, ...)."""
    try:
        return _ACTIVATIONS[name]()
    except KeyError:
        raise ConfigError(f"activation '{name}' is not supported; use one of {', '.join(_ACTIVATIONS)}.") from None


@dataclass
class BlockConfig:
    """What every block of a stack shares."""

    d_model: int
    n_heads: int
    d_ff: int
    activation: str = "gelu"
    norm_first: bool = False        # pre-LN (GPT-2, ViT) when True; post-LN (BERT, Vaswani et al.) when False
    eps: float = 1e-5               # LayerNorm epsilon
    dropout: float = 0.0            # on each sub-layer's output, before the residual sum
    attn_dropout: float = 0.0       # on the attention weights
    bias: bool = True

    def __post_init__(self) -> None:
        if self.d_model % self.n_heads:
            raise ConfigError(f"d_model ({self.d_model}) must be a multiple of n_heads ({self.n_heads}).")
        activation(self.activation)


@dataclass
class TransformerOutput:
    """What a stack or a model returns (torch tensors; probes turn them into records)."""

    last_hidden_state: torch.Tensor                          # (B, T, D)
    hidden_states: tuple[torch.Tensor, ...] | None = None    # L + 1 of (B, T, D): input, then each block
    logits: torch.Tensor | None = None                       # (B, T, V) for language-model heads


def padding_mask(keep: torch.Tensor, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """(B, S) 1/True for real keys, 0/False for padding -> additive mask (B, 1, 1, S)."""
    keep = keep.to(torch.bool)[:, None, None, :]
    return torch.zeros(keep.shape, dtype=dtype, device=keep.device).masked_fill(~keep, torch.finfo(dtype).min)


def causal_allowed(t: int, s: int, device=None) -> torch.Tensor:
    """(T, S) bool: query i (the last T of S positions) may see keys j <= i + S - T."""
    return torch.ones(t, s, dtype=torch.bool, device=device).tril(s - t)


class LayerCache:
    """One attention module's keys and values for incremental decoding: k, v (B, H, S, dh)."""

    def __init__(self) -> None:
        self.k: torch.Tensor | None = None
        self.v: torch.Tensor | None = None

    def update(self, k: torch.Tensor, v: torch.Tensor, append: bool) -> tuple[torch.Tensor, torch.Tensor]:
        """Store (cross-attention: `append` False) or append (self-attention) and return all of them."""
        if append and self.k is not None:
            k, v = torch.cat([self.k, k], dim=2), torch.cat([self.v, v], dim=2)
        self.k, self.v = k, v
        return k, v

    def reorder(self, index: torch.Tensor) -> None:
        if self.k is not None:
            self.k, self.v = self.k.index_select(0, index), self.v.index_select(0, index)


class KVCache:
    """Every layer's self- (and cross-) attention cache of a stack, and how many positions it holds."""

    def __init__(self, n_layers: int, cross: bool = False) -> None:
        self.self_attn = [LayerCache() for _ in range(n_layers)]
        self.cross_attn = [LayerCache() for _ in range(n_layers)] if cross else None
        self.length = 0                     # positions already in the self-attention caches

    def reorder(self, index: torch.Tensor) -> None:
        """Keep (and duplicate) batch rows `index` (B',): beams that survive a search step."""
        for c in self.self_attn + (self.cross_attn or []):
            c.reorder(index)


class MultiHeadAttention(nn.Module):
    """softmax(q kᵀ · scale + mask) v for H heads, heads concatenated, then W^O.

    Hook points: hook_x (B, T, D) query input; hook_kv (B, S, D) key/value input; hook_q (B, H, T, dh);
    hook_k, hook_v (B, H, S, dh); hook_scores (B, H, T, S) raw q·k; hook_scaled (B, H, T, S) scores · scale
    plus the mask; hook_mask (B|1, 1, T, S) bool, True where allowed; hook_weights (B, H, T, S);
    hook_head_out (B, H, T, dh); hook_concat (B, T, D); hook_out (B, T, D).
    """

    _EAGER_POINTS = ("hook_scores", "hook_scaled", "hook_mask", "hook_weights")

    def __init__(self, d_model: int, n_heads: int, bias: bool = True, dropout: float = 0.0,
                 kind: str = ENCODER_SELF, scale: float | None = None) -> None:
        super().__init__()
        if d_model % n_heads:
            raise ConfigError(f"d_model ({d_model}) must be a multiple of n_heads ({n_heads}).")
        self.kind, self.n_heads, self.head_dim = kind, n_heads, d_model // n_heads
        # The attention-module roles (engine.contract.attention.AttentionModule): which stack the
        # weights join and which sequences queries and keys index. Models with two sequences (an
        # encoder-decoder) set them; one-sequence models keep "tokens".
        self.attention_kind = kind
        self.attention_stack = STACK_NAMES.get(kind, kind)
        self.query_sequence = "tokens"
        self.key_sequence = "tokens"
        self.scale = float(scale) if scale is not None else self.head_dim ** -0.5
        self.dropout = dropout
        self.q_proj = nn.Linear(d_model, d_model, bias=bias)
        self.k_proj = nn.Linear(d_model, d_model, bias=bias)
        self.v_proj = nn.Linear(d_model, d_model, bias=bias)
        self.out_proj = nn.Linear(d_model, d_model, bias=bias)
        for name in ("x", "kv", "q", "k", "v", "scores", "scaled", "mask", "weights", "head_out", "concat", "out"):
            setattr(self, f"hook_{name}", HookPoint())

    @property
    def causal(self) -> bool:
        return self.kind == CAUSAL_SELF

    def forward(self, x: torch.Tensor, kv: torch.Tensor | None = None,
                mask: torch.Tensor | None = None, cache: LayerCache | None = None) -> torch.Tensor:
        """x (B, T, D) queries' input; kv (B, S, D) keys' and values' input (x when None); additive mask.

        cache: incremental decoding. Self-attention appends this call's keys and values to the
        cache and attends over all of them (x holds only the new positions); cross-attention
        computes the memory's keys and values once and reuses them."""
        b, t, _ = x.shape
        x = _hook(self.hook_x, x)
        src = _hook(self.hook_kv, x if kv is None else kv)
        q = _hook(self.hook_q, self._split(self.q_proj(x)))          # (B, H, T, dh)
        if cache is not None and kv is not None and cache.k is not None:
            k, v = cache.k, cache.v                                  # the memory's, computed once
        else:
            k, v = self._split(self.k_proj(src)), self._split(self.v_proj(src))
            if cache is not None:
                k, v = cache.update(k, v, append=kv is None)
        k = _hook(self.hook_k, k)                                    # (B, H, S, dh)
        v = _hook(self.hook_v, v)                                    # (B, H, S, dh)
        if any(getattr(self, n)._forward_hooks for n in self._EAGER_POINTS):
            heads = self._eager(q, k, v, mask)
        else:
            heads = self._fused(q, k, v, mask)
        heads = _hook(self.hook_head_out, heads)                     # (B, H, T, dh)
        concat = _hook(self.hook_concat, heads.transpose(1, 2).reshape(b, t, -1))
        return _hook(self.hook_out, self.out_proj(concat))           # (B, T, D)

    def _split(self, y: torch.Tensor) -> torch.Tensor:
        b, n, _ = y.shape
        return y.view(b, n, self.n_heads, self.head_dim).transpose(1, 2)

    def _eager(self, q, k, v, mask):
        """The lecture's steps one by one, each visible at its hook point."""
        scores = _hook(self.hook_scores, q @ k.transpose(-1, -2))    # (B, H, T, S)
        scaled = scores * self.scale
        if mask is not None:
            scaled = scaled + mask
        allowed = None
        if self.causal:
            allowed = causal_allowed(q.shape[-2], k.shape[-2], q.device)
            scaled = scaled.masked_fill(~allowed, torch.finfo(scaled.dtype).min)
        scaled = _hook(self.hook_scaled, scaled)
        if self.hook_mask._forward_hooks:
            self.hook_mask(_allowed_mask(mask, allowed, q.shape[-2], k.shape[-2], q.device))
        weights = _hook(self.hook_weights, torch.softmax(scaled, dim=-1))
        if self.training and self.dropout:
            weights = F.dropout(weights, self.dropout)
        return weights @ v

    def _fused(self, q, k, v, mask):
        t, s = q.shape[-2], k.shape[-2]
        is_causal = self.causal and mask is None and t == s
        if self.causal and not is_causal:
            tri = causal_allowed(t, s, q.device)
            base = mask if mask is not None else torch.zeros((), dtype=q.dtype, device=q.device)
            mask = base.masked_fill(~tri, torch.finfo(q.dtype).min)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=is_causal, scale=self.scale,
                                              dropout_p=self.dropout if self.training else 0.0)

    def head_params(self, head: int) -> dict[str, torch.Tensor]:
        """One head's slices, as used in x @ w + b: w_q, w_k, w_v (D, dh); b_q, b_k, b_v (dh,);
        and the shared w_o (H * dh, D), b_o (D,)."""
        sl = slice(head * self.head_dim, (head + 1) * self.head_dim)
        out = {}
        for name, lin in (("q", self.q_proj), ("k", self.k_proj), ("v", self.v_proj)):
            out[f"w_{name}"] = lin.weight[sl].T
            out[f"b_{name}"] = lin.bias[sl] if lin.bias is not None else torch.zeros(self.head_dim)
        out["w_o"] = self.out_proj.weight.T
        out["b_o"] = self.out_proj.bias if self.out_proj.bias is not None else torch.zeros(self.out_proj.out_features)
        return out


def _hook(point: HookPoint, x: torch.Tensor) -> torch.Tensor:
    """Pass `x` through `point` only when a recording listens (skips the module call otherwise)."""
    return point(x) if point._forward_hooks else x


def _allowed_mask(mask, allowed, t: int, s: int, device) -> torch.Tensor:
    """(B|1, 1, T, S) bool: True where attention is allowed by the padding mask and the causal triangle."""
    ok = torch.ones(1, 1, t, s, dtype=torch.bool, device=device)
    if mask is not None:
        ok = ok & (mask == 0)
    if allowed is not None:
        ok = ok & allowed
    return ok


class FeedForward(nn.Module):
    """fc2(act(fc1(x))): (B, T, D) -> (B, T, d_ff) -> (B, T, D)."""

    def __init__(self, d_model: int, d_ff: int, act: str = "gelu", bias: bool = True) -> None:
        super().__init__()
        self.fc1 = nn.Linear(d_model, d_ff, bias=bias)
        self.act = activation(act)
        self.fc2 = nn.Linear(d_ff, d_model, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.act(self.fc1(x)))


class TransformerBlock(nn.Module):
    """Self-attention (encoder or causal), optional cross-attention over `memory`, feed-forward;
    each with a residual sum and LayerNorm, before (pre-LN) or after (post-LN) the sub-layer.

    Hook point: hook_resid_post (B, T, D), the block's output.
    """

    def __init__(self, cfg: BlockConfig, kind: str = ENCODER_SELF, cross: bool = False) -> None:
        super().__init__()
        self.norm_first = cfg.norm_first
        self.attn = MultiHeadAttention(cfg.d_model, cfg.n_heads, cfg.bias, cfg.attn_dropout, kind=kind)
        self.norm1 = nn.LayerNorm(cfg.d_model, eps=cfg.eps)
        self.cross_attn = MultiHeadAttention(cfg.d_model, cfg.n_heads, cfg.bias, cfg.attn_dropout,
                                             kind=CROSS) if cross else None
        self.norm_cross = nn.LayerNorm(cfg.d_model, eps=cfg.eps) if cross else None
        self.ffn = FeedForward(cfg.d_model, cfg.d_ff, cfg.activation, cfg.bias)
        self.norm2 = nn.LayerNorm(cfg.d_model, eps=cfg.eps)
        self.drop = nn.Dropout(cfg.dropout)
        self.hook_resid_post = HookPoint()

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None, memory: torch.Tensor | None = None,
                memory_mask: torch.Tensor | None = None, cache: LayerCache | None = None,
                cross_cache: LayerCache | None = None) -> torch.Tensor:
        """x (B, T, D); memory (B, S, D) for cross-attention; masks additive; caches for incremental
        decoding (x then holds only the new positions). Returns (B, T, D)."""
        if self.cross_attn is not None and memory is None:
            raise ValueError("this block has cross-attention: pass the encoder output as memory")
        if self.norm_first:
            x = x + self.drop(self.attn(self.norm1(x), mask=mask, cache=cache))
            if self.cross_attn is not None:
                x = x + self.drop(self.cross_attn(self.norm_cross(x), kv=memory, mask=memory_mask, cache=cross_cache))
            x = x + self.drop(self.ffn(self.norm2(x)))
        else:
            x = self.norm1(x + self.drop(self.attn(x, mask=mask, cache=cache)))
            if self.cross_attn is not None:
                x = self.norm_cross(x + self.drop(self.cross_attn(x, kv=memory, mask=memory_mask, cache=cross_cache)))
            x = self.norm2(x + self.drop(self.ffn(x)))
        return _hook(self.hook_resid_post, x)


class TransformerStack(nn.Module):
    """`n_layers` blocks of one kind, with an optional final LayerNorm (pre-LN models need one)."""

    def __init__(self, cfg: BlockConfig, n_layers: int, kind: str = ENCODER_SELF, cross: bool = False,
                 final_norm: bool = False) -> None:
        super().__init__()
        self.blocks = nn.ModuleList(TransformerBlock(cfg, kind, cross) for _ in range(n_layers))
        self.norm = nn.LayerNorm(cfg.d_model, eps=cfg.eps) if final_norm else None

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None, memory: torch.Tensor | None = None,
                memory_mask: torch.Tensor | None = None, output_hidden_states: bool = False,
                cache: KVCache | None = None) -> TransformerOutput:
        """hidden_states: the input, then each block's output; the last one after the final norm (as in HF).

        cache: incremental decoding; x holds the positions after `cache.length`, which grows by T."""
        states = [x] if output_hidden_states else None
        for i, block in enumerate(self.blocks):
            self_cache = cache.self_attn[i] if cache is not None else None
            cross_cache = cache.cross_attn[i] if cache is not None and cache.cross_attn is not None else None
            x = block(x, mask, memory, memory_mask, self_cache, cross_cache)
            if states is not None:
                states.append(x)
        if cache is not None:
            cache.length += x.shape[1]
        if self.norm is not None:
            x = self.norm(x)
            if states is not None:
                states[-1] = x
        return TransformerOutput(last_hidden_state=x, hidden_states=tuple(states) if states else None)

    def new_cache(self) -> KVCache:
        """An empty cache for incremental decoding through this stack."""
        return KVCache(len(self.blocks), cross=self.blocks[0].cross_attn is not None if len(self.blocks) else False)


def attention_modules(model: nn.Module) -> list[tuple[str, MultiHeadAttention]]:
    """Every multi-head attention module of `model` with its name, in definition order (the
    attention probe finds any attention module: `engine.models.attention_roles`)."""
    return [(name, m) for name, m in model.named_modules() if isinstance(m, MultiHeadAttention)]
