"""What every vision task shares: the image set as tensors, batching, augmentations drawn from the
trainer's generator, and the evaluation split."""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from engine.data.image_sets import load_image_set, resize_images
from engine.models.image_augment import all_rotations, colour_jitter, crop_and_jitter, random_resized_crop, random_stretch_shear
from engine.records.vision import ImageSet


class ImageTensors:
    """Map-style dataset of (image (3, S, S) float32, label, index)."""

    def __init__(self, images: torch.Tensor, labels: torch.Tensor) -> None:
        self.images, self.labels = images, labels
        self.index = torch.arange(images.shape[0])

    def __len__(self) -> int:
        return int(self.images.shape[0])

    def __getitem__(self, i: int):
        return self.images[i], self.labels[i], self.index[i]

    def __getitems__(self, idx: list[int]):
        return [(self.images[idx], self.labels[idx], self.index[idx])]


def to_tensor(images: np.ndarray) -> torch.Tensor:
    """(N, S, S, 3) float32 -> (N, 3, S, S) float32."""
    return torch.from_numpy(np.ascontiguousarray(images.transpose(0, 3, 1, 2))).float()


def load_tensors(data: str, split: str, size: int) -> tuple[ImageSet, ImageTensors]:
    found = load_image_set(data, split)
    images = resize_images(found.images, size)
    return found, ImageTensors(to_tensor(images), torch.from_numpy(found.labels.copy()))


def collate(items: list):
    """-> (images (B, 3, S, S), labels (B,), indices (B,))."""
    if len(items) == 1 and items[0][0].dim() == 4:
        return items[0]
    return (torch.stack([i[0] for i in items]), torch.stack([torch.as_tensor(i[1]) for i in items]),
            torch.stack([torch.as_tensor(i[2]) for i in items]))


def batched(fn, x: torch.Tensor, batch: int = 256) -> torch.Tensor:
    """fn applied batch by batch under no_grad, results concatenated."""
    with torch.no_grad():
        return torch.cat([fn(x[i:i + batch]) for i in range(0, x.shape[0], batch)])


def unwrap(model: Any) -> Any:
    """The network inside a DistributedDataParallel wrapper (or the network itself)."""
    return getattr(model, "module", model)


def probe_metrics(backbone, data: str, size: int, labels_per_class: tuple[int, ...] = (10,)) -> dict[str, float]:
    """Linear-probe accuracy of the class-token features on `data`'s test split (all train labels and a few)."""
    from engine.probes.linear_probe import fit_and_score
    from engine.records.vision import FeatureSet

    device = next(backbone.parameters()).device
    sets = {}
    for split in ("train", "test"):
        found, tensors = load_tensors(data, split, size)
        if not found.labelled or len(found.classes) < 2:
            return {}
        feats = batched(lambda b: backbone.features(b.to(device)).float().cpu(), tensors.images)
        sets[split] = FeatureSet(feats.numpy(), found.labels, found.classes, found.name)
    out = {"probe_acc": fit_and_score(sets["train"], sets["test"], None, 0).accuracy}
    for n in labels_per_class:
        out[f"probe_acc_{n}"] = fit_and_score(sets["train"], sets["test"], n, 0).accuracy
    return out


def steps_per_epoch(n_items: int, batch_size: int) -> int:
    return max(1, math.floor(n_items / max(1, batch_size)))


__all__ = ["ImageTensors", "all_rotations", "batched", "collate", "colour_jitter", "crop_and_jitter", "load_tensors",
           "probe_metrics", "random_resized_crop", "random_stretch_shear", "steps_per_epoch", "to_tensor", "unwrap"]
