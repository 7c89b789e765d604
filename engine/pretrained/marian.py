"""MarianMT folders (the format of the opus-mt translation models) on the project's transformer blocks.

Marian is a post-LN encoder-decoder (Vaswani et al.): token embeddings times sqrt(d_model) (when
`scale_embedding`), plus sinusoidal positions laid out sin | cos (first half sines, second half
cosines, not interleaved), self-attention, (decoder: cross-attention), swish feed-forward, each
followed by its residual sum and LayerNorm; logits = h E^T + final_logits_bias. Decoding starts
from `decoder_start_token_id` (the pad token) and ends at `eos_token_id`.

`MarianNet` has the interface of the built-in translation models (`encode`, `new_cache`, `decode`,
`forward(src, keep, tgt_in)`), so the shared decoders, the attention probe and the Translation
views run it; `load_marian(folder, cfg)` maps a folder's weights onto it.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch
from torch import nn

from engine.errors import ModelError
from engine.models.nmt_transformer import NMTCache
from engine.models.transformer import BlockConfig, TransformerStack, padding_mask
from engine.records.attention import CAUSAL_SELF, ENCODER_SELF


def supports(cfg: dict) -> bool:
    return cfg.get("model_type") == "marian"


def marian_positions(n: int, dim: int) -> torch.Tensor:
    """(n, dim) Marian's sinusoids: sin in the first half of the features, cos in the second."""
    pos = np.arange(n)[:, None]
    j = np.arange(dim)[None, :]
    enc = pos / np.power(10000, 2 * (j // 2) / dim)
    out = np.empty((n, dim), np.float32)
    half = dim // 2 + dim % 2
    out[:, :half] = np.sin(enc[:, 0::2])
    out[:, half:] = np.cos(enc[:, 1::2])
    return torch.from_numpy(out)


class MarianNet(nn.Module):
    """src (B, S) + keep (B, S) + tgt_in (B, T) -> logits (B, T, V)."""

    def __init__(self, cfg: dict) -> None:
        super().__init__()
        d = int(cfg["d_model"])
        self.vocab = int(cfg.get("decoder_vocab_size") or cfg["vocab_size"])
        self.pad_id = int(cfg.get("pad_token_id", 0))
        self.start_id = int(cfg.get("decoder_start_token_id", self.pad_id))
        self.eos_id = int(cfg.get("eos_token_id", 0))
        act = {"swish": "silu"}.get(cfg.get("activation_function", "swish"), cfg.get("activation_function", "swish"))
        enc = BlockConfig(d, int(cfg["encoder_attention_heads"]), int(cfg["encoder_ffn_dim"]), activation=act)
        dec = BlockConfig(d, int(cfg["decoder_attention_heads"]), int(cfg["decoder_ffn_dim"]), activation=act)
        self.src_emb = nn.Embedding(int(cfg["vocab_size"]), d)
        self.tgt_emb = nn.Embedding(self.vocab, d)
        self.register_buffer("pos", marian_positions(int(cfg.get("max_position_embeddings", 512)), d), persistent=False)
        self.encoder = TransformerStack(enc, int(cfg["encoder_layers"]), kind=ENCODER_SELF)
        self.decoder = TransformerStack(dec, int(cfg["decoder_layers"]), kind=CAUSAL_SELF, cross=True)
        self.out = nn.Linear(d, self.vocab, bias=False)
        self.register_buffer("final_logits_bias", torch.zeros(1, self.vocab))
        self.scale = math.sqrt(d) if cfg.get("scale_embedding", True) else 1.0
        for b in self.encoder.blocks:
            b.attn.query_sequence = b.attn.key_sequence = "source"
        for b in self.decoder.blocks:
            b.attn.query_sequence = b.attn.key_sequence = "target"
            b.cross_attn.query_sequence, b.cross_attn.key_sequence = "target", "source"

    def _positions(self, start: int, n: int) -> torch.Tensor:
        if start + n > self.pos.shape[0]:
            raise ModelError(f"the sequence has {start + n} positions; this Marian model has {self.pos.shape[0]}.")
        return self.pos[start:start + n]

    def encode(self, src: torch.Tensor, keep: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        mask = None if bool(keep.all()) else padding_mask(keep, self.src_emb.weight.dtype)
        x = self.src_emb(src) * self.scale + self._positions(0, src.shape[1])
        return self.encoder(x, mask=mask).last_hidden_state, mask

    def logits(self, h: torch.Tensor) -> torch.Tensor:
        return self.out(h) + self.final_logits_bias

    def decode(self, tgt_in: torch.Tensor, cache: NMTCache) -> torch.Tensor:
        x = self.tgt_emb(tgt_in) * self.scale + self._positions(cache.length, tgt_in.shape[1])
        return self.logits(self.decoder(x, memory=cache.memory, memory_mask=cache.mask, cache=cache.kv).last_hidden_state)

    def forward(self, src: torch.Tensor, keep: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        memory, mask = self.encode(src, keep)
        x = self.tgt_emb(tgt_in) * self.scale + self._positions(0, tgt_in.shape[1])
        return self.logits(self.decoder(x, memory=memory, memory_mask=mask).last_hidden_state)

    def new_cache(self, src: torch.Tensor, keep: torch.Tensor) -> NMTCache:
        memory, mask = self.encode(src, keep)
        return NMTCache(self.decoder.new_cache(), memory, mask)


_LAYER = {"self_attn.": "attn.", "encoder_attn.": "cross_attn.", "self_attn_layer_norm.": "norm1.",
          "encoder_attn_layer_norm.": "norm_cross.", "final_layer_norm.": "norm2.", "fc1.": "ffn.fc1.", "fc2.": "ffn.fc2."}


def map_state(hf: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """A MarianMTModel state dict -> MarianNet's names."""
    hf = {k[len("model."):] if k.startswith("model.") else k: v for k, v in hf.items()}
    shared = hf.get("shared.weight")
    out = {"src_emb.weight": hf.get("encoder.embed_tokens.weight", shared),
           "tgt_emb.weight": hf.get("decoder.embed_tokens.weight", shared)}
    out["out.weight"] = hf.get("lm_head.weight", out["tgt_emb.weight"])
    if "final_logits_bias" in hf:
        out["final_logits_bias"] = hf["final_logits_bias"]
    for key, value in hf.items():
        for side in ("encoder", "decoder"):
            prefix = f"{side}.layers."
            if not key.startswith(prefix):
                continue
            index, rest = key[len(prefix):].split(".", 1)
            for old, new in sorted(_LAYER.items(), key=lambda kv: -len(kv[0])):
                if rest.startswith(old):
                    out[f"{side}.blocks.{index}.{new}{rest[len(old):]}"] = value
                    break
    if out["src_emb.weight"] is None or out["tgt_emb.weight"] is None:
        raise ModelError("the Marian folder's weights have no token embeddings (model.shared.weight).")
    return out


def load_marian(folder: Path, cfg: dict) -> MarianNet:
    """The folder's MarianMTModel weights on the project's blocks (eval mode, fp32)."""
    from engine.pretrained.weights import read_state_dict

    net = MarianNet(cfg)
    state = map_state(read_state_dict(Path(folder)))
    missing, unexpected = net.load_state_dict({k: v.float() for k, v in state.items()}, strict=False)
    missing = [m for m in missing if m != "final_logits_bias"]
    if missing or unexpected:
        raise ModelError(f"{folder} does not fit a Marian model: missing {missing[:4]}, unexpected {unexpected[:4]}.")
    return net.eval()
