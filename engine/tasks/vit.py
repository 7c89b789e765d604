"""The Task of `vit`: supervised image classification (the upper line of the Compare table).

Data: builtin:digits (default), builtin:shapes or a folder with one subfolder per class, resized to
`image_size`; light augmentation (small crops and turns). Evaluation: accuracy on the test split.
"""
from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

import torch.nn.functional as F

from engine.errors import InputError
from engine.models.vit import ViT, ViTConfig
from engine.tasks.vision_data import batched, collate, load_tensors, random_resized_crop
from engine.training.task import LossOutput


class ViTTask:
    name = "vit"
    unit = "images"

    def __init__(self, config: ViTConfig, data: str | None) -> None:
        self.data = data or "builtin:digits"
        self.found, self.tensors = load_tensors(self.data, "train", config.image_size)
        if not self.found.labelled or len(self.found.classes) < 2:
            raise InputError(f"vit learns to classify, so its data needs labels of two classes or more: {self.data} "
                             f"has {len(self.found.classes)}; put the images in one subfolder per class.")
        self.config = replace(config, n_classes=len(self.found.classes))

    def default_hparams(self) -> dict[str, Any]:
        return {"steps": 600, "batch_size": 64, "lr": 1e-3, "weight_decay": 0.05}

    def dataset(self):
        return self.tensors

    def build_model(self) -> ViT:
        return ViT(self.config)

    def collate(self, items: list, generator: Any):
        images, labels, _ = collate(items)
        return random_resized_crop(images, generator, min_area=0.7, max_turn=0.15), labels

    def loss(self, model: Any, batch: Any, generator: Any) -> LossOutput:
        images, labels = batch
        logits = model(images)
        acc = (logits.argmax(-1) == labels).float().mean().detach()
        return LossOutput(loss=F.cross_entropy(logits.float(), labels), items=int(images.shape[0]), metrics={"acc": acc})

    def evaluate(self, model: Any) -> dict[str, float]:
        net = getattr(model, "module", model)
        device = next(net.parameters()).device
        try:
            _, test = load_tensors(self.data, "test", self.config.image_size)
        except InputError:
            return {}
        if len(test) == 0:
            return {}
        logits = batched(lambda b: net(b.to(device)).float().cpu(), test.images)
        return {"val_acc": float((logits.argmax(-1) == test.labels).float().mean())}

    def config_dict(self) -> dict[str, Any]:
        return {"data": self.data, **asdict(self.config)}

    def model_meta(self) -> dict[str, Any]:
        return {"family": "vit", "config": asdict(self.config), "classes": list(self.found.classes), "data": self.data}



