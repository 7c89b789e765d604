"""`vit`: a vision transformer on the project's blocks (Dosovitskiy et al. 2021), the backbone of
vit-mae's encoder and of the pretext models (rotnet, simclr, cluster).

An image (B, C, S, S) is cut into (S/p)² patches of p × p pixels; a convolution with stride p
projects each to D values (the patch embedding); a learnt class token is prepended, learnt
positional embeddings added, and a pre-LN TransformerStack with a final LayerNorm encodes the
N + 1 tokens. The head reads the class token: a linear classifier (`head_hidden` 0) or an MLP
(SimCLR's projection head, with batch norm: it keeps the views apart at the start). Shapes: B batch, N = (S/p)² patches, D width.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import torch
from torch import nn

from engine.errors import ConfigError
from engine.models.transformer import BlockConfig, TransformerOutput, TransformerStack


@dataclass
class ViTConfig:
    """Sizes of a vision transformer; the defaults train on 32 × 32 images on a CPU in minutes."""

    image_size: int = 32
    patch: int = 4
    channels: int = 3
    d_model: int = 64
    n_layers: int = 3
    n_heads: int = 4
    d_ff: int = 128
    n_classes: int = 10          # outputs of the head (0: no head, features only)
    head_hidden: int = 0         # > 0: an MLP head (Linear, BatchNorm, GELU, Linear), SimCLR's projection
    head_depth: int = 1          # hidden layers of the MLP head (with head_hidden > 0)
    eps: float = 1e-6
    activation: str = "gelu"

    # Fields added after configs were first saved, with the value every config saved without them
    # had: a run folder or export from before reads them from here, not from today's defaults.
    SAVED_BEFORE: ClassVar[dict[str, Any]] = {"head_depth": 1}

    def __post_init__(self) -> None:
        if self.patch < 1 or self.image_size % self.patch:
            raise ConfigError(f"image_size ({self.image_size}) must be a multiple of patch ({self.patch}).")
        if self.head_depth < 1:
            raise ConfigError(f"head_depth (the MLP head's hidden layers) must be at least 1, got {self.head_depth}.")
        BlockConfig(self.d_model, self.n_heads, self.d_ff, self.activation)

    @property
    def grid(self) -> int:
        return self.image_size // self.patch

    @property
    def n_patches(self) -> int:
        return self.grid * self.grid

    def block(self) -> BlockConfig:
        return BlockConfig(self.d_model, self.n_heads, self.d_ff, self.activation, norm_first=True, eps=self.eps)


class PatchEmbedding(nn.Module):
    """(B, C, S, S) -> (B, N, D): one p × p patch per token, row by row (a stride-p convolution)."""

    def __init__(self, cfg: ViTConfig) -> None:
        super().__init__()
        self.projection = nn.Conv2d(cfg.channels, cfg.d_model, kernel_size=cfg.patch, stride=cfg.patch)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return self.projection(pixels).flatten(2).transpose(1, 2)


def make_head(d_model: int, n_out: int, hidden: int, depth: int = 1) -> nn.Module:
    """A linear head (hidden 0) or an MLP of `depth` hidden layers (Linear, BatchNorm, GELU each)."""
    if n_out <= 0:
        return nn.Identity()
    if hidden > 0:
        layers: list[nn.Module] = []
        for i in range(depth):
            layers += [nn.Linear(d_model if i == 0 else hidden, hidden), nn.BatchNorm1d(hidden), nn.GELU()]
        return nn.Sequential(*layers, nn.Linear(hidden, n_out))
    return nn.Linear(d_model, n_out)


class ViT(nn.Module):
    """Patch embedding, class token, positional embeddings, encoder, head on the class token."""

    def __init__(self, cfg: ViTConfig) -> None:
        super().__init__()
        self.config = cfg
        self.patch_embed = PatchEmbedding(cfg)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, cfg.d_model))
        self.pos_embed = nn.Parameter(torch.randn(1, cfg.n_patches + 1, cfg.d_model) * 0.02)
        self.encoder = TransformerStack(cfg.block(), cfg.n_layers, final_norm=True)
        self.head = make_head(cfg.d_model, cfg.n_classes, cfg.head_hidden, cfg.head_depth)
        nn.init.normal_(self.cls_token, std=0.02)

    def tokens(self, pixels: torch.Tensor) -> torch.Tensor:
        """(B, C, S, S) -> (B, N, D) patch embeddings plus their positions (no class token)."""
        return self.patch_embed(pixels) + self.pos_embed[:, 1:]

    def encode_tokens(self, x: torch.Tensor, output_hidden_states: bool = False) -> TransformerOutput:
        """(B, n, D) patch tokens (all or a visible subset, positions added) -> encoder output (B, n + 1, D)."""
        cls = (self.cls_token + self.pos_embed[:, :1]).expand(x.shape[0], -1, -1)
        return self.encoder(torch.cat([cls, x], dim=1), output_hidden_states=output_hidden_states)

    def encode(self, pixels: torch.Tensor, output_hidden_states: bool = False) -> TransformerOutput:
        """(B, C, S, S) -> (B, N + 1, D): the class token, then the patches."""
        return self.encode_tokens(self.tokens(pixels), output_hidden_states)

    def features(self, pixels: torch.Tensor) -> torch.Tensor:
        """(B, D): the class token after the final LayerNorm (what the head and the linear probe read)."""
        return self.encode(pixels).last_hidden_state[:, 0]

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        """(B, C, S, S) -> (B, n_classes) logits (or the projection, for SimCLR)."""
        return self.head(self.features(pixels))


def patchify(pixels: torch.Tensor, patch: int) -> torch.Tensor:
    """(B, C, S, S) -> (B, N, p·p·C), each patch's pixels row by row, channels last (MAE's order)."""
    b, c, s, _ = pixels.shape
    g = s // patch
    x = pixels.reshape(b, c, g, patch, g, patch)
    return x.permute(0, 2, 4, 3, 5, 1).reshape(b, g * g, patch * patch * c)


def unpatchify(patches: torch.Tensor, patch: int, channels: int = 3) -> torch.Tensor:
    """(B, N, p·p·C) -> (B, C, S, S), the inverse of `patchify`."""
    b, n, _ = patches.shape
    g = int(round(n ** 0.5))
    x = patches.reshape(b, g, g, patch, patch, channels)
    return x.permute(0, 5, 1, 3, 2, 4).reshape(b, channels, g * patch, g * patch)
