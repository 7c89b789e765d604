"""`builtin:shapes`: labelled images of simple shapes, written by the project and deterministic from a
seed. Each image holds one shape (circle, square, triangle, cross or ring: the label) at a random
position and size, in a random colour and texture (solid, stripes, checks or dots) on a plain
background of another colour."""
from __future__ import annotations

import numpy as np

SHAPES = ["circle", "square", "triangle", "cross", "ring"]
TEXTURES = ["solid", "stripes", "checks", "dots"]


def _shape_mask(kind: str, yy: np.ndarray, xx: np.ndarray, cy: float, cx: float, r: float) -> np.ndarray:
    """(S, S) bool: the pixels inside a shape of half-size `r` centred at (cy, cx)."""
    dy, dx = yy - cy, xx - cx
    if kind == "circle":
        return dy * dy + dx * dx <= r * r
    if kind == "square":
        return (np.abs(dy) <= r * 0.85) & (np.abs(dx) <= r * 0.85)
    if kind == "triangle":                      # apex up, base at cy + r
        return (dy <= r * 0.8) & (dy >= -r) & (np.abs(dx) <= (dy + r) * 0.58)
    if kind == "cross":
        w = max(r * 0.33, 1.0)
        return ((np.abs(dy) <= w) & (np.abs(dx) <= r)) | ((np.abs(dx) <= w) & (np.abs(dy) <= r))
    d2 = dy * dy + dx * dx                      # ring
    return (d2 <= r * r) & (d2 >= (r * 0.55) ** 2)


def _texture(kind: str, yy: np.ndarray, xx: np.ndarray, period: int, phase: int) -> np.ndarray:
    """(S, S) float in 0..1: 1 where the shape's colour shows, lower where the texture shades it."""
    if kind == "solid":
        return np.ones_like(yy, dtype=np.float32)
    if kind == "stripes":
        return np.where(((xx + yy + phase) // period) % 2 == 0, 1.0, 0.45).astype(np.float32)
    if kind == "checks":
        return np.where(((xx // period) + (yy // period) + phase) % 2 == 0, 1.0, 0.45).astype(np.float32)
    return np.where(((xx + phase) % period < period / 2) & ((yy + phase) % period < period / 2), 1.0, 0.5
                    ).astype(np.float32)


def make_shapes(n: int, seed: int, size: int = 32) -> tuple[np.ndarray, np.ndarray]:
    """(images (n, size, size, 3) float32 in 0..1, labels (n,) int64 into SHAPES), the same for the
    same (n, seed, size)."""
    rng = np.random.RandomState(seed)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    images = np.empty((n, size, size, 3), np.float32)
    labels = rng.randint(0, len(SHAPES), size=n).astype(np.int64)
    for i in range(n):
        r = rng.uniform(0.18, 0.38) * size
        cy, cx = rng.uniform(r, size - r, size=2)
        fg = rng.uniform(0.35, 1.0, size=3).astype(np.float32)
        bg = rng.uniform(0.0, 0.3, size=3).astype(np.float32)
        if rng.rand() < 0.5:
            fg, bg = bg * 0.6, 1.0 - bg * 0.5                   # dark shape on a light background
        texture = TEXTURES[rng.randint(len(TEXTURES))]
        shade = _texture(texture, yy.astype(int), xx.astype(int), int(rng.randint(2, 5)), int(rng.randint(0, 4)))
        inside = _shape_mask(SHAPES[labels[i]], yy, xx, cy, cx, r)[..., None]
        img = np.where(inside, fg[None, None, :] * shade[..., None], bg[None, None, :])
        images[i] = np.clip(img + rng.normal(0, 0.02, size=img.shape), 0, 1)
    return images, labels
