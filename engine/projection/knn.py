"""Exact k nearest neighbours in the original (high-dimensional) space, chunked so that
1,000,000 x 100 vectors fit: cosine or Euclidean, the item itself excluded."""
from __future__ import annotations

import numpy as np

from engine.errors import ConfigError, InputError
from engine.progress import NullState, State, check
from engine.projection.threads import single_thread_blas
from engine.records.projection import METRICS, NeighborGraph, NeighborList

_BLOCK = 16_000_000          # entries of one (queries x N) distance block (64 MB in float32)
_ROWS = 262_144              # rows of the data scanned at once for one query


def _check_metric(metric: str) -> str:
    if metric not in METRICS:
        raise ConfigError(f"metric '{metric}' is not known; use one of: {', '.join(METRICS)}.")
    return metric


def row_norms(x: np.ndarray) -> np.ndarray:
    """(N,) float32 Euclidean norms, computed in chunks (no (N, D) temporary)."""
    out = np.empty(x.shape[0], np.float32)
    for s in range(0, x.shape[0], _ROWS):
        c = x[s:s + _ROWS].astype(np.float32, copy=False)
        out[s:s + _ROWS] = np.sqrt(np.einsum("ij,ij->i", c, c))
    return out


def _exact(x: np.ndarray, q: np.ndarray, idx: np.ndarray, metric: str, qnorm: float) -> np.ndarray:
    """Distances from q (D,) to x[idx], in float64 for a clean ordering."""
    cand = x[idx].astype(np.float64)
    if metric == "euclidean":
        return np.sqrt(((cand - q.astype(np.float64)) ** 2).sum(axis=1))
    norms = np.maximum(np.linalg.norm(cand, axis=1), 1e-12)
    return 1.0 - (cand @ q.astype(np.float64)) / (norms * max(qnorm, 1e-12))


def nearest_to_vector(vectors: np.ndarray, query: np.ndarray, k: int, metric: str = "cosine",
                      exclude: int | None = None, norms: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Indices (k,) and distances (k,) of the rows of `vectors` (N, D) nearest to `query` (D,)."""
    _check_metric(metric)
    x = np.asarray(vectors)
    q = np.asarray(query, np.float32)
    n = x.shape[0]
    k = int(min(k, n - (exclude is not None)))
    if k < 1:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    norms = row_norms(x) if norms is None else norms
    qn = float(np.linalg.norm(q))
    score = np.empty(n, np.float32)                          # smaller is nearer
    with single_thread_blas():
        for s in range(0, n, _ROWS):
            dots = x[s:s + _ROWS].astype(np.float32, copy=False) @ q
            nb = norms[s:s + _ROWS]
            score[s:s + _ROWS] = (nb * nb - 2 * dots) if metric == "euclidean" else -dots / np.maximum(nb, 1e-12)
    if exclude is not None:
        score[exclude] = np.inf
    m = min(n, k + 8)                                        # a few spare candidates for float32 ties
    cand = np.argpartition(score, m - 1)[:m] if m < n else np.arange(n)
    cand = cand[np.isfinite(score[cand])]
    d = _exact(x, q, cand, metric, qn)
    order = np.lexsort((cand, d))[:k]
    return cand[order].astype(np.int64), d[order].astype(np.float32)


def nearest(vectors: np.ndarray, index: int, k: int = 10, metric: str = "cosine",
            norms: np.ndarray | None = None) -> NeighborList:
    """The k nearest rows to row `index` (itself excluded), nearest first."""
    n = np.asarray(vectors).shape[0]
    if not 0 <= int(index) < n:
        raise InputError(f"item {index} does not exist; there are {n} items.")
    idx, dist = nearest_to_vector(vectors, np.asarray(vectors)[int(index)], k, metric, exclude=int(index), norms=norms)
    return NeighborList(query=int(index), indices=idx, distances=dist, metric=metric)


def knn_graph(vectors: np.ndarray, k: int, metric: str = "euclidean", state: State | None = None) -> NeighborGraph:
    """Every row's k nearest other rows: (N, k) indices and distances, nearest first.

    Brute force in (chunk x N) blocks: exact, O(N^2 D), cancellable between blocks."""
    _check_metric(metric)
    state = state or NullState()
    x = np.asarray(vectors, np.float32)
    n = x.shape[0]
    k = int(min(k, n - 1))
    if k < 1:
        raise InputError(f"nearest neighbours need at least 2 items, got {n}.")
    if metric == "cosine":
        x = x / np.maximum(row_norms(x), 1e-12)[:, None]
    sq = np.einsum("ij,ij->i", x, x)
    rows = max(1, min(n, _BLOCK // n))
    out_i = np.empty((n, k), np.int64)
    out_d = np.empty((n, k), np.float32)
    with single_thread_blas():
        for s in range(0, n, rows):
            check(state)
            e = min(s + rows, n)
            d2 = sq[s:e, None] + sq[None, :] - 2.0 * (x[s:e] @ x.T)       # (rows, N)
            d2[np.arange(e - s), np.arange(s, e)] = np.inf
            cand = np.argpartition(d2, k - 1, axis=1)[:, :k]
            out_i[s:e], out_d[s:e] = _sort_exact(x, s, cand, metric)
            state.progress(e / n, f"nearest neighbours: {e:,} of {n:,}")
    return NeighborGraph(indices=out_i, distances=out_d, metric=metric)


def _sort_exact(x: np.ndarray, start: int, cand: np.ndarray, metric: str) -> tuple[np.ndarray, np.ndarray]:
    """Exact distances of each row's candidates (rows, k), sorted nearest first."""
    d = np.empty(cand.shape, np.float64)
    step = max(1, 4_000_000 // (cand.shape[1] * x.shape[1]))                 # bound the (step, k, D) temporary
    for s in range(0, cand.shape[0], step):
        e = min(s + step, cand.shape[0])
        q = x[start + s:start + e].astype(np.float64)[:, None, :]             # (rows, 1, D)
        diff = x[cand[s:e]].astype(np.float64) - q                              # (rows, k, D)
        d[s:e] = np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))
    if metric == "cosine":                      # rows are unit vectors: 1 - cos = |a - b|^2 / 2
        d = d ** 2 / 2.0
    order = np.argsort(d, axis=1, kind="stable")
    return np.take_along_axis(cand, order, 1), np.take_along_axis(d, order, 1).astype(np.float32)
