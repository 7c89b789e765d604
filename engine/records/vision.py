"""Records of the vision models: sets of images, masked-patch reconstructions, class
probabilities, frozen features and linear-probe results (numpy arrays and strings, no torch)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class ImageSet:
    """Labelled (or unlabelled) images: `images` (N, H, W, 3) float32 in 0..1; `labels` (N,) int64
    indexes `classes`, -1 where an image has no label."""

    name: str
    images: np.ndarray
    labels: np.ndarray
    classes: list[str]
    note: str = ""                     # e.g. "skipped notes.txt (not an image)"

    def __len__(self) -> int:
        return int(self.images.shape[0])

    @property
    def labelled(self) -> bool:
        return len(self.classes) > 0 and bool(np.all(self.labels >= 0))


@dataclass(frozen=True)
class Reconstruction:
    """MAE's figure for one image: the original, the masked input, the reconstruction and the
    reconstruction with the visible patches pasted back, all (S, S, 3) float32 in 0..1 at the
    model's input size; `mask` (rows, cols) True where a patch was hidden; `patch_error` (rows,
    cols) the mean squared error of each patch's reconstruction."""

    original: np.ndarray
    masked: np.ndarray
    reconstruction: np.ndarray
    pasted: np.ndarray
    mask: np.ndarray
    patch_error: np.ndarray
    mse_masked: float                  # mean over the pixels of the masked patches
    baseline_mse_masked: float         # the same with each masked patch filled by the visible pixels' mean
    patch: int
    model: str = ""
    note: str = ""

    @property
    def grid(self) -> tuple[int, int]:
        return int(self.mask.shape[0]), int(self.mask.shape[1])

    def to_json(self) -> dict:
        return {"mse_masked": float(self.mse_masked), "baseline_mse_masked": float(self.baseline_mse_masked),
                "mask": [[int(v) for v in row] for row in self.mask]}


@dataclass(frozen=True)
class ClassProbabilities:
    """A classifier's answer for one image: `labels` with `probs` (sum 1), best first."""

    labels: list[str]
    probs: np.ndarray
    model: str = ""

    @property
    def best(self) -> str:
        return self.labels[0] if self.labels else ""


@dataclass(frozen=True)
class FeatureSet:
    """Frozen features of labelled items: `features` (N, D) float32, `labels` (N,) int64 into `classes`."""

    features: np.ndarray
    labels: np.ndarray
    classes: list[str]
    name: str = ""


@dataclass(frozen=True)
class ProbeResult:
    """A linear classifier on frozen features: test accuracy with `labels` labelled items per class."""

    accuracy: float
    labels: int
    seed: int
    train_items: int
    test_items: int
    model: str = ""
    data: str = ""
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"accuracy": float(self.accuracy), "labels": int(self.labels), "seed": int(self.seed),
                "train_items": int(self.train_items), "test_items": int(self.test_items),
                "model": self.model, "data": self.data}


@dataclass(frozen=True)
class ImageAttention:
    """A vision transformer's self-attention over one image: `pixels` (S, S, 3) at the model's
    input size, `weights` (L, H, T, T) with the class token first (`offset` leading tokens) then the
    grid's patches row by row, and `rollout` (T, T) (Abnar & Zuidema)."""

    pixels: np.ndarray
    weights: np.ndarray
    rollout: np.ndarray
    grid: tuple[int, int]
    offset: int = 1
    model: str = ""
    note: str = ""

    def patch_map(self, row: np.ndarray) -> np.ndarray:
        """One query's weights over the keys (T,) -> (rows, cols) over the patches only."""
        return np.asarray(row)[self.offset:].reshape(self.grid)

    def query_of(self, patch_row: int, patch_col: int) -> int:
        """The token index of a patch."""
        return self.offset + patch_row * self.grid[1] + patch_col


@dataclass(frozen=True)
class RotationPredictions:
    """RotNet on sample images: `images` (N, 4, S, S, 3) each image turned by 0/90/180/270°,
    `probs` (N, 4, 4) the predicted probabilities of each turn for each turned copy."""

    images: np.ndarray
    probs: np.ndarray
    turns: list[str]
    model: str = ""

    @property
    def accuracy(self) -> float:
        return float(np.mean(self.probs.argmax(-1) == np.arange(4)[None, :]))


@dataclass(frozen=True)
class ContrastiveBatch:
    """SimCLR on one batch: `views` (2N, S, S, 3), rows i and i + N the two augmented views of image
    i; `similarity` (2N, 2N) cosine similarity of the projections; `positive[i]` the partner of i."""

    views: np.ndarray
    similarity: np.ndarray
    positive: np.ndarray
    temperature: float
    model: str = ""

    @property
    def partner_accuracy(self) -> float:
        sim = self.similarity.copy()
        np.fill_diagonal(sim, -np.inf)
        return float(np.mean(sim.argmax(-1) == self.positive))


@dataclass(frozen=True)
class ClusterGrid:
    """k-means on a model's features: `members[c]` indices (into `images`) of cluster c's samples
    shown, `sizes[c]`, `purity[c]` the share of its most common label (`majority[c]`), and overall."""

    images: np.ndarray
    members: list[np.ndarray]
    sizes: np.ndarray
    purity: np.ndarray
    majority: list[str]
    overall_purity: float
    model: str = ""
