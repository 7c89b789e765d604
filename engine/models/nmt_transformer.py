"""`nmt-transformer`: an encoder-decoder Transformer (Vaswani et al.) on the project's blocks.

    encoder   (emb(x) * sqrt(D) + sinusoid positions) -> L blocks of self-attention (source x source)
    decoder   (emb(y) * sqrt(D) + positions) -> L blocks of masked self-attention (target x target),
              cross-attention (target x source: queries from the decoder, keys and values from the
              encoder output) and feed-forward -> logits = h W_emb^T (tied) or a separate projection

Pre-LN blocks with a final LayerNorm in each stack. Padding of the source is masked in the
encoder's self-attention and in cross-attention; the decoder's triangle hides the future (and so
the padding at the end of shorter targets). Label smoothing is in the task's loss.

Decoding: `new_cache(src, keep)` encodes once and returns an `NMTCache` (the decoder's KVCache,
which also keeps the cross-attention keys and values, plus the encoder output and its mask);
`decode(tgt_in, cache)` runs only the new positions.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from engine.errors import ConfigError
from engine.models.transformer import BlockConfig, KVCache, TransformerStack, padding_mask
from engine.records.attention import CAUSAL_SELF, ENCODER_SELF


@dataclass
class NMTTransformerConfig:
    """Model, tokeniser and data settings (`mlsp train nmt-transformer --set key=value`)."""

    d_model: int = 128
    n_heads: int = 4
    d_ff: int = 256
    enc_layers: int = 2
    dec_layers: int = 2
    dropout: float = 0.1
    tie_embeddings: bool = True        # the output projection is the target embedding matrix
    label_smoothing: float = 0.1
    tokenizer: str = "word"            # word | bpe
    vocab_size: int = 8000
    min_frequency: int = 1
    max_len: int = 256                 # most positions (source tokens; longer sentences are refused)
    pos_shift: int = 24                # training only: each pair's positions start at a random 0..pos_shift
                                       # (less where the batch would run past max_len)
    eval_sentences: int = 300          # validation sentences translated (greedy) at each evaluation

    def __post_init__(self) -> None:
        if self.d_model % self.n_heads:
            raise ConfigError(f"d_model ({self.d_model}) must be a multiple of n_heads ({self.n_heads}).")
        for key in ("enc_layers", "dec_layers", "d_ff", "max_len"):
            if getattr(self, key) < 1:
                raise ConfigError(f"{key} must be 1 or more, not {getattr(self, key)}.")
        if self.pos_shift < 0:
            raise ConfigError(f"pos_shift must be 0 or more, not {self.pos_shift}.")


def sinusoids(n: int, d: int) -> torch.Tensor:
    """(n, d) the fixed position encodings: sin on even, cos on odd features."""
    pos = torch.arange(n, dtype=torch.float32)[:, None]
    freq = torch.exp(torch.arange(0, d, 2, dtype=torch.float32) * (-math.log(10000.0) / d))
    out = torch.zeros(n, d)
    out[:, 0::2] = torch.sin(pos * freq)
    out[:, 1::2] = torch.cos(pos * freq[: d // 2])
    return out


class NMTCache:
    """Decoder state for incremental decoding: self/cross KVCache, encoder output, its mask."""

    def __init__(self, kv: KVCache, memory: torch.Tensor, mask: torch.Tensor | None) -> None:
        self.kv, self.memory, self.mask = kv, memory, mask          # (B, S, D), (B, 1, 1, S) additive

    @property
    def length(self) -> int:
        return self.kv.length

    def reorder(self, index: torch.Tensor) -> None:
        self.kv.reorder(index)
        self.memory = self.memory.index_select(0, index)
        if self.mask is not None:
            self.mask = self.mask.index_select(0, index)


class NMTTransformer(nn.Module):
    """src (B, S) + keep (B, S) + tgt_in (B, T) -> logits (B, T, V_tgt)."""

    def __init__(self, cfg: NMTTransformerConfig, src_vocab: int, tgt_vocab: int) -> None:
        super().__init__()
        self.cfg = cfg
        block = BlockConfig(cfg.d_model, cfg.n_heads, cfg.d_ff, activation="relu", norm_first=True,
                            dropout=cfg.dropout)
        self.src_emb = nn.Embedding(src_vocab, cfg.d_model, padding_idx=0)
        self.tgt_emb = nn.Embedding(tgt_vocab, cfg.d_model, padding_idx=0)
        self.register_buffer("pos", sinusoids(cfg.max_len + 1, cfg.d_model), persistent=False)
        self.encoder = TransformerStack(block, cfg.enc_layers, kind=ENCODER_SELF, final_norm=True)
        self.decoder = TransformerStack(block, cfg.dec_layers, kind=CAUSAL_SELF, cross=True, final_norm=True)
        self.out = None if cfg.tie_embeddings else nn.Linear(cfg.d_model, tgt_vocab, bias=False)
        self.drop = nn.Dropout(cfg.dropout)
        self.scale = math.sqrt(cfg.d_model)
        for b in self.encoder.blocks:
            b.attn.query_sequence = b.attn.key_sequence = "source"
        for b in self.decoder.blocks:
            b.attn.query_sequence = b.attn.key_sequence = "target"
            b.cross_attn.query_sequence, b.cross_attn.key_sequence = "target", "source"
        nn.init.normal_(self.src_emb.weight, std=cfg.d_model ** -0.5)
        nn.init.normal_(self.tgt_emb.weight, std=cfg.d_model ** -0.5)

    def _positions(self, start: int, n: int, shift: torch.Tensor | None = None) -> torch.Tensor:
        """(n, D) the encodings of positions start..start+n-1, or (B, n, D) each row moved by `shift` (B,)."""
        top = start + n + (0 if shift is None else int(shift.max()))
        if top > self.pos.shape[0]:
            raise ConfigError(f"the sequence has {top} positions; this model has {self.pos.shape[0]}.")
        if shift is None:
            return self.pos[start:start + n]
        return self.pos[shift[:, None] + torch.arange(start, start + n, device=shift.device)]

    def encode(self, src: torch.Tensor, keep: torch.Tensor,
               shift: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor | None]:
        """(B, S) ids -> encoder output (B, S, D) and the additive source mask (None without padding)."""
        mask = None if bool(keep.all()) else padding_mask(keep, self.src_emb.weight.dtype)
        x = self.drop(self.src_emb(src) * self.scale + self._positions(0, src.shape[1], shift))
        return self.encoder(x, mask=mask).last_hidden_state, mask

    def decode(self, tgt_in: torch.Tensor, cache: NMTCache) -> torch.Tensor:
        """tgt_in (B, T): the positions after `cache.length` -> logits (B, T, V)."""
        x = self.drop(self.tgt_emb(tgt_in) * self.scale + self._positions(cache.length, tgt_in.shape[1]))
        h = self.decoder(x, memory=cache.memory, memory_mask=cache.mask, cache=cache.kv).last_hidden_state
        return self.logits(h)

    def logits(self, h: torch.Tensor) -> torch.Tensor:
        return h @ self.tgt_emb.weight.T if self.out is None else self.out(h)

    def forward(self, src: torch.Tensor, keep: torch.Tensor, tgt_in: torch.Tensor,
                shift: torch.Tensor | None = None) -> torch.Tensor:
        """Teacher-forced pass (no cache). shift (B,): where each pair's positions start, in source
        and target alike (the training task's `pos_shift`); decoding always starts at 0."""
        memory, mask = self.encode(src, keep, shift)
        x = self.drop(self.tgt_emb(tgt_in) * self.scale + self._positions(0, tgt_in.shape[1], shift))
        return self.logits(self.decoder(x, memory=memory, memory_mask=mask).last_hidden_state)

    def new_cache(self, src: torch.Tensor, keep: torch.Tensor) -> NMTCache:
        memory, mask = self.encode(src, keep)
        return NMTCache(self.decoder.new_cache(), memory, mask)
