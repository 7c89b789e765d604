"""The Task of `vit-mae` (engine/models/vit_mae.py): masked-patch reconstruction.

Data: builtin:digits (default; 1,437 training digits, the 360 test digits held out), builtin:shapes
or a folder of images, resized to `image_size`. Each step draws a fresh random mask per image from
the trainer's generator. Evaluation: on the test split at mask ratio 0.75 with a fixed mask seed,
the masked-patch MSE of the reconstruction (pixels in 0..1) and of the mean-fill baseline (each
hidden patch filled with the mean of the visible pixels), and their ratio.
"""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

import torch

from engine.models.vit import patchify
from engine.models.vit_mae import MAE, MAEConfig, reconstruct_pixels
from engine.tasks.vision_data import collate, load_tensors, random_resized_crop
from engine.training.task import LossOutput

EVAL_RATIO = 0.75
EVAL_SEED = 1234


class MAETask:
    name = "vit-mae"
    unit = "images"

    def __init__(self, config: MAEConfig, data: str | None) -> None:
        self.config = config
        self.data = data or "builtin:digits"
        self.found, self.tensors = load_tensors(self.data, "train", config.image_size)

    def default_hparams(self) -> dict[str, Any]:
        return {"steps": 300, "batch_size": 64, "lr": 2e-3, "weight_decay": 0.05, "grad_clip": 1.0}

    def dataset(self):
        return self.tensors

    def build_model(self) -> MAE:
        return MAE(self.config)

    def collate(self, items: list, generator: Any):
        images, _, _ = collate(items)
        return random_resized_crop(images, generator, min_area=0.8, max_turn=0.1)

    def loss(self, model: Any, batch: Any, generator: Any) -> LossOutput:
        noise = torch.rand(batch.shape[0], self.config.n_patches, generator=generator).to(batch.device)
        out = model(batch, noise=noise)
        net = getattr(model, "module", model)
        return LossOutput(loss=net.loss(batch, out), items=int(batch.shape[0]))

    def evaluate(self, model: Any) -> dict[str, float]:
        try:
            _, test = load_tensors(self.data, "test", self.config.image_size)
        except Exception:           # noqa: BLE001 - a folder too small to split: no evaluation
            return {}
        if len(test) == 0:
            return {}
        return masked_mse(model, test.images, EVAL_RATIO, EVAL_SEED)

    def config_dict(self) -> dict[str, Any]:
        return {"data": self.data, **asdict(self.config)}

    def model_meta(self) -> dict[str, Any]:
        return {"family": "vit-mae", "config": asdict(self.config), "classes": list(self.found.classes),
                "data": self.data}


def masked_mse(model: Any, images: torch.Tensor, ratio: float, seed: int, batch: int = 256) -> dict[str, float]:
    """Masked-patch MSE of the model and of the mean-fill baseline over `images` (fixed masks from `seed`)."""
    net = getattr(model, "module", model)
    device = next(net.parameters()).device
    gen = torch.Generator().manual_seed(seed)
    err = base = count = 0.0
    with torch.no_grad():
        for i in range(0, images.shape[0], batch):
            x = images[i:i + batch].to(device)
            noise = torch.rand(x.shape[0], net.config.n_patches, generator=gen).to(device)
            out = net(x, noise=noise, mask_ratio=ratio)
            target = patchify(x, net.config.patch)                      # (B, N, P)
            pred = reconstruct_pixels(net, out.pred.float(), x).clamp(0, 1)
            m = out.mask[:, :, None]
            c = target.shape[-1] // net.config.channels
            vis = (1 - m)
            chan = target.reshape(*target.shape[:2], c, net.config.channels)
            mean = (chan * vis[..., None]).sum(dim=(1, 2)) / (vis.sum(dim=(1, 2))[:, None] * c)   # (B, C)
            fill = mean[:, None, None, :].expand_as(chan).reshape(target.shape)
            err += float((((pred - target) ** 2) * m).sum())
            base += float((((fill - target) ** 2) * m).sum())
            count += float(m.sum()) * target.shape[-1]
    mse, baseline = err / max(count, 1), base / max(count, 1)
    return {"val_mse_masked": mse, "val_baseline_mse_masked": baseline, "val_mse_ratio": mse / max(baseline, 1e-12)}
