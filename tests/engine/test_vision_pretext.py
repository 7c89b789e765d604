"""The pretext tasks' pieces against hand computations: rotations and their labels, the
augmentations, NT-Xent, DeepCluster's centroids and cosine logits, purity; and one training step of each."""
import math

import numpy as np
import pytest
import torch

from engine.models.pretext_configs import ClusterConfig, RotNetConfig, SimCLRConfig
from engine.tasks.cluster import ClusterTask, centroids, cluster_logits, purity
from engine.tasks.rotnet import RotNetTask
from engine.tasks.simclr import SimCLRTask, nt_xent
from engine.tasks.vision_data import all_rotations, random_stretch_shear

SMALL = dict(d_model=16, n_layers=1, n_heads=2, d_ff=32)


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


def test_all_four_turns_of_every_image_with_their_labels():
    x = torch.rand(3, 3, 8, 8)
    turned, k = all_rotations(x)
    assert turned.shape == (12, 3, 8, 8) and k.tolist() == [0] * 3 + [1] * 3 + [2] * 3 + [3] * 3
    for row in range(12):
        assert torch.equal(turned[row], torch.rot90(x[row % 3], int(k[row]), dims=(1, 2)))


def test_stretch_and_shear_change_the_outline_and_nothing_at_zero():
    x = torch.zeros(1, 3, 16, 16)
    x[:, :, 4:12, 6:10] = 1.0                        # a bar twice as tall as wide
    g = torch.Generator().manual_seed(0)
    assert torch.allclose(random_stretch_shear(x, g, shear=0.0, stretch=0.0), x, atol=1e-6)
    out = torch.cat([random_stretch_shear(x, torch.Generator().manual_seed(s), 0.4, 0.3) for s in range(8)])
    widths = (out[:, 0] > 0.5).any(dim=1).sum(dim=1).float()
    assert widths.max() - widths.min() >= 1 and out.min() >= 0 and out.max() <= 1


def test_deepcluster_centroids_logits_and_purity_by_hand():
    z = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0], [0.0, -1.0]])
    ids = np.array([0, 0, 1, 2])
    c = centroids(z, ids, 4)
    assert np.allclose(c[0], np.array([1.6, 0.8]) / np.hypot(1.6, 0.8)) and np.allclose(c[1], [0, 1])
    assert np.allclose(c[3], 0)                          # an empty cluster
    logits = cluster_logits(torch.tensor([[3.0, 4.0]]), torch.from_numpy(c).float(), 0.5)
    want = torch.tensor([(0.6 * 1.6 + 0.8 * 0.8) / np.hypot(1.6, 0.8), 0.8, -0.8], dtype=torch.float32) / 0.5
    assert torch.allclose(logits[0, :3], want)
    assert purity(np.array([0, 0, 0, 1]), np.array([5, 5, 6, 6])) == pytest.approx(0.75)


def test_reclustering_labels_every_image_with_unit_centroids():
    t = ClusterTask(ClusterConfig(**SMALL, k=7), None)
    model = t.build_model()
    t.recluster(model)
    assert t.pseudo.shape == (len(t.tensors),) and set(np.unique(t.pseudo)) <= set(range(7))
    norms = t.centres.norm(dim=1)
    assert torch.allclose(norms[torch.bincount(torch.from_numpy(t.pseudo), minlength=7) > 0], torch.ones(1), atol=1e-5)
    assert model.training                               # the network is back in training mode


@pytest.mark.parametrize("task, config", [(RotNetTask, RotNetConfig), (SimCLRTask, SimCLRConfig), (ClusterTask, ClusterConfig)])
def test_one_step_of_each_pretext_task_lowers_nothing_silently(task, config):
    t = task(config(**SMALL), None)
    model = t.build_model()
    g = torch.Generator().manual_seed(0)
    batch = t.collate(t.dataset().__getitems__(list(range(16))), g)
    out = t.loss(model, batch, g)
    out.loss.backward()
    assert torch.isfinite(out.loss) and out.items == 16
    if task is RotNetTask:                              # each image at its four turns
        assert batch[0].shape[0] == 64 and batch[1].tolist() == sorted(batch[1].tolist())
    assert all(p.grad is not None for p in model.head.parameters())


def test_rotnet_scores_its_rotations_on_held_out_digits_never_trained_on():
    t = RotNetTask(RotNetConfig(**SMALL), None)
    held = t.held_out()
    train = t.tensors.images.flatten(1)
    assert 0 < held.shape[0] <= 512 and held.shape[1:] == t.tensors.images.shape[1:]
    matches = (held.flatten(1)[:, None, :] == train[None, :, :]).all(-1)
    assert not matches.any()                            # not one held-out image is a training image
    assert 0.0 <= t.evaluate(t.build_model())["val_rotation_acc"] <= 1.0


