"""PCA fast enough for a million vectors: the covariance route (one pass of float32 GEMMs
summed in float64, then a D x D eigen-decomposition) when N is large, exact SVD when small.

1,000,000 x 100 takes about a second on one core (benchmarks/projector_fps.py).
"""
from __future__ import annotations

import time

import numpy as np

from engine.errors import InputError
from engine.progress import NullState, State, check
from engine.projection.threads import single_thread_blas
from engine.records.projection import PCABasis, Projection, ProjectionParams

_CHUNK = 65536                  # rows per GEMM chunk
_EXACT_LIMIT = 4_000_000        # N * D up to which a plain SVD is cheap
_COV_MAX_DIM = 4096             # widest D for the covariance route


def check_vectors(vectors: np.ndarray, min_rows: int = 2) -> np.ndarray:
    """(N, D) finite float array, or InputError saying what is wrong."""
    x = np.asarray(vectors)
    if x.ndim != 2:
        raise InputError(f"vectors must be a 2-D table (N rows x D columns), got shape {x.shape}.")
    if x.shape[0] < min_rows or x.shape[1] < 1:
        raise InputError(f"projecting needs at least {min_rows} vectors of at least 1 dimension, got {x.shape}.")
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float32)
    if not np.isfinite(x).all():
        bad = int(np.flatnonzero(~np.isfinite(x).all(axis=1))[0])
        raise InputError(f"vector {bad + 1} has a NaN or infinite value; remove or fix that row.")
    return x


def _sign_fix(components: np.ndarray) -> np.ndarray:
    """Make the largest-magnitude loading of each component positive (sklearn's svd_flip rule)."""
    rows = np.arange(components.shape[0])
    signs = np.sign(components[rows, np.argmax(np.abs(components), axis=1)])
    signs[signs == 0] = 1.0
    return components * signs[:, None]


def _fit_exact(x: np.ndarray, k: int) -> PCABasis:
    mean = x.mean(axis=0, dtype=np.float64)
    xc = x.astype(np.float64) - mean
    _, s, vt = np.linalg.svd(xc, full_matrices=False)
    var = s ** 2 / max(x.shape[0] - 1, 1)
    total = var.sum()
    comps = _sign_fix(vt[:k])
    return PCABasis(mean=mean, components=comps, explained_variance=var[:k],
                    explained_variance_ratio=var[:k] / total if total > 0 else np.zeros(k))


def _fit_covariance(x: np.ndarray, k: int, state: State) -> PCABasis:
    n, d = x.shape
    mean = x.mean(axis=0, dtype=np.float64)
    m = mean.astype(x.dtype)
    cov = np.zeros((d, d), np.float64)
    with single_thread_blas():
        for start in range(0, n, _CHUNK):
            check(state)
            c = x[start:start + _CHUNK] - m
            cov += (c.T @ c).astype(np.float64)
            state.progress(0.8 * min(start + _CHUNK, n) / n, "PCA: covariance")
    cov /= max(n - 1, 1)
    evals, evecs = np.linalg.eigh(cov)
    order = np.argsort(evals)[::-1]
    evals = np.clip(evals[order], 0.0, None)
    comps = _sign_fix(evecs[:, order[:k]].T)
    total = float(np.trace(cov))
    return PCABasis(mean=mean, components=comps, explained_variance=evals[:k],
                    explained_variance_ratio=evals[:k] / total if total > 0 else np.zeros(k))


def _fit_randomized(x: np.ndarray, k: int) -> PCABasis:
    from sklearn.decomposition import PCA

    p = PCA(n_components=k, svd_solver="randomized", random_state=0).fit(x)
    return PCABasis(mean=p.mean_.astype(np.float64), components=_sign_fix(p.components_.astype(np.float64)),
                    explained_variance=p.explained_variance_, explained_variance_ratio=p.explained_variance_ratio_)


def pca_fit(vectors: np.ndarray, n_components: int, state: State | None = None) -> PCABasis:
    """Fit PCA with `n_components` (at most min(N, D)) components; vectors (N, D)."""
    state = state or NullState()
    x = check_vectors(vectors)
    k = int(n_components)
    if k < 1:
        raise InputError(f"PCA needs at least one component, got {k}.")
    k = min(k, x.shape[0], x.shape[1])
    n, d = x.shape
    if n * d <= _EXACT_LIMIT or d > n:
        return _fit_exact(x, k) if n * d <= 50_000_000 else _fit_randomized(x, k)
    if d <= _COV_MAX_DIM:
        return _fit_covariance(x, k, state)
    return _fit_randomized(x, k)


def pca_transform(basis: PCABasis, vectors: np.ndarray, dims: int, state: State | None = None) -> np.ndarray:
    """(N, dims) float32 coordinates; columns beyond the fitted components are zero."""
    state = state or NullState()
    x = np.asarray(vectors)
    n = x.shape[0]
    w = basis.components.T.astype(np.float32)                  # (D, k)
    shift = (basis.mean @ basis.components.T).astype(np.float32)
    out = np.zeros((n, dims), np.float32)
    k = w.shape[1]
    with single_thread_blas():
        for start in range(0, n, 4 * _CHUNK):
            check(state)
            out[start:start + 4 * _CHUNK, :k] = x[start:start + 4 * _CHUNK].astype(np.float32, copy=False) @ w - shift
            state.progress(0.8 + 0.2 * min(start + 4 * _CHUNK, n) / n, "PCA: projecting")
    return out


def pca(vectors: np.ndarray, dims: int = 2, state: State | None = None) -> Projection:
    """Project (N, D) vectors onto their first `dims` principal components."""
    t0 = time.perf_counter()
    basis = pca_fit(vectors, dims, state)
    coords = pca_transform(basis, vectors, dims, state)
    ratio = np.zeros(dims)
    ratio[:len(basis.explained_variance_ratio)] = basis.explained_variance_ratio
    return Projection(coords=coords, params=ProjectionParams(method="pca", dims=dims),
                      explained_variance=ratio, seconds=time.perf_counter() - t0)
