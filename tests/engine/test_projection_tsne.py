"""t-SNE: the same layout as sklearn.manifold.TSNE for the same neighbours and init, progress
reported at every step, cancel honoured, warm start from a previous layout."""
import numpy as np
import pytest
from scipy.sparse import csr_matrix
from sklearn.manifold import TSNE, trustworthiness
from threadpoolctl import threadpool_limits

from engine.errors import ConfigError
from engine.progress import Cancelled
from engine.projection.knn import knn_graph
from engine.projection.tsne import neighbours_needed, pca_init, tsne
from engine.records.projection import ProjectionParams


def _blobs(per=60, d=12, k=3, seed=0):
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.standard_normal((per, d)) + 6 * rng.standard_normal(d) for _ in range(k)])
    return x.astype(np.float32), np.repeat(np.arange(k), per)


class Recorder:
    def __init__(self, stop_after=None):
        self.fractions, self.messages, self.stop_after = [], [], stop_after

    def progress(self, fraction, message=""):
        self.fractions.append(fraction)
        self.messages.append(message)

    def cancelled(self):
        return self.stop_after is not None and len(self.fractions) >= self.stop_after


def test_same_layout_as_sklearn_tsne():
    x, _ = _blobs()
    n, perplexity = len(x), 15.0
    k = neighbours_needed(n, perplexity)
    graph = knn_graph(x, k)
    # sklearn gets the very same neighbours as a precomputed sparse graph (itself included at 0).
    idx = np.concatenate([np.arange(n)[:, None], graph.indices], 1)
    dist = np.concatenate([np.zeros((n, 1)), graph.distances], 1)
    sparse = csr_matrix((dist.ravel(), idx.ravel(), np.arange(0, n * (k + 1) + 1, k + 1)), shape=(n, n))
    params = ProjectionParams(method="tsne", perplexity=perplexity, iterations=400)
    with threadpool_limits(1, "openmp"):        # the same summation order in the Barnes-Hut gradient
        ours = tsne(x, params, graph=graph)
        ref = TSNE(perplexity=perplexity, max_iter=400, init=pca_init(x, 2), metric="precomputed",
                   random_state=0)
        ref_coords = ref.fit_transform(sparse)
    np.testing.assert_allclose(ours.coords, ref_coords, rtol=1e-5, atol=1e-4)
    assert ours.kl_divergence == pytest.approx(ref.kl_divergence_, rel=1e-6)


def test_progress_reaches_the_end_and_clusters_separate():
    x, y = _blobs()
    rec = Recorder()
    p = tsne(x, ProjectionParams(method="tsne", perplexity=15, iterations=300), rec)
    assert p.coords.shape == (len(x), 2) and p.iterations_done == 300
    assert rec.fractions[-1] == pytest.approx(1.0)
    assert all(b >= a for a, b in zip(rec.fractions, rec.fractions[1:]))
    assert any("step 300 of 300" in m for m in rec.messages)
    assert trustworthiness(x, p.coords, n_neighbors=10) > 0.9
    centres = np.array([p.coords[y == c].mean(0) for c in range(3)])
    nearest_centre = np.argmin(((p.coords[:, None] - centres[None]) ** 2).sum(-1), axis=1)
    assert (nearest_centre == y).all()


def test_cancel_stops_between_steps():
    x, _ = _blobs()
    rec = Recorder(stop_after=40)
    with pytest.raises(Cancelled):
        tsne(x, ProjectionParams(method="tsne", perplexity=15, iterations=1000), rec)
    assert 40 <= len(rec.fractions) < 45 and rec.fractions[-1] < 0.3


def test_warm_start_continues_from_a_layout_in_3d():
    x, _ = _blobs()
    first = tsne(x, ProjectionParams(method="tsne", dims=3, perplexity=15, iterations=300))
    rec = Recorder()
    again = tsne(x, ProjectionParams(method="tsne", dims=3, perplexity=15, iterations=50), rec, init=first.coords)
    assert again.coords.shape == (len(x), 3) and again.iterations_done == 50
    assert not any("step 51" in m for m in rec.messages)
    moved = np.linalg.norm(again.coords - first.coords, axis=1).mean() / np.linalg.norm(first.coords, axis=1).mean()
    assert moved < 0.5                            # it continued from there instead of starting over


def test_bad_parameters_name_the_key():
    x, _ = _blobs(per=5)
    with pytest.raises(ConfigError, match="perplexity"):
        tsne(x, ProjectionParams(method="tsne", perplexity=30))
    with pytest.raises(ConfigError, match="iterations"):
        tsne(x, ProjectionParams(method="tsne", perplexity=3, iterations=100))


def test_a_scikit_learn_without_the_private_parts_falls_back_to_its_tsne(monkeypatch):
    from engine.projection import tsne as tsne_mod

    assert tsne_mod.private_parts_ok()                     # this scikit-learn: the stepped path above runs
    monkeypatch.setitem(tsne_mod.PRIVATE_PARTS, "_gradient_descent",
                        tsne_mod.PRIVATE_PARTS["_gradient_descent"] + ("a_parameter_renamed_upstream",))
    assert not tsne_mod.private_parts_ok()
    x, y = _blobs()
    rec = Recorder()
    p = tsne(x, ProjectionParams(method="tsne", perplexity=15, iterations=500), rec)
    assert p.coords.shape == (len(x), 2) and p.iterations_done > 0 and p.kl_divergence > 0
    assert "private t-SNE parts changed" in p.note and rec.messages[-1].startswith("t-SNE: running")
    assert trustworthiness(x, p.coords, n_neighbors=10) > 0.9
    centres = np.array([p.coords[y == c].mean(0) for c in range(3)])
    assert (np.argmin(((p.coords[:, None] - centres[None]) ** 2).sum(-1), axis=1) == y).all()
