"""k nearest neighbours in the original space against brute force (full distance matrix)."""
import numpy as np
import pytest

from engine.errors import ConfigError, InputError
from engine.projection import knn as knn_mod
from engine.projection.knn import knn_graph, nearest


def _brute(x, metric):
    x = x.astype(np.float64)
    if metric == "cosine":
        u = x / np.linalg.norm(x, axis=1, keepdims=True)
        d = 1.0 - u @ u.T
    else:
        d = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(d, np.inf)
    order = np.argsort(d, axis=1, kind="stable")
    return order, np.take_along_axis(d, order, 1)


@pytest.fixture
def small_chunks(monkeypatch):
    """Force many chunks so that the chunk boundaries are exercised."""
    monkeypatch.setattr(knn_mod, "_BLOCK", 5_000)
    monkeypatch.setattr(knn_mod, "_ROWS", 37)


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_knn_graph_matches_brute_force(metric, small_chunks):
    x = np.random.default_rng(1).standard_normal((300, 16)).astype(np.float32)
    g = knn_graph(x, 7, metric)
    order, dist = _brute(x, metric)
    np.testing.assert_array_equal(g.indices, order[:, :7])
    np.testing.assert_allclose(g.distances, dist[:, :7], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_nearest_of_one_point_matches_brute_force(metric, small_chunks):
    x = (np.random.default_rng(2).standard_normal((500, 24)) + 0.3).astype(np.float32)
    order, dist = _brute(x, metric)
    for i in (0, 123, 499):
        nl = nearest(x, i, 10, metric)
        assert nl.query == i and i not in nl.indices
        np.testing.assert_array_equal(nl.indices, order[i, :10])
        np.testing.assert_allclose(nl.distances, dist[i, :10], rtol=1e-5, atol=1e-6)
    if metric == "cosine":
        np.testing.assert_allclose(nl.similarities, 1.0 - dist[499, :10], rtol=1e-5, atol=1e-6)


def test_k_larger_than_the_data_and_errors():
    x = np.random.default_rng(3).standard_normal((5, 3)).astype(np.float32)
    assert len(nearest(x, 0, 50).indices) == 4
    with pytest.raises(InputError, match="item 9"):
        nearest(x, 9, 3)
    with pytest.raises(ConfigError, match="manhattan"):
        knn_graph(x, 2, "manhattan")
