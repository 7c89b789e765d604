"""UMAP through umap-learn (the optional extra `umap`), with progress and cancel.

umap-learn reports its epochs through tqdm; its documented `tqdm_kwds` option points that bar
at `_EpochSink`, which turns each update into a progress report and raises `Cancelled` when
asked to stop, between two epochs. Up to `EXACT_KNN_LIMIT` points the neighbours come from
`knn.knn_graph` (exact, cancellable, with progress) through umap's `precomputed_knn`; above
it umap-learn's own NN-descent runs (approximate, no progress until the epochs start).
"""
from __future__ import annotations

import sys
import time
import warnings

import numpy as np

from engine.errors import ConfigError
from engine.progress import Cancelled, NullState, State, SubState
from engine.projection.knn import knn_graph
from engine.projection.pca import check_vectors
from engine.records.projection import Projection, ProjectionParams

EXACT_KNN_LIMIT = 100_000
MISSING = ("UMAP needs the optional package umap-learn; install it with "
           "`pip install \"mlsp-explorer[umap]\"` (or `pip install umap-learn`), or use PCA or t-SNE.")


def available() -> bool:
    """True when umap-learn can be imported (cheap: looks for the module, imports nothing)."""
    import importlib.util

    return importlib.util.find_spec("umap") is not None


def _raise_cancelled() -> None:
    """Raise Cancelled out of tqdm's `refresh`, releasing the write lock it holds around the write.

    tqdm's refresh does acquire(); display(); release() with no try/finally, so an exception from
    the sink would leave tqdm's global lock held by this thread: the next UMAP (or any tqdm bar)
    on another thread would then wait for it forever. Outside a locked refresh (tqdm closing its
    bar) nothing is raised: the layout is finished by then anyway."""
    frame = sys._getframe(2)
    while frame is not None:
        code = frame.f_code
        if code.co_name == "refresh" and "tqdm" in code.co_filename:
            if frame.f_locals.get("nolock"):
                raise Cancelled()
            frame.f_locals["self"]._lock.release()
            raise Cancelled()
        frame = frame.f_back


class _EpochSink:
    """A file for tqdm: each write of "n/total" becomes a progress report; cancel raises once."""

    def __init__(self, state: State) -> None:
        self.state, self.raised, self.epochs = state, False, 0

    def write(self, text: str) -> None:
        parts = text.strip().split("/")
        if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit() and int(parts[1]) > 0:
            self.epochs = int(parts[0])
            self.state.progress(int(parts[0]) / int(parts[1]), f"UMAP: epoch {parts[0]} of {parts[1]}")
        if not self.raised and self.state.cancelled():
            self.raised = True
            _raise_cancelled()

    def flush(self) -> None:
        pass


def check_params(params: ProjectionParams, n: int) -> None:
    if params.dims not in (2, 3):
        raise ConfigError(f"the projector shows 2-D or 3-D layouts; dims {params.dims} is not possible.")
    if not 2 <= params.neighbors < n:
        raise ConfigError(f"UMAP neighbours must be at least 2 and below the number of points ({n}); "
                          f"got {params.neighbors}.")
    if not 0.0 <= params.min_dist <= 1.0:
        raise ConfigError(f"UMAP min_dist must be between 0 and 1, got {params.min_dist:g}.")
    if params.epochs < 0:
        raise ConfigError(f"UMAP epochs must be 0 (umap-learn's default) or more, got {params.epochs}.")


def umap(vectors: np.ndarray, params: ProjectionParams, state: State | None = None,
         init: np.ndarray | None = None) -> Projection:
    """UMAP of (N, D) vectors into (N, params.dims); `init` (N, dims) starts from a given layout."""
    t0 = time.perf_counter()
    state = state or NullState()
    x = check_vectors(vectors, min_rows=3)
    n = x.shape[0]
    check_params(params, n)
    if not available():
        raise ConfigError(MISSING)
    state.progress(0.0, "UMAP: nearest neighbours")
    knn = (None, None, None)
    if n <= EXACT_KNN_LIMIT:
        g = knn_graph(x, params.neighbors - 1, params.metric, SubState(state, 0.0, 0.3))
        idx = np.concatenate([np.arange(n)[:, None], g.indices], axis=1)          # itself first, as umap wants
        dist = np.concatenate([np.zeros((n, 1), np.float32), g.distances], axis=1)
        knn = (idx, dist, None)
    state.progress(0.3, "UMAP: fuzzy graph (compiling on first use)")
    import umap as umap_learn

    sink = _EpochSink(SubState(state, 0.3, 1.0))
    if init is not None and np.asarray(init).shape != (n, params.dims):
        raise ConfigError(f"the starting layout must be ({n}, {params.dims}), got {np.asarray(init).shape}.")
    model = umap_learn.UMAP(
        n_components=params.dims, n_neighbors=params.neighbors, min_dist=params.min_dist, metric=params.metric,
        n_epochs=params.epochs or None, random_state=params.seed, precomputed_knn=knn,
        init="spectral" if init is None else np.asarray(init, np.float32),
        tqdm_kwds={"disable": False, "file": sink, "bar_format": "{n}/{total}", "mininterval": 0, "miniters": 1})
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*(knn_search_index|n_jobs|random_state).*")
        coords = model.fit_transform(x)
    return Projection(coords=np.asarray(coords, np.float32), params=params, iterations_done=sink.epochs,
                      seconds=time.perf_counter() - t0)
