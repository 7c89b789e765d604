"""One entry point for every projection method, plus alignment of a new layout to an old one
(so that a live refresh keeps the picture still while a model trains)."""
from __future__ import annotations

import numpy as np

from engine.errors import ConfigError
from engine.progress import NullState, State
from engine.records.projection import METHODS, METRICS, Projection, ProjectionParams


def check_params(params: ProjectionParams) -> None:
    """ConfigError naming the key for a method, metric or dims that no projection offers."""
    if params.method not in METHODS:
        raise ConfigError(f"method '{params.method}' is not known; use one of: {', '.join(METHODS)}.")
    if params.metric not in METRICS:
        raise ConfigError(f"metric '{params.metric}' is not known; use one of: {', '.join(METRICS)}.")
    if params.dims not in (2, 3):
        raise ConfigError(f"dims must be 2 or 3, got {params.dims}.")


def project(vectors: np.ndarray, params: ProjectionParams, state: State | None = None,
            init: np.ndarray | None = None) -> Projection:
    """Project (N, D) vectors with `params.method`; `init` (N, dims) warm-starts t-SNE and UMAP."""
    check_params(params)
    state = state or NullState()
    if params.method == "pca":
        from engine.projection.pca import pca

        p = pca(vectors, params.dims, state)
        return Projection(coords=p.coords, params=params, explained_variance=p.explained_variance,
                          seconds=p.seconds)
    if params.method == "tsne":
        from engine.projection.tsne import tsne

        return tsne(vectors, params, state, init=init)
    from engine.projection.umap import umap

    return umap(vectors, params, state, init=init)


def align(previous: np.ndarray, new: np.ndarray) -> np.ndarray:
    """`new` (N, d) rotated or reflected onto `previous` (N, d) (orthogonal Procrustes), scaled to
    the same spread (RMS distance to the centre) and centred where it was, so that re-projecting a
    changed model neither flips, spins, shrinks nor moves the picture under a fixed camera."""
    a = np.asarray(previous, np.float64)
    b = np.asarray(new, np.float64)
    if a.shape != b.shape or a.shape[0] < a.shape[1] + 1:
        return np.asarray(new, np.float32)
    ma, mb = a.mean(axis=0), b.mean(axis=0)
    a0, b0 = a - ma, b - mb
    u, _, vt = np.linalg.svd(b0.T @ a0)
    r = u @ vt                                            # (d, d) orthogonal
    nb = np.sqrt((b0 ** 2).sum())
    scale = np.sqrt((a0 ** 2).sum()) / nb if nb > 0 else 1.0
    return (scale * b0 @ r + ma).astype(np.float32)
