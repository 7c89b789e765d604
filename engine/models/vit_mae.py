"""`vit-mae`: the masked autoencoder (He et al. 2022) on the project's blocks.

A random subset of the patches (`mask_ratio`, 0.75 by default) is hidden; the ViT encoder sees only
the visible patches (and the class token); a lighter decoder gets the encoded visible tokens back in
place, a shared learnt mask token in every hidden place, its own positional embeddings, and predicts
every patch's p·p·C pixels. The loss is the mean squared error on the hidden patches only,
optionally against each patch normalised by its own mean and variance (`norm_pix_loss`).
"""
from __future__ import annotations

from dataclasses import dataclass, fields

import torch
from torch import nn

from engine.errors import ConfigError
from engine.models.transformer import BlockConfig, TransformerStack
from engine.models.vit import ViT, ViTConfig, patchify


@dataclass
class MAEConfig(ViTConfig):
    """The encoder's ViT sizes plus the decoder's and the masking."""

    n_classes: int = 0
    dec_d_model: int = 48
    dec_layers: int = 1
    dec_heads: int = 4
    dec_d_ff: int = 96
    mask_ratio: float = 0.75
    norm_pix_loss: bool = False

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0.0 <= self.mask_ratio < 1.0:
            raise ConfigError(f"mask_ratio must be in [0, 1), got {self.mask_ratio}.")

    def encoder_config(self) -> ViTConfig:
        names = {f.name for f in fields(ViTConfig)}
        return ViTConfig(**{k: v for k, v in self.__dict__.items() if k in names})


@dataclass
class MAEOutput:
    pred: torch.Tensor           # (B, N, p·p·C) every patch predicted (in normalised units with norm_pix_loss)
    mask: torch.Tensor           # (B, N) 1 where the patch was hidden
    ids_restore: torch.Tensor    # (B, N) where each patch sits in the shuffled order


def random_masking(x: torch.Tensor, ratio: float, noise: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Keep the (1 - ratio)·N patches with the smallest noise. x (B, N, D), noise (B, N) ->
    (visible (B, n_keep, D), mask (B, N) 1 = hidden, ids_restore (B, N))."""
    b, n, d = x.shape
    keep = max(1, n - int(round(n * ratio)))
    ids_shuffle = torch.argsort(noise, dim=1)
    ids_restore = torch.argsort(ids_shuffle, dim=1)
    ids_keep = ids_shuffle[:, :keep]
    visible = torch.gather(x, 1, ids_keep[:, :, None].expand(-1, -1, d))
    mask = torch.ones(b, n, device=x.device)
    mask[:, :keep] = 0
    return visible, torch.gather(mask, 1, ids_restore), ids_restore


def noise_for_mask(mask: torch.Tensor) -> torch.Tensor:
    """(B, N) bool hidden patches -> noise that `random_masking` turns back into exactly this mask
    (every row must hide the same number of patches)."""
    counts = mask.sum(dim=1)
    if bool((counts != counts[0]).any()):
        raise ConfigError("every image of a batch must hide the same number of patches.")
    n = mask.shape[1]
    order = torch.arange(n, device=mask.device, dtype=torch.float32) / n
    return mask.float() + order[None, :] * 0.5


class MAE(nn.Module):
    """Encoder (a ViT without head) over the visible patches, decoder over all of them."""

    def __init__(self, cfg: MAEConfig) -> None:
        super().__init__()
        self.config = cfg
        self.encoder = ViT(cfg.encoder_config())
        dec = BlockConfig(cfg.dec_d_model, cfg.dec_heads, cfg.dec_d_ff, cfg.activation, norm_first=True, eps=cfg.eps)
        self.decoder_embed = nn.Linear(cfg.d_model, cfg.dec_d_model)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, cfg.dec_d_model))
        self.decoder_pos_embed = nn.Parameter(torch.randn(1, cfg.n_patches + 1, cfg.dec_d_model) * 0.02)
        self.decoder = TransformerStack(dec, cfg.dec_layers, final_norm=True)
        self.decoder_pred = nn.Linear(cfg.dec_d_model, cfg.patch * cfg.patch * cfg.channels)
        nn.init.normal_(self.mask_token, std=0.02)

    def forward(self, pixels: torch.Tensor, noise: torch.Tensor | None = None,
                mask_ratio: float | None = None) -> MAEOutput:
        """pixels (B, C, S, S); noise (B, N) decides which patches stay (the smallest); a fixed mask
        comes in through `noise_for_mask`."""
        ratio = self.config.mask_ratio if mask_ratio is None else float(mask_ratio)
        x = self.encoder.tokens(pixels)                                   # (B, N, D)
        if noise is None:
            noise = torch.rand(x.shape[:2], device=x.device)
        visible, mask, ids_restore = random_masking(x, ratio, noise)
        latent = self.encoder.encode_tokens(visible).last_hidden_state   # (B, 1 + n_keep, D)
        return MAEOutput(pred=self.decode(latent, ids_restore), mask=mask, ids_restore=ids_restore)

    def decode(self, latent: torch.Tensor, ids_restore: torch.Tensor) -> torch.Tensor:
        """(B, 1 + n_keep, D) encoded visible tokens -> (B, N, p·p·C) predicted patches."""
        y = self.decoder_embed(latent)
        b, n = ids_restore.shape
        fill = self.mask_token.expand(b, n + 1 - y.shape[1], -1)
        seq = torch.cat([y[:, 1:], fill], dim=1)                          # shuffled order
        seq = torch.gather(seq, 1, ids_restore[:, :, None].expand(-1, -1, y.shape[2]))
        seq = torch.cat([y[:, :1], seq], dim=1) + self.decoder_pos_embed
        return self.decoder_pred(self.decoder(seq).last_hidden_state[:, 1:])

    def target(self, pixels: torch.Tensor) -> torch.Tensor:
        """(B, N, p·p·C) what the decoder is trained to give: the patches, normalised per patch with norm_pix_loss."""
        target = patchify(pixels, self.config.patch)
        if self.config.norm_pix_loss:
            mean = target.mean(dim=-1, keepdim=True)
            var = target.var(dim=-1, keepdim=True)
            target = (target - mean) / (var + 1e-6) ** 0.5
        return target

    def loss(self, pixels: torch.Tensor, out: MAEOutput) -> torch.Tensor:
        """Mean squared error over the pixels of the hidden patches only."""
        per_patch = ((out.pred.float() - self.target(pixels)) ** 2).mean(dim=-1)      # (B, N)
        return (per_patch * out.mask).sum() / out.mask.sum().clamp_min(1.0)


def reconstruct_pixels(net: MAE, pred: torch.Tensor, pixels: torch.Tensor) -> torch.Tensor:
    """(B, N, p·p·C) predictions -> pixel values; with norm_pix_loss each patch takes the true
    patch's mean and spread (as MAE's own figures do)."""
    if not net.config.norm_pix_loss:
        return pred
    target = patchify(pixels, net.config.patch)
    mean, var = target.mean(-1, keepdim=True), target.var(-1, keepdim=True)
    return pred * (var + 1e-6) ** 0.5 + mean
