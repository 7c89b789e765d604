"""The Task of `rotnet`: each image turned by 0, 90, 180 or 270° (drawn per image), the ViT predicts
which (cross-entropy over 4 classes). Evaluation: rotation accuracy and the linear probe."""
from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from engine.tasks.pretext_base import PretextTask
from engine.tasks.vision_data import collate, random_resized_crop, rotate_batch, unwrap
from engine.training.task import LossOutput


class RotNetTask(PretextTask):
    name = "rotnet"

    def collate(self, items: list, generator: Any):
        images, _, _ = collate(items)
        images = random_resized_crop(images, generator, min_area=0.8, max_turn=0.05)
        return rotate_batch(images, generator)

    def loss(self, model: Any, batch: Any, generator: Any) -> LossOutput:
        images, turns = batch
        logits = model(images)
        acc = (logits.argmax(-1) == turns).float().mean().detach()
        return LossOutput(loss=F.cross_entropy(logits.float(), turns), items=int(images.shape[0]),
                          metrics={"rotation_acc": acc})

    def evaluate(self, model: Any) -> dict[str, float]:
        net = unwrap(model)
        device = next(net.parameters()).device
        x = self.tensors.images[:512].to(device)
        with torch.no_grad():
            correct = [float((net(torch.rot90(x, k, dims=(2, 3))).argmax(-1) == k).float().mean()) for k in range(4)]
        return {"val_rotation_acc": sum(correct) / 4, **super().evaluate(model)}
