"""Augmentations of image batches for the self-supervised tasks, every random draw from the given
generator (so a resumed run reproduces the uninterrupted one): (B, C, S, S) float in 0..1 in and out."""
from __future__ import annotations

import torch
import torch.nn.functional as F


def random_resized_crop(x: torch.Tensor, generator: torch.Generator, min_area: float = 0.5,
                        max_turn: float = 0.25) -> torch.Tensor:
    """Each image cropped to a random area in [min_area, 1], a small random turn (radians) and
    shift, resized back (bilinear): (B, C, S, S) -> (B, C, S, S)."""
    b = x.shape[0]
    u = torch.rand(b, 4, generator=generator)
    scale = torch.sqrt(min_area + (1 - min_area) * u[:, 0])
    angle = (u[:, 1] * 2 - 1) * max_turn
    tx, ty = (u[:, 2] * 2 - 1) * (1 - scale), (u[:, 3] * 2 - 1) * (1 - scale)
    cos, sin = torch.cos(angle) * scale, torch.sin(angle) * scale
    theta = torch.stack([torch.stack([cos, -sin, tx], 1), torch.stack([sin, cos, ty], 1)], 1).to(x.device, x.dtype)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


def random_stretch_shear(x: torch.Tensor, generator: torch.Generator, shear: float = 0.4,
                         stretch: float = 0.3) -> torch.Tensor:
    """Each image sheared horizontally by a factor in [-shear, shear] and each axis scaled by
    exp(u), u in [-stretch, stretch]: it takes away the handwriting's slant and the digits' upright
    aspect, cues a rotation could otherwise be read from. (B, C, S, S) -> (B, C, S, S)."""
    b = x.shape[0]
    u = torch.rand(b, 3, generator=generator) * 2 - 1
    sx, sy, zero = torch.exp(u[:, 1] * stretch), torch.exp(u[:, 2] * stretch), torch.zeros(b)
    theta = torch.stack([torch.stack([sx, u[:, 0] * shear, zero], 1), torch.stack([zero, sy, zero], 1)], 1)
    grid = F.affine_grid(theta.to(x.device, x.dtype), list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


def all_rotations(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Every image at all four turns (Gidaris et al.'s batches): (B, C, S, S) -> ((4B, C, S, S) with
    turn k in rows kB..(k+1)B-1, k (4B,))."""
    turned = torch.cat([torch.rot90(x, k, dims=(2, 3)) for k in range(4)])
    return turned, torch.arange(4, device=x.device).repeat_interleave(x.shape[0])


def crop_and_jitter(x: torch.Tensor, generator: torch.Generator, crop_min: float = 0.5) -> torch.Tensor:
    """SimCLR's view of an image (also DeepCluster's): a random resized crop of area >= crop_min with a
    turn of up to 0.3 rad, then colour jitter."""
    return colour_jitter(random_resized_crop(x, generator, min_area=crop_min, max_turn=0.3), generator)


def colour_jitter(x: torch.Tensor, generator: torch.Generator, strength: float = 0.4) -> torch.Tensor:
    """Random brightness, contrast and per-channel gain, plus a little noise; stays in 0..1."""
    b, c = x.shape[:2]
    u = torch.rand(b, 3 + c, generator=generator).to(x.device, x.dtype)
    bright = (u[:, 0] * 2 - 1) * strength * 0.5
    contrast = 1 + (u[:, 1] * 2 - 1) * strength
    gain = 1 + (u[:, 3:] * 2 - 1) * strength * 0.5
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    y = (x - mean) * contrast[:, None, None, None] + mean + bright[:, None, None, None]
    y = y * gain[:, :, None, None]
    noise = torch.randn(x.shape, generator=generator).to(x.device, x.dtype) * 0.02
    return (y + noise).clamp(0, 1)
