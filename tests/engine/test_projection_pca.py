"""PCA against scikit-learn's PCA: explained variance and the subspace (sign-invariant),
on both routes (exact SVD for small inputs, the chunked covariance route for large ones)."""
import numpy as np
import pytest
from sklearn.decomposition import PCA

from engine.errors import InputError
from engine.progress import Cancelled
from engine.projection import pca as pca_mod
from engine.projection.pca import pca, pca_fit


def _data(n, d, seed=0):
    rng = np.random.default_rng(seed)
    scales = np.linspace(4.0, 0.2, d)
    mixing = np.linalg.qr(rng.standard_normal((d, d)))[0]
    return ((rng.standard_normal((n, d)) * scales) @ mixing + 3.0).astype(np.float32)


@pytest.mark.parametrize("n,d", [(400, 12), (25, 384), (60_000, 80)])   # exact, wide, covariance route
def test_pca_matches_sklearn(n, d):
    x = _data(n, d)
    ours = pca_fit(x, 3)
    ref = PCA(n_components=3, svd_solver="full").fit(x.astype(np.float64))
    np.testing.assert_allclose(ours.explained_variance, ref.explained_variance_, rtol=1e-5)
    np.testing.assert_allclose(ours.explained_variance_ratio, ref.explained_variance_ratio_, rtol=1e-5)
    cos = np.abs(np.sum(ours.components * ref.components_, axis=1))       # same axes up to sign
    np.testing.assert_allclose(cos, 1.0, atol=1e-6)
    coords = pca(x, 3).coords
    ref_coords = ref.transform(x.astype(np.float64))
    signs = np.sign(np.sum(coords * ref_coords, axis=0))
    np.testing.assert_allclose(coords * signs, ref_coords, atol=1e-3 * np.abs(ref_coords).max())


def test_covariance_route_is_taken_and_reports_progress():
    x = _data(60_000, 80)
    assert x.shape[0] * x.shape[1] > pca_mod._EXACT_LIMIT
    seen = []

    class State:
        def progress(self, f, m=""):
            seen.append(f)

        def cancelled(self):
            return False

    pca(x, 2, State())
    assert seen and seen[-1] == pytest.approx(1.0) and all(b >= a for a, b in zip(seen, seen[1:]))


def test_pca_cancel_stops():
    class State:
        def progress(self, f, m=""):
            pass

        def cancelled(self):
            return True

    with pytest.raises(Cancelled):
        pca(_data(60_000, 80), 2, State())


def test_pca_bad_input_names_the_row():
    x = _data(10, 4)
    x[6, 2] = np.nan
    with pytest.raises(InputError, match="vector 7"):
        pca(x, 2)
    with pytest.raises(InputError, match="at least 2 vectors"):
        pca(x[:1], 2)


def test_align_undoes_rotation_reflection_shift_and_keeps_the_spread():
    from engine.projection.project import align

    rng = np.random.default_rng(4)
    a = rng.standard_normal((200, 2))
    th = 1.1
    rot = np.array([[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]])
    b = (a @ rot) * 3.0 + [5.0, -2.0]
    b[:, 0] *= -1.0                                                   # a reflection too
    np.testing.assert_allclose(align(a, b), a, atol=1e-5)
    unrelated = rng.standard_normal((200, 2)) * 7 + 10
    out = align(a, unrelated)
    rms = lambda z: np.sqrt(((z - z.mean(0)) ** 2).sum(1).mean())
    assert rms(out) == pytest.approx(rms(a), rel=1e-5)                # no shrinking towards the centre
    np.testing.assert_allclose(out.mean(0), a.mean(0), atol=1e-5)
