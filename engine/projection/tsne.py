"""t-SNE (Barnes-Hut) with progress and cancel, built from scikit-learn's own parts.

scikit-learn's `TSNE` offers no callback, so this module runs the same pipeline itself:
exact k nearest neighbours (`knn.knn_graph`, k = 3 * perplexity + 1, cancellable), sklearn's
`_joint_probabilities_nn` for P, and sklearn's `_gradient_descent` over its Barnes-Hut
objective `_kl_divergence_bh`, with the same schedule (250 steps of early exaggeration 12 at
momentum 0.5, then momentum 0.8; learning rate max(N / 48, 50); PCA init scaled to std 1e-4).
The objective is wrapped to report progress and stop on cancel at every gradient step, so
the layout equals `sklearn.manifold.TSNE`'s for the same neighbours and init
(tests/engine/test_projection_tsne.py). Passing `init` (e.g. the previous layout while a
model trains) skips the exaggeration phase and continues from there.
"""
from __future__ import annotations

import time

import numpy as np

from engine.errors import ConfigError
from engine.progress import NullState, State, SubState, check
from engine.projection.knn import knn_graph
from engine.projection.pca import check_vectors, pca
from engine.records.projection import NeighborGraph, Projection, ProjectionParams

EXAGGERATION = 12.0
EXAGGERATION_ITERS = 250     # sklearn's _EXPLORATION_MAX_ITER
N_ITER_CHECK = 50            # sklearn's _N_ITER_CHECK
N_ITER_WITHOUT_PROGRESS = 300


def check_params(params: ProjectionParams, n: int, warm: bool) -> None:
    """ConfigError naming the parameter when t-SNE cannot run with it."""
    if params.dims not in (2, 3):
        raise ConfigError(f"t-SNE makes 2-D or 3-D layouts (Barnes-Hut); dims {params.dims} is not possible.")
    if not 0 < params.perplexity < n:
        raise ConfigError(f"perplexity {params.perplexity:g} must be above 0 and below the number of points ({n}); "
                          f"lower the perplexity.")
    least = 1 if warm else EXAGGERATION_ITERS + 1
    if params.iterations < least:
        raise ConfigError(f"t-SNE needs at least {least} iterations here "
                          f"({EXAGGERATION_ITERS} of early exaggeration come first); got {params.iterations}.")


def neighbours_needed(n: int, perplexity: float) -> int:
    """k = 3 * perplexity + 1 (at most N - 1), as in sklearn and van der Maaten's BH-SNE."""
    return min(n - 1, int(3.0 * perplexity + 1))


def joint_probabilities(x: np.ndarray, params: ProjectionParams, state: State, graph: NeighborGraph | None = None):
    """sklearn's sparse symmetric P (CSR, sums to 1) from exact kNN distances, squared."""
    from scipy.sparse import csr_matrix
    from sklearn.manifold._t_sne import _joint_probabilities_nn

    n = x.shape[0]
    k = neighbours_needed(n, params.perplexity)
    if graph is None:
        graph = knn_graph(x, k, params.metric, state)
    elif graph.indices.shape != (n, k):
        raise ConfigError(f"the neighbour graph must be ({n}, {k}) for perplexity {params.perplexity:g}, "
                          f"got {graph.indices.shape}.")
    dist = csr_matrix(((graph.distances.astype(np.float64) ** 2).ravel(), graph.indices.ravel(),
                       np.arange(0, n * k + 1, k)), shape=(n, n))
    return _joint_probabilities_nn(dist, params.perplexity, 0)


def pca_init(x: np.ndarray, dims: int) -> np.ndarray:
    """sklearn's default init: PCA scaled so that the first column has standard deviation 1e-4."""
    y = pca(x, dims).coords.astype(np.float32)
    return y / np.std(y[:, 0]) * 1e-4


class _Objective:
    """sklearn's Barnes-Hut KL objective with a progress report and a cancel point per step."""

    def __init__(self, state: State, total: int, start: int) -> None:
        from sklearn.manifold._t_sne import _kl_divergence_bh

        self.fn, self.state, self.total, self.step = _kl_divergence_bh, state, total, start
        self.last_error = float("nan")

    def __call__(self, params, *args, **kwargs):
        check(self.state)
        error, grad = self.fn(params, *args, **kwargs)
        self.step += 1
        if kwargs.get("compute_error"):
            self.last_error = float(error)
        self.state.progress(self.step / self.total, f"t-SNE: step {self.step} of {self.total}")
        return error, grad


def _descend(obj: _Objective, y: np.ndarray, start: int, stop: int, momentum: float, lr: float,
             args: list, kwargs: dict, patience: int) -> tuple[np.ndarray, float, int]:
    from sklearn.manifold._t_sne import _gradient_descent

    return _gradient_descent(obj, y, it=start, max_iter=stop, n_iter_check=N_ITER_CHECK,
                             n_iter_without_progress=patience, momentum=momentum, learning_rate=lr,
                             min_gain=0.01, min_grad_norm=1e-7, verbose=0, args=args, kwargs=dict(kwargs))


