"""The Task of `cluster` (DeepCluster, Caron et al. 2018, in the form of their "DeepCluster-v2",
Caron et al. 2020): at the start of every epoch the projections z of all training images (the MLP
head's output, L2-normalised) are clustered by k-means; the cluster ids are the pseudo-labels and
the normalised centroids the classifier, so the loss of an image is

    cross_entropy( normalise(z(augmented image)) · centroidsᵀ / τ , its cluster id )

The network learns to put an augmented view where its clean image was clustered; reclustering
then moves the centroids. With a learnt linear head instead (DeepCluster-v1) the head had to
relearn a new set of cluster ids every epoch and the features stayed below random init's.
Over-clustering (k = 100 for 10 digits) keeps the clusters small and pure.

The projections that k-means clusters come from a trailing copy of the network (`teacher_momentum`
m = 0.99: after every step its weights w <- m w + (1 - m) w_model, as MoCo's and BYOL's target
networks), so one epoch's noisy update does not reshuffle the next epoch's clusters; the model
itself is what is trained and saved. The pseudo-labels, centroids and the copy are part of every
checkpoint (`task_state`), so a resumed run goes on as the uninterrupted one. Evaluation: the
clusters' purity against the true labels and the linear probe."""
from __future__ import annotations

import os
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from engine.metrics.clustering import kmeans, purity
from engine.tasks.pretext_base import PretextTask
from engine.tasks.vision_data import batched, collate, crop_and_jitter, unwrap
from engine.training.task import LossOutput


def centroids(z: np.ndarray, ids: np.ndarray, k: int) -> np.ndarray:
    """(k, d) L2-normalised mean of the rows of z in each cluster (zero for an empty one)."""
    sums = np.zeros((k, z.shape[1]))
    np.add.at(sums, ids, z)
    return sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)


def cluster_logits(z: torch.Tensor, centres: torch.Tensor, temperature: float) -> torch.Tensor:
    """Cosine similarity of each projection to each centroid over the temperature: (B, k)."""
    return F.normalize(z.float(), dim=-1) @ centres.T / temperature


class ClusterTask(PretextTask):
    name = "cluster"

    def __init__(self, config, data: str | None) -> None:
        super().__init__(config, data)
        self.pseudo: np.ndarray | None = None
        self.centres: torch.Tensor | None = None
        self.seen = 0
        self.epoch = 0
        self.teacher = None

    def default_hparams(self) -> dict[str, Any]:
        return {**super().default_hparams(), "steps": 3000}

    def collate(self, items: list, generator: Any):
        images, _, index = collate(items)
        return crop_and_jitter(images, generator, self.config.crop_min), index

    def follow(self, model: Any) -> Any:
        """The network the clustering reads: the model itself, or with `teacher_momentum` m > 0 a
        copy whose weights trail the model's (w <- m w + (1 - m) w_model at every step)."""
        net = unwrap(model)
        m = self.config.teacher_momentum
        if m <= 0:
            return net
        if self.teacher is None:
            import copy

            self.teacher = copy.deepcopy(net).requires_grad_(False)
        device = next(net.parameters()).device
        if next(self.teacher.parameters()).device != device:
            self.teacher.to(device)
        with torch.no_grad():
            for t, p in zip(self.teacher.parameters(), net.parameters()):
                t.mul_(m).add_(p.detach(), alpha=1 - m)
            for t, b in zip(self.teacher.buffers(), net.buffers()):
                t.copy_(b)
        return self.teacher

    def task_state(self) -> dict[str, torch.Tensor]:
        """Pseudo-labels, centroids, the position in the epoch and the trailing copy: what a resumed
        run needs to go on exactly as the uninterrupted one."""
        if self.pseudo is None:
            return {}
        out = {"pseudo": torch.from_numpy(self.pseudo), "centres": self.centres,
               "position": torch.tensor([self.seen, self.epoch])}
        if self.teacher is not None:
            out.update({"teacher." + k: v for k, v in self.teacher.state_dict().items()})
        return out

    def load_task_state(self, tensors: dict[str, torch.Tensor]) -> None:
        if "pseudo" not in tensors:
            return
        self.pseudo = tensors["pseudo"].numpy().astype(np.int64)
        self.centres = tensors["centres"].float()
        self.seen, self.epoch = (int(v) for v in tensors["position"])
        teacher = {k[len("teacher."):]: v for k, v in tensors.items() if k.startswith("teacher.")}
        if teacher:
            self.teacher = self.build_model().requires_grad_(False)
            self.teacher.load_state_dict(teacher)

    def recluster(self, model: Any) -> None:
        net = self.teacher if self.teacher is not None else unwrap(model)
        device = next(net.parameters()).device
        was_training = net.training
        net.eval()                                 # the head's batch norm: running statistics, no update
        z = batched(lambda b: F.normalize(net(b.to(device)).float(), dim=-1).cpu(), self.tensors.images).numpy()
        net.train(was_training)
        k = self.config.k
        self.pseudo = kmeans(z, k, self.config.kmeans_iters, seed=self.epoch).astype(np.int64)
        self.centres = torch.from_numpy(centroids(z.astype(np.float64), self.pseudo, k)).float().to(device)

    def loss(self, model: Any, batch: Any, generator: Any) -> LossOutput:
        images, index = batch
        world = int(os.environ.get("WORLD_SIZE", "1"))
        self.follow(model)
        if self.pseudo is None or self.seen >= len(self.tensors):
            self.seen = 0
            self.epoch += 1
            self.recluster(model)
        self.seen += int(images.shape[0]) * world
        target = torch.from_numpy(self.pseudo[index.cpu().numpy()]).to(images.device)
        self.centres = self.centres.to(images.device)
        logits = cluster_logits(model(images), self.centres, self.config.temperature)
        acc = (logits.argmax(-1) == target).float().mean().detach()
        return LossOutput(loss=F.cross_entropy(logits, target), items=int(images.shape[0]),
                          metrics={"cluster_acc": acc})

    def evaluate(self, model: Any) -> dict[str, float]:
        out = super().evaluate(model)
        if self.pseudo is not None and self.found.labelled:
            out["cluster_purity"] = purity(self.pseudo, self.found.labels)
        return out
