"""The Task of `cluster` (DeepCluster): at the start of every epoch the class-token features of all
training images are clustered by k-means (k = n_classes); the cluster ids are the pseudo-labels the
ViT then learns to predict (cross-entropy). New clusters are matched to the previous ones (Hungarian
assignment on their overlap), so the head keeps its meaning from epoch to epoch. Evaluation: the
clusters' purity against the true labels and the linear probe."""
from __future__ import annotations

import os
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from engine.metrics.clustering import kmeans, purity
from engine.tasks.pretext_base import PretextTask
from engine.tasks.vision_data import batched, collate, random_resized_crop, unwrap
from engine.training.task import LossOutput


def match_to(previous: np.ndarray | None, new: np.ndarray, k: int) -> np.ndarray:
    """Renumber `new` cluster ids to overlap `previous` ones as much as possible."""
    if previous is None:
        return new
    from scipy.optimize import linear_sum_assignment

    overlap = np.zeros((k, k))
    np.add.at(overlap, (new, previous), 1)
    rows, cols = linear_sum_assignment(-overlap)
    mapping = np.empty(k, np.int64)
    mapping[rows] = cols
    return mapping[new]


class ClusterTask(PretextTask):
    name = "cluster"

    def __init__(self, config, data: str | None) -> None:
        super().__init__(config, data)
        self.pseudo: np.ndarray | None = None
        self.seen = 0
        self.epoch = 0

    def collate(self, items: list, generator: Any):
        images, _, index = collate(items)
        return random_resized_crop(images, generator, min_area=0.7, max_turn=0.2), index

    def recluster(self, model: Any) -> None:
        net = unwrap(model)
        device = next(net.parameters()).device
        feats = batched(lambda b: net.features(b.to(device)).float().cpu(), self.tensors.images).numpy()
        feats = (feats - feats.mean(0)) / (feats.std(0) + 1e-6)
        new = kmeans(feats, self.config.n_classes, self.config.kmeans_iters, seed=self.epoch)
        self.pseudo = match_to(self.pseudo, new.astype(np.int64), self.config.n_classes)

    def loss(self, model: Any, batch: Any, generator: Any) -> LossOutput:
        images, index = batch
        world = int(os.environ.get("WORLD_SIZE", "1"))
        if self.pseudo is None or self.seen >= len(self.tensors):
            self.seen = 0
            self.epoch += 1
            self.recluster(model)
        self.seen += int(images.shape[0]) * world
        target = torch.from_numpy(self.pseudo[index.cpu().numpy()]).to(images.device)
        logits = model(images)
        return LossOutput(loss=F.cross_entropy(logits.float(), target), items=int(images.shape[0]))

    def evaluate(self, model: Any) -> dict[str, float]:
        out = super().evaluate(model)
        if self.pseudo is not None and self.found.labelled:
            out["cluster_purity"] = purity(self.pseudo, self.found.labels)
        return out
