"""Configs of the pretext models on the `vit` backbone: what each self-supervised task adds to
ViTConfig. The networks are plain `ViT`s (engine/models/vit.py); the tasks in engine/tasks/ differ.

    rotnet    predict which of 0/90/180/270° an image was turned by (Gidaris et al. 2018)
    simclr    two augmented views of each image, NT-Xent over the batch (Chen et al. 2020)
    cluster   k-means on the projections -> pseudo-labels and centroids, re-clustered every epoch
              (DeepCluster, Caron et al. 2018; its v2 form, Caron et al. 2020)
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar

from engine.errors import ConfigError
from engine.models.vit import ViTConfig


def vit_fields(cfg) -> ViTConfig:
    """The ViTConfig part of any vision config (what the network is built from)."""
    names = {f.name for f in fields(ViTConfig)}
    return ViTConfig(**{k: v for k, v in cfg.__dict__.items() if k in names})


@dataclass
class RotNetConfig(ViTConfig):
    n_classes: int = 4
    head_hidden: int = 96         # an MLP head: the rotation lives in it, the class token keeps the digit
    head_depth: int = 2           # two hidden layers: more of the rotation-specific work in the head
    crop_min: float = 0.5         # augmentations before the four turns: smallest crop area kept,
    max_turn: float = 0.3         # largest small turn (radians),
    shear: float = 0.4            # largest horizontal shear,
    stretch: float = 0.3          # largest log-scale of each axis


@dataclass
class SimCLRConfig(ViTConfig):
    n_classes: int = 64           # the projection's width (the head is an MLP)
    head_hidden: int = 96
    temperature: float = 0.2
    crop_min: float = 0.5         # random resized crop: smallest area kept

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.temperature <= 0:
            raise ConfigError(f"temperature must be positive, got {self.temperature}.")


@dataclass
class ClusterConfig(ViTConfig):
    n_classes: int = 64           # the projection's width (the head is an MLP; the centroids classify)
    head_hidden: int = 96
    k: int = 100                  # the number of k-means clusters (pseudo-labels)
    kmeans_iters: int = 20
    temperature: float = 0.1
    crop_min: float = 0.5         # random resized crop: smallest area kept
    teacher_momentum: float = 0.99  # > 0: k-means on a trailing copy's projections (its weights an
                                    # exponential moving average of the model's); 0: the model's own
    SAVED_BEFORE: ClassVar[dict[str, Any]] = {**ViTConfig.SAVED_BEFORE, "teacher_momentum": 0.0}

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.k < 2:
            raise ConfigError(f"k (the number of clusters) must be at least 2, got {self.k}.")
        if self.temperature <= 0:
            raise ConfigError(f"temperature must be positive, got {self.temperature}.")
        if not 0 <= self.teacher_momentum < 1:
            raise ConfigError(f"teacher_momentum must be at least 0 and below 1, got {self.teacher_momentum}.")