PRIVATE_PARTS = {  # scikit-learn private function -> the parameters this module passes it
    "_joint_probabilities_nn": ("distances", "desired_perplexity", "verbose"),
    "_kl_divergence_bh": ("params", "P", "degrees_of_freedom", "n_samples", "n_components", "angle",
                          "skip_num_points", "verbose", "compute_error", "num_threads"),
    "_gradient_descent": ("objective", "p0", "it", "max_iter", "n_iter_check", "n_iter_without_progress",
                          "momentum", "learning_rate", "min_gain", "min_grad_norm", "verbose", "args", "kwargs"),
}


def private_parts_ok() -> bool:
    """True when this scikit-learn still has the private t-SNE parts, with the parameters used here."""
    import inspect

    try:
        from sklearn.manifold import _t_sne
        from sklearn.utils import _openmp_helpers
    except ImportError:
        return False
    if not callable(getattr(_openmp_helpers, "_openmp_effective_n_threads", None)):
        return False
    for name, wanted in PRIVATE_PARTS.items():
        fn = getattr(_t_sne, name, None)
        try:
            have = inspect.signature(fn).parameters if fn is not None else {}
        except (TypeError, ValueError):          # a compiled function without a signature
            have = wanted if callable(fn) else {}
        if any(w not in have for w in wanted):
            return False
    return True


def _public_tsne(x: np.ndarray, params: ProjectionParams, state: State, t0: float) -> Projection:
    """scikit-learn's own TSNE, for a scikit-learn whose private parts changed: the same layout
    method, but no progress between start and end and no cancel mid-way."""
    import inspect

    from sklearn.manifold import TSNE

    steps = "max_iter" if "max_iter" in inspect.signature(TSNE).parameters else "n_iter"
    state.progress(0.05, "t-SNE: running (scikit-learn's TSNE: no progress until it ends)")
    model = TSNE(n_components=params.dims, perplexity=params.perplexity, metric=params.metric, init="pca",
                 random_state=params.seed, **{steps: params.iterations})
    coords = np.asarray(model.fit_transform(x), np.float32)
    check(state)
    return Projection(coords=coords, params=params, kl_divergence=float(model.kl_divergence_),
                      iterations_done=int(getattr(model, "n_iter_", params.iterations)),
                      seconds=time.perf_counter() - t0,
                      note="this scikit-learn's private t-SNE parts changed: ran its TSNE, without step progress")


def tsne(vectors: np.ndarray, params: ProjectionParams, state: State | None = None,
         init: np.ndarray | None = None, graph: NeighborGraph | None = None) -> Projection:
    """Barnes-Hut t-SNE of (N, D) vectors into (N, params.dims); `init` (N, dims) warm-starts;
    `graph` gives precomputed neighbours ((N, k) with k = neighbours_needed(N, perplexity)).
    With a scikit-learn whose private parts changed, its public TSNE runs instead (from PCA)."""
    t0 = time.perf_counter()
    state = state or NullState()
    x = check_vectors(vectors, min_rows=3)
    n = x.shape[0]
    check_params(params, n, warm=init is not None)
    if not private_parts_ok():
        return _public_tsne(x, params, state, t0)
    from sklearn.utils._openmp_helpers import _openmp_effective_n_threads

    state.progress(0.0, "t-SNE: nearest neighbours")
    P = joint_probabilities(x, params, SubState(state, 0.0, 0.2), graph)
    if init is None:
        y = pca_init(x, params.dims)
    else:
        y = np.asarray(init, np.float32)
        if y.shape != (n, params.dims):
            raise ConfigError(f"the starting layout must be ({n}, {params.dims}), got {y.shape}.")
    lr = np.maximum(n / EXAGGERATION / 4.0, 50.0)      # a float64 scalar, as in sklearn (float64 updates)
    obj = _Objective(SubState(state, 0.2, 1.0), params.iterations, 0)
    args = [P, max(params.dims - 1, 1), n, params.dims]
    threads = max(1, _openmp_effective_n_threads() - 1)      # leave a core to the window
    kwargs = dict(skip_num_points=0, angle=0.5, verbose=0, num_threads=threads)
    flat, it = y.ravel().copy(), -1
    if init is None:
        P *= EXAGGERATION
        flat, _, it = _descend(obj, flat, 0, EXAGGERATION_ITERS, 0.5, lr, args, kwargs, EXAGGERATION_ITERS)
        P /= EXAGGERATION
    flat, kl, it = _descend(obj, flat, it + 1, params.iterations, 0.8, lr, args, kwargs, N_ITER_WITHOUT_PROGRESS)
    coords = flat.reshape(n, params.dims).astype(np.float32)
    return Projection(coords=coords, params=params, kl_divergence=float(kl), iterations_done=int(it + 1),
                      seconds=time.perf_counter() - t0)
