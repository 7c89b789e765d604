"""Masked-patch reconstruction of one image (MAE's figure): the probe behind `mlsp reconstruct`
and the Masked patches view. Works for any model with RECONSTRUCT of images (ImageReconstructor)."""
from __future__ import annotations

import numpy as np

from engine.contract.capabilities import Capability
from engine.errors import ConfigError
from engine.records.vision import Reconstruction


def random_mask(grid: int, ratio: float, seed: int) -> np.ndarray:
    """(grid, grid) bool: round(ratio · grid²) patches hidden, drawn with `seed` (at least one
    hidden, at least one visible)."""
    if not 0.0 < ratio < 1.0:
        raise ConfigError(f"the mask ratio must be between 0 and 1 (exclusive), got {ratio}.")
    n = grid * grid
    hidden = min(max(int(round(ratio * n)), 1), n - 1)
    mask = np.zeros(n, bool)
    mask[np.random.RandomState(seed).permutation(n)[:hidden]] = True
    return mask.reshape(grid, grid)


def patch_means(values: np.ndarray, patch: int) -> np.ndarray:
    """(S, S) per-pixel values -> (S/p, S/p) their mean per patch."""
    g = values.shape[0] // patch
    return values[:g * patch, :g * patch].reshape(g, patch, g, patch).mean(axis=(1, 3))


def expand_mask(mask: np.ndarray, patch: int) -> np.ndarray:
    """(rows, cols) bool -> (rows·p, cols·p) bool per pixel."""
    return np.kron(mask.astype(np.uint8), np.ones((patch, patch), np.uint8)).astype(bool)


def resize_note(image, size: int) -> str:
    """What resizing to the model's square did to an image, when it is worth saying ("" otherwise)."""
    w, h = int(image.width), int(image.height)
    if w * h < size * size / 16:
        return f"a {w}×{h} image, enlarged to {size}×{size}: there is little to reconstruct"
    if max(w, h) > 8 * min(w, h):
        return f"a {w}×{h} image squeezed to {size}×{size} (aspect {max(w, h) / min(w, h):.0f}:1): shapes are distorted"
    return ""


def reconstruct(model, image, mask_ratio: float = 0.75, seed: int = 0, mask: np.ndarray | None = None) -> Reconstruction:
    """The image at the model's size, hidden patches (`mask`, or a random one of `mask_ratio` from
    `seed`), the model's reconstruction, errors and the mean-fill baseline."""
    model.require(Capability.RECONSTRUCT)
    p = int(model.patch)
    grid = int(model.image_size) // p
    if mask is None:
        mask = random_mask(grid, mask_ratio, seed)
    mask = np.asarray(mask, bool)
    if mask.shape != (grid, grid):
        raise ConfigError(f"the mask must be {grid} × {grid} patches, got {mask.shape}.")
    if mask.all() or not mask.any():
        raise ConfigError("hide at least one patch and leave at least one visible.")
    original = model.input_pixels(image)
    recon = model.reconstruct_pixels(original, mask)
    hidden = expand_mask(mask, p)[..., None]
    visible_mean = original[~hidden[..., 0]].mean(axis=0)                   # (3,)
    masked = np.where(hidden, np.float32(0.35), original).astype(np.float32)
    pasted = np.where(hidden, recon, original).astype(np.float32)
    err = ((recon - original) ** 2).mean(axis=2)
    base = ((visible_mean[None, None, :] - original) ** 2).mean(axis=2)
    note = "; ".join(n for n in (getattr(image, "note", "") or "", resize_note(image, int(model.image_size))) if n)
    return Reconstruction(original=original, masked=masked, reconstruction=recon, pasted=pasted, mask=mask,
                          patch_error=patch_means(err, p).astype(np.float32),
                          mse_masked=float(err[hidden[..., 0]].mean()), baseline_mse_masked=float(base[hidden[..., 0]].mean()),
                          patch=p, model=getattr(model, "name", ""), note=note)
