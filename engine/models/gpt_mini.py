"""gpt-mini: a small decoder-only causal language model on the project's blocks.

It is `engine.models.gpt2.GPT2` at a small size: token + position embeddings, pre-LN causal
blocks, a final LayerNorm and a head tied to the token embeddings (weight tying), with the
blocks' key/value cache for generation (`new_cache()`, `forward(ids, cache=)`).

Two tokenizer presets (`--set tokenizer=...`): "bpe" (byte-level BPE trained on the corpus, the
default) and "char" (one token per character).
"""
from __future__ import annotations

from dataclasses import dataclass

from engine.errors import ConfigError
from engine.models.gpt2 import GPT2, GPT2Config

TOKENIZERS = ("bpe", "char")


@dataclass
class GPTMiniConfig:
    """`mlsp train gpt-mini --set key=value`: the tokenizer preset and the network's sizes."""

    tokenizer: str = "bpe"          # "bpe" | "char"
    vocab_size: int = 1024          # BPE vocabulary to train (char: the corpus's characters)
    d_model: int = 128
    n_layers: int = 4
    n_heads: int = 4
    d_ff: int = 512
    context: int = 64               # positions (tokens the model sees at once)
    dropout: float = 0.1
    test_every: int = 50            # every 50th line of the corpus is held out for evaluation
    eval_tokens: int = 20000        # held-out tokens scored at each evaluation

    def __post_init__(self) -> None:
        if self.tokenizer not in TOKENIZERS:
            raise ConfigError(f"tokenizer must be one of {', '.join(TOKENIZERS)}, not '{self.tokenizer}'.")

    def gpt2(self, vocab_size: int) -> GPT2Config:
        return GPT2Config(vocab_size=vocab_size, d_model=self.d_model, n_layers=self.n_layers, n_heads=self.n_heads,
                          d_ff=self.d_ff, max_positions=self.context, activation="gelu", eps=1e-5,
                          dropout=self.dropout, attn_dropout=self.dropout, tie_embeddings=True)


def build_gpt_mini(cfg: GPTMiniConfig, vocab_size: int) -> GPT2:
    """The network for a tokenizer of `vocab_size` tokens (GPT-2 style init: N(0, 0.02))."""
    import torch
    from torch import nn

    net = GPT2(cfg.gpt2(vocab_size))
    for name, p in net.named_parameters():
        if p.dim() > 1:
            nn.init.normal_(p, 0.0, 0.02)
        elif name.endswith("bias"):
            nn.init.zeros_(p)
    with torch.no_grad():
        for block in net.decoder.blocks:           # scaled residual projections (GPT-2)
            block.attn.out_proj.weight.mul_((2 * cfg.n_layers) ** -0.5)
            block.ffn.fc2.weight.mul_((2 * cfg.n_layers) ** -0.5)
    return net
