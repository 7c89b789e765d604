"""The pretext tasks' pieces against hand computations: rotations and their labels, NT-Xent,
k-means pseudo-labels kept stable across re-clustering, purity; and one training step of each."""
import math

import numpy as np
import pytest
import torch

from engine.models.pretext_configs import ClusterConfig, RotNetConfig, SimCLRConfig
from engine.tasks.cluster import ClusterTask, match_to, purity
from engine.tasks.rotnet import RotNetTask
from engine.tasks.simclr import SimCLRTask, nt_xent
from engine.tasks.vision_data import rotate_batch

SMALL = dict(d_model=16, n_layers=1, n_heads=2, d_ff=32)


def test_rotations_match_their_labels():
    x = torch.rand(16, 3, 8, 8)
    turned, k = rotate_batch(x, torch.Generator().manual_seed(0))
    assert set(k.tolist()) == {0, 1, 2, 3}
    for i in range(16):
        assert torch.equal(turned[i], torch.rot90(x[i], int(k[i]), dims=(1, 2)))


def test_nt_xent_by_hand():
    z = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 0.1], [0.1, 1.0]])
    loss, acc = nt_xent(z, 0.5)
    zn = torch.nn.functional.normalize(z, dim=-1)
    sim = (zn @ zn.T / 0.5).tolist()
    manual = 0.0
    for i, j in ((0, 2), (1, 3), (2, 0), (3, 1)):
        others = [math.exp(sim[i][k]) for k in range(4) if k != i]
        manual += -math.log(math.exp(sim[i][j]) / sum(others))
    assert float(loss) == pytest.approx(manual / 4, rel=1e-5) and float(acc) == 1.0


def test_reclustering_keeps_cluster_ids_and_purity():
    previous = np.array([0, 0, 1, 1, 2, 2])
    renamed = np.array([2, 2, 0, 0, 1, 1])            # the same clusters, other numbers
    assert match_to(previous, renamed, 3).tolist() == previous.tolist()
    assert purity(np.array([0, 0, 0, 1]), np.array([5, 5, 6, 6])) == pytest.approx(0.75)


@pytest.mark.parametrize("task, config", [(RotNetTask, RotNetConfig), (SimCLRTask, SimCLRConfig), (ClusterTask, ClusterConfig)])
def test_one_step_of_each_pretext_task_lowers_nothing_silently(task, config):
    t = task(config(**SMALL), None)
    model = t.build_model()
    g = torch.Generator().manual_seed(0)
    batch = t.collate(t.dataset().__getitems__(list(range(16))), g)
    out = t.loss(model, batch, g)
    out.loss.backward()
    assert torch.isfinite(out.loss) and out.items == 16
    assert all(p.grad is not None for p in model.head.parameters())
