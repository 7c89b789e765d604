"""How many parameters a transformer has, by part, from its configuration alone — the formula the
Model size view applies to our models and to the GPT series of the lecture's table.

Per block (width d, feed-forward width f, biases everywhere):
    attention     4 (d² + d)                       W_Q, W_K, W_V, W_O and their biases
    feed-forward  2 d f + f + d                    two linear layers
    norms         2 · 2 d                          two LayerNorms (gain and bias)
Embeddings: V d tokens + P d positions (+ S d segments). A final LayerNorm (pre-LN models) or an
embedding LayerNorm (BERT) adds 2 d to the norms. Head: a tied language-model head adds nothing; an
untied one V d; BERT's MLM head d² + d + 2 d + V (dense, LayerNorm, output bias; decoder tied).
"""
from __future__ import annotations

from dataclasses import dataclass

from engine.records.model_size import ParameterCount


@dataclass(frozen=True)
class SizeConfig:
    """What the formula needs from a configuration."""

    vocab: int
    d_model: int
    n_layers: int
    d_ff: int
    positions: int
    segments: int = 0
    final_norm: bool = True            # pre-LN stacks end with a LayerNorm (GPT-2, GPT-3)
    embed_norm: bool = False           # BERT normalises its embeddings
    head: str = "tied"                 # "tied" | "untied" | "mlm" (BERT's MLM head, decoder tied) | "none"


def count(cfg: SizeConfig, name: str = "", note: str = "") -> ParameterCount:
    d, f, n, v = cfg.d_model, cfg.d_ff, cfg.n_layers, cfg.vocab
    head = {"tied": 0, "none": 0, "untied": v * d, "mlm": d * d + d + 2 * d + v}[cfg.head]
    parts = {
        "embeddings": v * d + cfg.positions * d + cfg.segments * d,
        "attention": n * 4 * (d * d + d),
        "feed-forward": n * (2 * d * f + f + d),
        "norms": n * 4 * d + (2 * d if cfg.final_norm else 0) + (2 * d if cfg.embed_norm else 0),
        "head": head,
    }
    return ParameterCount(name=name, parts=parts, source="formula", note=note)


# The lecture's table, from the published configurations.
GPT_SERIES = (
    ("GPT-1 (117M)", SizeConfig(vocab=40478, d_model=768, n_layers=12, d_ff=3072, positions=512, final_norm=False),
     "Radford et al. 2018: 12 layers, d 768, 12 heads, feed-forward 3072, 512 positions, 40,478 BPE tokens"),
    ("GPT-2 (1.5B)", SizeConfig(vocab=50257, d_model=1600, n_layers=48, d_ff=6400, positions=1024),
     "Radford et al. 2019 (XL): 48 layers, d 1600, 25 heads, feed-forward 6400, 1024 positions, 50,257 tokens"),
    ("GPT-3 (175B)", SizeConfig(vocab=50257, d_model=12288, n_layers=96, d_ff=49152, positions=2048),
     "Brown et al. 2020: 96 layers, d 12288, 96 heads, feed-forward 49152, 2048 positions, 50,257 tokens"),
)


def gpt_series() -> tuple[ParameterCount, ...]:
    return tuple(count(cfg, name, note) for name, cfg, note in GPT_SERIES)
