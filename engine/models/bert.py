"""BERT-family encoder from the project's blocks: BERT, RoBERTa, DistilBERT, MiniLM.

word + position (+ segment) embeddings, LayerNorm, then post-LN encoder blocks with
bidirectional self-attention. `engine.pretrained.bert_family` fills it from a HuggingFace folder.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from engine.errors import InputError
from engine.models.transformer import BlockConfig, TransformerOutput, TransformerStack, padding_mask
from engine.records.attention import ENCODER_SELF


@dataclass
class BertConfig:
    vocab_size: int = 30522
    d_model: int = 768
    n_layers: int = 12
    n_heads: int = 12
    d_ff: int = 3072
    max_positions: int = 512         # rows of the position table
    type_vocab_size: int = 2         # 0: no segment embeddings (DistilBERT)
    activation: str = "gelu"
    eps: float = 1e-12
    pad_token_id: int = 0
    positions: str = "absolute"      # "absolute" (0, 1, ...) | "roberta" (pad_token_id + 1 + index, pads at pad_token_id)
    dropout: float = 0.1
    attn_dropout: float = 0.1

    def block(self) -> BlockConfig:
        return BlockConfig(self.d_model, self.n_heads, self.d_ff, self.activation, norm_first=False,
                           eps=self.eps, dropout=self.dropout, attn_dropout=self.attn_dropout)

    @property
    def max_tokens(self) -> int:
        """The longest input the position table covers."""
        offset = self.pad_token_id + 1 if self.positions == "roberta" else 0
        return self.max_positions - offset


class BertEmbeddings(nn.Module):
    """ids (B, T) -> LayerNorm(word + position + segment) (B, T, D)."""

    def __init__(self, cfg: BertConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.word = nn.Embedding(cfg.vocab_size, cfg.d_model, padding_idx=cfg.pad_token_id)
        self.position = nn.Embedding(cfg.max_positions, cfg.d_model)
        self.segment = nn.Embedding(cfg.type_vocab_size, cfg.d_model) if cfg.type_vocab_size else None
        self.norm = nn.LayerNorm(cfg.d_model, eps=cfg.eps)
        self.drop = nn.Dropout(cfg.dropout)

    def position_ids(self, input_ids: torch.Tensor) -> torch.Tensor:
        """(B, T) position of each token in the position table."""
        if self.cfg.positions == "roberta":
            keep = input_ids.ne(self.cfg.pad_token_id).long()
            return torch.cumsum(keep, dim=1) * keep + self.cfg.pad_token_id
        return torch.arange(input_ids.shape[1], device=input_ids.device).expand_as(input_ids)

    def forward(self, input_ids: torch.Tensor, token_type_ids: torch.Tensor | None = None) -> torch.Tensor:
        if input_ids.shape[1] > self.cfg.max_tokens:
            raise InputError(f"{input_ids.shape[1]} tokens is more than this model's {self.cfg.max_tokens} "
                             "positions; truncate the input.")
        x = self.word(input_ids)
        if self.segment is not None:                       # summed in HF's order: word + segment + position
            if token_type_ids is None:
                token_type_ids = torch.zeros_like(input_ids)
            x = x + self.segment(token_type_ids)
        x = x + self.position(self.position_ids(input_ids))
        return self.drop(self.norm(x))


class BertEncoder(nn.Module):
    """The BERT-family encoder without task heads: ids -> contextual token states (B, T, D)."""

    def __init__(self, cfg: BertConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.embeddings = BertEmbeddings(cfg)
        self.encoder = TransformerStack(cfg.block(), cfg.n_layers, kind=ENCODER_SELF)

    @property
    def max_tokens(self) -> int:
        return self.cfg.max_tokens

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None,
                token_type_ids: torch.Tensor | None = None, output_hidden_states: bool = False) -> TransformerOutput:
        """input_ids (B, T); attention_mask (B, T) 1 = real token, 0 = padding; token_type_ids (B, T)."""
        x = self.embeddings(input_ids, token_type_ids)
        mask = None
        if attention_mask is not None and not bool(attention_mask.all()):
            mask = padding_mask(attention_mask, x.dtype)
        return self.encoder(x, mask=mask, output_hidden_states=output_hidden_states)
