"""UMAP through umap-learn (optional extra): progress per epoch, cancel, clusters kept apart."""
import numpy as np
import pytest
from sklearn.manifold import trustworthiness

from engine.errors import ConfigError
from engine.progress import Cancelled
from engine.projection import umap as umap_mod
from engine.records.projection import ProjectionParams


class Recorder:
    def __init__(self, stop_at=None):
        self.fractions, self.messages, self.stop_at = [], [], stop_at

    def progress(self, fraction, message=""):
        self.fractions.append(fraction)
        self.messages.append(message)

    def cancelled(self):
        return self.stop_at is not None and any(f"epoch {self.stop_at} " in m for m in self.messages)


def test_missing_umap_learn_gives_the_install_command(monkeypatch):
    monkeypatch.setattr(umap_mod, "available", lambda: False)
    x = np.random.default_rng(0).standard_normal((20, 4)).astype(np.float32)
    with pytest.raises(ConfigError, match=r"mlsp-explorer\[umap\]"):
        umap_mod.umap(x, ProjectionParams(method="umap", neighbors=5))


def test_umap_layout_progress_and_cancel():
    pytest.importorskip("umap", reason="umap-learn is the optional extra 'umap'")
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.standard_normal((70, 10)) + 8 * rng.standard_normal(10) for _ in range(3)]).astype(np.float32)
    y = np.repeat(np.arange(3), 70)
    rec = Recorder()
    p = umap_mod.umap(x, ProjectionParams(method="umap", neighbors=10, min_dist=0.1, epochs=120), rec)
    assert p.coords.shape == (210, 2) and p.iterations_done == 120
    assert rec.fractions[-1] == pytest.approx(1.0) and any("epoch 120 of 120" in m for m in rec.messages)
    assert trustworthiness(x, p.coords, n_neighbors=10) > 0.9
    centres = np.array([p.coords[y == c].mean(0) for c in range(3)])
    assert (np.argmin(((p.coords[:, None] - centres[None]) ** 2).sum(-1), axis=1) == y).all()

    stop = Recorder(stop_at=30)
    with pytest.raises(Cancelled):
        umap_mod.umap(x, ProjectionParams(method="umap", neighbors=10, epochs=120), stop)
    assert not any("epoch 32 " in m for m in stop.messages)
    # tqdm's write lock is free again: another thread (the next UMAP job in the window) can take it
    assert _free_from_another_thread()


def _free_from_another_thread() -> bool:
    import threading

    from tqdm import tqdm

    taken = []

    def take() -> None:
        got = [lock.acquire(timeout=5) for lock in tqdm.get_lock().locks]
        taken.append(all(got))
        for lock, ok in reversed(list(zip(tqdm.get_lock().locks, got))):
            if ok:
                lock.release()

    t = threading.Thread(target=take)
    t.start()
    t.join(15)
    return taken == [True]
