"""bert-mini: a small BERT encoder with a masked-language-model head, on the project's blocks.

    ids (B, T) -> BertEncoder (post-LN blocks, bidirectional) -> states (B, T, D)
              -> MLM head: dense, GELU, LayerNorm, decoder tied to the word embeddings (+ bias) -> (B, T, V)

`BertMLM` is also what a HuggingFace BERT / RoBERTa / DistilBERT folder saved with its MLM head
loads into (`engine.pretrained.masked_lm`). `mask_tokens` is BERT's pre-training corruption:
15 % of the (non-special) tokens are chosen; of those 80 % become [MASK], 10 % a random token and
10 % stay as they are; the loss is on the chosen positions only.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from engine.models.bert import BertConfig, BertEncoder
from engine.models.transformer import TransformerOutput, activation

IGNORE = -100                       # label of positions the loss skips


@dataclass
class BertMiniConfig:
    """`mlsp train bert-mini --set key=value`: sizes of the tokenizer and the network."""

    vocab_size: int = 2000          # WordPiece vocabulary to train on the corpus (may end smaller)
    d_model: int = 128
    n_layers: int = 4
    n_heads: int = 4
    d_ff: int = 512
    max_tokens: int = 64            # longest input, [CLS] and [SEP] included
    dropout: float = 0.1
    mask_prob: float = 0.15
    test_every: int = 50            # every 50th line of the corpus is held out for evaluation
    eval_sentences: int = 400       # held-out sentences scored at each evaluation

    def bert(self, vocab_size: int, pad_id: int = 0) -> BertConfig:
        return BertConfig(vocab_size=vocab_size, d_model=self.d_model, n_layers=self.n_layers, n_heads=self.n_heads,
                          d_ff=self.d_ff, max_positions=self.max_tokens, type_vocab_size=2, activation="gelu",
                          eps=1e-12, pad_token_id=pad_id, dropout=self.dropout, attn_dropout=self.dropout)


class MLMHead(nn.Module):
    """states (..., D) -> token logits (..., V): dense, activation, LayerNorm, then the decoder."""

    def __init__(self, cfg: BertConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(cfg.d_model, cfg.d_model)
        self.act = activation(cfg.activation)
        self.norm = nn.LayerNorm(cfg.d_model, eps=cfg.eps)
        self.decoder = nn.Linear(cfg.d_model, cfg.vocab_size, bias=False)
        self.bias = nn.Parameter(torch.zeros(cfg.vocab_size))

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.norm(self.act(self.dense(h)))) + self.bias


class BertMLM(nn.Module):
    """A BERT encoder and its MLM head (decoder weight tied to the word embeddings)."""

    def __init__(self, cfg: BertConfig, tie: bool = True) -> None:
        super().__init__()
        self.cfg = cfg
        self.bert = BertEncoder(cfg)
        self.head = MLMHead(cfg)
        if tie:
            self.head.decoder.weight = self.bert.embeddings.word.weight

    @property
    def max_tokens(self) -> int:
        return self.bert.max_tokens

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None,
                token_type_ids: torch.Tensor | None = None, output_hidden_states: bool = False,
                logits: bool = True, select: torch.Tensor | None = None) -> TransformerOutput:
        """input_ids (B, T); attention_mask (B, T) 1 = token, 0 = padding. logits (B, T, V); with
        `select` (B, T) bool, only the selected positions' logits (M, V) (the training loss)."""
        out = self.bert(input_ids, attention_mask, token_type_ids, output_hidden_states=output_hidden_states)
        if select is not None:
            out.logits = self.head(out.last_hidden_state[select])
        elif logits:
            out.logits = self.head(out.last_hidden_state)
        return out


def mask_tokens(ids: torch.Tensor, special: torch.Tensor, mask_id: int, n_special: int, vocab_size: int,
                generator: torch.Generator, prob: float = 0.15) -> tuple[torch.Tensor, torch.Tensor]:
    """BERT's 80/10/10 corruption. ids (B, T); special (B, T) True for [CLS], [SEP], [PAD] (never
    chosen); random replacements are drawn from ids n_special..V-1. Returns (inputs, labels) with
    labels = the original id at chosen positions and IGNORE elsewhere."""
    chosen = (torch.rand(ids.shape, generator=generator) < prob) & ~special
    labels = torch.where(chosen, ids, torch.full_like(ids, IGNORE))
    roll = torch.rand(ids.shape, generator=generator)
    inputs = ids.clone()
    inputs[chosen & (roll < 0.8)] = mask_id
    random_pos = chosen & (roll >= 0.8) & (roll < 0.9)
    inputs[random_pos] = torch.randint(n_special, vocab_size, ids.shape, generator=generator)[random_pos]
    return inputs, labels


def init_weights(net: nn.Module, std: float = 0.02) -> nn.Module:
    """BERT's initialisation: N(0, std) weights, zero biases, unit LayerNorms, a zero padding row."""
    for module in net.modules():
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, 0.0, std)
            if isinstance(module, nn.Linear) and module.bias is not None:
                nn.init.zeros_(module.bias)
            if isinstance(module, nn.Embedding) and module.padding_idx is not None:
                with torch.no_grad():
                    module.weight[module.padding_idx].zero_()
    return net
