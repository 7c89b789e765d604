"""`seq2seq`: the lecture's recurrent encoder-decoder for translation, with or without attention.

    encoder   embeddings -> bidirectional GRU/LSTM -> keys h_1..h_S (B, S, 2H)
    none      the plain encoder-decoder (Cho et al.): the decoder sees ONE vector of the source,
              c = tanh(W [h_fwd_S; h_bwd_1]) (B, H), as its initial state and at every step
    additive  Bahdanau's attention: each step's context is a_t · keys, a_t = softmax(v tanh(W s + U h))
    dot       Luong's (general) attention: a_t = softmax(s^T W h)

Decoder step t (input feeding): s_t = Cell([emb(y_{t-1}); ctx_{t-1}], s_{t-1}); ctx_t = attention
(s_t, keys) (or c); logits_t = W_o tanh(W_c [s_t; ctx_t; emb(y_{t-1})]) (B, V).

Decoding state (`Seq2SeqCache`): keys, keep-mask, the recurrent state and the last context;
`reorder` keeps beam rows. Teacher forcing and incremental decoding share `decode`, so the
cached path is the uncached one. The attention module (RecurrentAttention) records its weights
once per step for the attention probe (stack "cross", target x source).
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from engine.errors import ConfigError
from engine.models.rnn_attention import RecurrentAttention

ATTENTIONS = ("none", "additive", "dot")
CELLS = ("gru", "lstm")


@dataclass
class Seq2SeqConfig:
    """Model, tokeniser and data settings (`mlsp train seq2seq --set key=value`)."""

    attention: str = "additive"        # none | additive | dot
    cell: str = "gru"                  # gru | lstm
    emb: int = 64
    hidden: int = 128                  # decoder state; each encoder direction has hidden // 2
    dropout: float = 0.1
    tokenizer: str = "word"            # word | bpe
    vocab_size: int = 8000             # most tokens per language
    min_frequency: int = 1
    max_len: int = 64                  # most source tokens (longer sentences are refused)
    label_smoothing: float = 0.0
    eval_sentences: int = 300          # validation sentences translated (greedy) at each evaluation

    def __post_init__(self) -> None:
        if self.attention not in ATTENTIONS:
            raise ConfigError(f"attention must be one of {', '.join(ATTENTIONS)}, not '{self.attention}'.")
        if self.cell not in CELLS:
            raise ConfigError(f"cell must be gru or lstm, not '{self.cell}'.")
        if self.hidden % 2:
            raise ConfigError(f"hidden must be even (each encoder direction has hidden // 2), not {self.hidden}.")


class Seq2SeqCache:
    """What the decoder carries from step to step (batch rows = sentences or beams)."""

    def __init__(self, keys: torch.Tensor, keep: torch.Tensor, state, ctx: torch.Tensor) -> None:
        self.keys, self.keep, self.state, self.ctx = keys, keep, state, ctx     # (B,S,2H) (B,S) s (B,2H)
        self.length = 0

    def reorder(self, index: torch.Tensor) -> None:
        sel = lambda t: t.index_select(0, index)
        self.keys, self.keep, self.ctx = sel(self.keys), sel(self.keep), sel(self.ctx)
        self.state = tuple(sel(s) for s in self.state) if isinstance(self.state, tuple) else sel(self.state)


class Seq2Seq(nn.Module):
    """src (B, S) + keep (B, S) + tgt_in (B, T) -> logits (B, T, V_tgt)."""

    def __init__(self, cfg: Seq2SeqConfig, src_vocab: int, tgt_vocab: int) -> None:
        super().__init__()
        self.cfg = cfg
        h = cfg.hidden
        rnn = nn.GRU if cfg.cell == "gru" else nn.LSTM
        cell = nn.GRUCell if cfg.cell == "gru" else nn.LSTMCell
        self.src_emb = nn.Embedding(src_vocab, cfg.emb, padding_idx=0)
        self.tgt_emb = nn.Embedding(tgt_vocab, cfg.emb, padding_idx=0)
        self.encoder = rnn(cfg.emb, h // 2, batch_first=True, bidirectional=True)
        self.bridge = nn.Linear(h, h)                       # [h_fwd_S; h_bwd_1] -> s_0 (and c for "none")
        self.cell = cell(cfg.emb + h, h)
        self.attn = RecurrentAttention(h, h, cfg.attention) if cfg.attention != "none" else None
        self.combine = nn.Linear(2 * h + cfg.emb, h)
        self.out = nn.Linear(h, tgt_vocab)
        self.drop = nn.Dropout(cfg.dropout)

    def encode(self, src: torch.Tensor, keep: torch.Tensor) -> Seq2SeqCache:
        """Run the encoder; the returned cache starts the decoder."""
        x = self.drop(self.src_emb(src))                                       # (B, S, E)
        lengths = keep.sum(1).clamp(min=1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, last = self.encoder(packed)
        keys, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=src.shape[1])   # (B, S, H)
        h_last = last[0] if isinstance(last, tuple) else last                  # (2, B, H/2)
        summary = torch.tanh(self.bridge(torch.cat([h_last[0], h_last[1]], -1)))   # (B, H)
        state = (summary, torch.zeros_like(summary)) if self.cfg.cell == "lstm" else summary
        ctx = summary if self.attn is None else torch.zeros_like(summary)
        return Seq2SeqCache(keys, keep.to(torch.bool), state, ctx)

    def decode(self, tgt_in: torch.Tensor, cache: Seq2SeqCache) -> torch.Tensor:
        """tgt_in (B, T) -> logits (B, T, V); advances `cache` by T steps."""
        emb = self.drop(self.tgt_emb(tgt_in))                                  # (B, T, E)
        outs = []
        for t in range(tgt_in.shape[1]):
            cache.state = self.cell(torch.cat([emb[:, t], cache.ctx], -1), cache.state)
            s = cache.state[0] if isinstance(cache.state, tuple) else cache.state      # (B, H)
            if self.attn is not None:
                cache.ctx, _ = self.attn(s, cache.keys, cache.keep)           # (B, H), weights (B, S)
            outs.append(torch.tanh(self.combine(torch.cat([s, cache.ctx, emb[:, t]], -1))))
        cache.length += tgt_in.shape[1]
        return self.out(self.drop(torch.stack(outs, 1)))                      # (B, T, V)

    def forward(self, src: torch.Tensor, keep: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        return self.decode(tgt_in, self.encode(src, keep))

    def new_cache(self, src: torch.Tensor, keep: torch.Tensor) -> Seq2SeqCache:
        return self.encode(src, keep)

