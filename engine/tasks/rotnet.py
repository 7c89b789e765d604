"""The Task of `rotnet`: every image of a batch shown at all four turns, 0, 90, 180 and 270°, and
the ViT predicts which (cross-entropy over 4 classes), as in Gidaris et al. 2018.

Before turning, each image is cropped, turned a little, sheared, stretched and colour-jittered:
handwritten digits are taller than wide and slant to the right, so without that a network reads
the rotation off the outline and the slant and learns nothing about the digit (a linear probe on
its features then falls below random init's). With it, telling which way is up takes knowing
what the digit is. Evaluation: rotation accuracy on clean held-out images and the linear probe."""
from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from engine.tasks.pretext_base import PretextTask
from engine.tasks.vision_data import (
    all_rotations,
    collate,
    colour_jitter,
    load_tensors,
    random_resized_crop,
    random_stretch_shear,
    unwrap,
)
from engine.training.task import LossOutput


def augment(images: torch.Tensor, generator: torch.Generator, cfg) -> torch.Tensor:
    x = random_resized_crop(images, generator, min_area=cfg.crop_min, max_turn=cfg.max_turn)
    return colour_jitter(random_stretch_shear(x, generator, cfg.shear, cfg.stretch), generator)


class RotNetTask(PretextTask):
    name = "rotnet"
    _held_out: torch.Tensor | None = None

    def default_hparams(self) -> dict[str, Any]:
        # 16 images a step, each at four turns: 64 rotated images through the network.
        return {**super().default_hparams(), "steps": 9000, "batch_size": 16}

    def collate(self, items: list, generator: Any):
        images, _, _ = collate(items)
        return all_rotations(augment(images, generator, self.config))

    def loss(self, model: Any, batch: Any, generator: Any) -> LossOutput:
        images, turns = batch
        logits = model(images)
        acc = (logits.argmax(-1) == turns).float().mean().detach()
        return LossOutput(loss=F.cross_entropy(logits.float(), turns), items=int(images.shape[0]) // 4,
                          metrics={"rotation_acc": acc})

    def held_out(self) -> torch.Tensor:
        """Up to 512 images of the data's test split (never trained on); the training images when
        the split is empty (a folder of fewer than five images)."""
        if self._held_out is None:
            _, test = load_tensors(self.data, "test", self.config.image_size)
            self._held_out = (test.images if len(test.images) else self.tensors.images)[:512]
        return self._held_out

    def evaluate(self, model: Any) -> dict[str, float]:
        net = unwrap(model)
        device = next(net.parameters()).device
        x = self.held_out().to(device)
        with torch.no_grad():
            correct = [float((net(torch.rot90(x, k, dims=(2, 3))).argmax(-1) == k).float().mean()) for k in range(4)]
        return {"val_rotation_acc": sum(correct) / 4, **super().evaluate(model)}