def test_deepcluster_teacher_trails_the_model_by_its_momentum_and_is_what_k_means_reads():
    t = ClusterTask(ClusterConfig(**SMALL, k=5, teacher_momentum=0.75), None)
    model = t.build_model()
    t.follow(model)                                     # first step: a copy of the model
    before = {k: v.clone() for k, v in t.teacher.state_dict().items()}
    with torch.no_grad():
        for p in model.parameters():
            p.add_(1.0)
    t.follow(model)
    for name, p in t.teacher.named_parameters():
        torch.testing.assert_close(p, before[name] + 0.25)          # 0.75 w + 0.25 (w + 1)
        assert not p.requires_grad
    calls = {"teacher": 0, "model": 0}
    t.teacher.register_forward_hook(lambda *_: calls.__setitem__("teacher", calls["teacher"] + 1))
    model.register_forward_hook(lambda *_: calls.__setitem__("model", calls["model"] + 1))
    t.recluster(model)
    assert calls["teacher"] > 0 and calls["model"] == 0


def test_deepcluster_without_momentum_clusters_the_model_itself():
    t = ClusterTask(ClusterConfig(**SMALL, k=5, teacher_momentum=0.0), None)
    model = t.build_model()
    assert t.follow(model) is model and t.teacher is None
    with pytest.raises(Exception, match="teacher_momentum"):
        ClusterConfig(**SMALL, teacher_momentum=1.0)


def test_deepcluster_resumed_run_repeats_the_uninterrupted_one(tmp_path):
    """Pseudo-labels, centroids and the trailing copy travel in the checkpoint: the losses after a
    stop and --resume are those of the run that never stopped (with k-means redone on resume they
    were not)."""
    from safetensors.torch import load_file
    from trainer_helpers import ListSink, StopAt, request, step_losses

    from engine.training.runs import list_checkpoints
    from engine.training.trainer import train

    sets = tuple(f"{k}={v}" for k, v in {**SMALL, "k": 6, "kmeans_iters": 5}.items())
    flags = {"steps": 16, "batch_size": 32, "checkpoint_every": 100, "eval_every": 10**9}
    ref, first, second = ListSink(), ListSink(), ListSink()
    train(request(tmp_path / "ref", model="cluster", sets=sets, **flags), sinks=[ref])
    train(request(tmp_path / "b", model="cluster", sets=sets, **flags), sinks=[first], callbacks=[StopAt(7)])
    saved = load_file(str(list_checkpoints(tmp_path / "b")[-1].path / "state.safetensors"))
    assert {"task/pseudo", "task/centres", "task/position"} <= set(saved)
    assert any(k.startswith("task/teacher.") for k in saved)
    train(request(tmp_path / "b", model="cluster", sets=sets, resume=True, **flags), sinks=[second])
    losses = lambda sink: step_losses(sink.events)  # noqa: E731
    assert min(losses(second)) == 8
    assert {**losses(first), **losses(second)} == losses(ref)


def test_a_rotnet_run_saved_before_head_depth_existed_still_opens_and_resumes(tmp_path):
    """Runs saved before `head_depth` have a one-layer head and no such key; they must be read as
    one layer (ViTConfig.SAVED_BEFORE), not as today's two-layer RotNet default."""
    import json

    from trainer_helpers import ListSink, StopAt, request

    from engine.loaders.vision import load_vision_folder
    from engine.training.runs import list_checkpoints
    from engine.training.trainer import train

    sets = tuple(f"{k}={v}" for k, v in {**SMALL, "head_depth": 1}.items())
    flags = {"steps": 6, "batch_size": 8, "checkpoint_every": 100, "eval_every": 10**9}
    run = tmp_path / "old"
    train(request(run, model="rotnet", sets=sets, **flags), sinks=[ListSink()], callbacks=[StopAt(3)])
    config = json.loads((run / "config.json").read_text())
    del config["task"]["head_depth"]
    (run / "config.json").write_text(json.dumps(config))
    for ckpt in list_checkpoints(run):
        meta = json.loads((ckpt.path / "meta.json").read_text())
        del meta["config"]["head_depth"]
        (ckpt.path / "meta.json").write_text(json.dumps(meta))

    model = load_vision_folder(list_checkpoints(run)[-1].path, None, torch.device("cpu"))
    assert model.config.head_depth == 1 and len(model.net.head) == 4
    sink = ListSink()
    train(request(run, model="rotnet", sets=sets[:-1], resume=True, **flags), sinks=[sink])
    assert sink.of("end")[-1]["step"] == 6
