"""GPT-2 from the project's blocks: token + position embeddings, pre-LN causal blocks, a final
LayerNorm and a language-model head tied to the token embeddings.

`engine.pretrained.gpt2_family` fills it from a HuggingFace GPT-2 folder; a built-in GPT can use
it directly with its own config.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from engine.errors import InputError
from engine.models.transformer import BlockConfig, KVCache, TransformerOutput, TransformerStack, padding_mask
from engine.records.attention import CAUSAL_SELF


@dataclass
class GPT2Config:
    vocab_size: int = 50257
    d_model: int = 768
    n_layers: int = 12
    n_heads: int = 12
    d_ff: int = 3072
    max_positions: int = 1024
    activation: str = "gelu_new"
    eps: float = 1e-5
    dropout: float = 0.1
    attn_dropout: float = 0.1
    scale_attn_weights: bool = True          # divide q·k by sqrt(dh)
    scale_by_inverse_layer: bool = False     # and by (layer index + 1) (HF scale_attn_by_inverse_layer_idx)
    tie_embeddings: bool = True

    def block(self) -> BlockConfig:
        return BlockConfig(self.d_model, self.n_heads, self.d_ff, self.activation, norm_first=True,
                           eps=self.eps, dropout=self.dropout, attn_dropout=self.attn_dropout)

    @property
    def max_tokens(self) -> int:
        return self.max_positions


class GPT2(nn.Module):
    """ids (B, T) -> next-token logits (B, T, V), attending only to earlier positions."""

    def __init__(self, cfg: GPT2Config) -> None:
        super().__init__()
        self.cfg = cfg
        self.wte = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.wpe = nn.Embedding(cfg.max_positions, cfg.d_model)
        self.drop = nn.Dropout(cfg.dropout)
        self.decoder = TransformerStack(cfg.block(), cfg.n_layers, kind=CAUSAL_SELF, final_norm=True)
        self.lm_head = nn.Linear(cfg.d_model, cfg.vocab_size, bias=False)
        if cfg.tie_embeddings:
            self.lm_head.weight = self.wte.weight
        for i, block in enumerate(self.decoder.blocks):
            scale = block.attn.head_dim ** -0.5 if cfg.scale_attn_weights else 1.0
            block.attn.scale = scale / (i + 1) if cfg.scale_by_inverse_layer else scale

    @property
    def max_tokens(self) -> int:
        return self.cfg.max_tokens

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None,
                output_hidden_states: bool = False, logits: bool = True,
                cache: KVCache | None = None) -> TransformerOutput:
        """input_ids (B, T); attention_mask (B, T) 1 = real token, 0 = padding (right padding).

        cache (from `new_cache()`): incremental decoding; input_ids are the positions after the
        ones already cached (the prompt first, then one token per step)."""
        start = cache.length if cache is not None else 0
        t = input_ids.shape[1]
        if start + t > self.cfg.max_positions:
            raise InputError(f"{start + t} tokens is more than this model's {self.cfg.max_positions} positions; "
                             "truncate the input.")
        pos = torch.arange(start, start + t, device=input_ids.device)
        x = self.drop(self.wte(input_ids) + self.wpe(pos)[None])
        mask = None
        if attention_mask is not None and not bool(attention_mask.all()):
            mask = padding_mask(attention_mask, x.dtype)
        out = self.decoder(x, mask=mask, output_hidden_states=output_hidden_states, cache=cache)
        if logits:
            out.logits = self.lm_head(out.last_hidden_state)
        return out

    def new_cache(self) -> KVCache:
        """An empty key/value cache for incremental decoding (`forward(ids, cache=cache)`)."""
        return self.decoder.new_cache()
