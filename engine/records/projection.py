"""Projection records: low-dimensional layouts of embeddings and nearest-neighbour lists."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

METHODS = ("pca", "tsne", "umap")
METRICS = ("euclidean", "cosine")


@dataclass(frozen=True)
class ProjectionParams:
    """What to compute: the method, the output dimensions and the method's knobs."""

    method: str = "pca"                 # pca | tsne | umap
    dims: int = 2                       # 2 | 3
    perplexity: float = 30.0            # t-SNE
    iterations: int = 1000              # t-SNE gradient steps (>= 251 from scratch)
    neighbors: int = 15                 # UMAP n_neighbors (the item itself included, as in umap-learn)
    min_dist: float = 0.1               # UMAP
    epochs: int = 0                     # UMAP optimisation epochs (0 = umap-learn's default: 500 small / 200 large)
    metric: str = "euclidean"           # euclidean | cosine (t-SNE and UMAP input space)
    seed: int = 0


@dataclass(frozen=True)
class Projection:
    """`coords[i]` is where item i of the projected embeddings lands; (N, dims) float32."""

    coords: np.ndarray                  # (N, dims) float32
    params: ProjectionParams
    explained_variance: np.ndarray | None = None   # (dims,) PCA: fraction of variance per component
    kl_divergence: float | None = None  # t-SNE: final KL(P || Q)
    iterations_done: int = 0            # t-SNE steps / UMAP epochs actually run
    seconds: float = 0.0
    note: str = ""

    def __post_init__(self) -> None:
        if self.coords.ndim != 2 or self.coords.shape[1] != self.params.dims:
            raise ValueError(f"coords must be (N, {self.params.dims}), got {self.coords.shape}")

    @property
    def method(self) -> str:
        return self.params.method

    @property
    def dims(self) -> int:
        return self.params.dims


@dataclass(frozen=True)
class NeighborList:
    """The k nearest items to item `query` in the original space, nearest first.

    `distances` are Euclidean distances, or cosine distances (1 - cosine similarity) for cosine."""

    query: int
    indices: np.ndarray                 # (k,) int64
    distances: np.ndarray               # (k,) float32
    metric: str = "euclidean"

    @property
    def similarities(self) -> np.ndarray:
        """Cosine similarities (cosine metric only): 1 - distance."""
        return (1.0 - self.distances).astype(np.float32)


@dataclass(frozen=True)
class NeighborGraph:
    """The k nearest neighbours of every item: indices/distances (N, k), self excluded, nearest first."""

    indices: np.ndarray                 # (N, k) int64
    distances: np.ndarray               # (N, k) float32
    metric: str = "euclidean"


@dataclass(frozen=True)
class PCABasis:
    """A fitted PCA: project with `(x - mean) @ components.T`."""

    mean: np.ndarray                    # (D,) float64
    components: np.ndarray              # (k, D) float64, unit rows, largest variance first
    explained_variance: np.ndarray      # (k,) variance along each component (ddof = 1)
    explained_variance_ratio: np.ndarray  # (k,) fraction of the total variance
