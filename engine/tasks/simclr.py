"""The Task of `simclr`: two augmented views of every image (random resized crop, small turn,
colour jitter, noise); the projections z are compared by cosine similarity over the 2B views and
NT-Xent (the normalised temperature-scaled cross-entropy) makes each view pick its partner:

    loss_i = -log( exp(sim(z_i, z_j) / τ) / Σ_{k ≠ i} exp(sim(z_i, z_k) / τ) )
"""
from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from engine.tasks.pretext_base import PretextTask
from engine.tasks.vision_data import collate, crop_and_jitter
from engine.training.task import LossOutput


def nt_xent(z: torch.Tensor, temperature: float) -> tuple[torch.Tensor, torch.Tensor]:
    """z (2B, d): rows i and i + B are the two views of image i. -> (mean loss, accuracy of picking the partner)."""
    n = z.shape[0] // 2
    z = F.normalize(z.float(), dim=-1)
    sim = z @ z.T / temperature
    sim = sim.masked_fill(torch.eye(2 * n, dtype=torch.bool, device=z.device), float("-inf"))
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]).to(z.device)
    return F.cross_entropy(sim, target), (sim.argmax(-1) == target).float().mean().detach()


class SimCLRTask(PretextTask):
    name = "simclr"

    def collate(self, items: list, generator: Any):
        images, _, _ = collate(items)
        crop = self.config.crop_min
        return torch.cat([crop_and_jitter(images, generator, crop), crop_and_jitter(images, generator, crop)])

    def loss(self, model: Any, batch: Any, generator: Any) -> LossOutput:
        loss, acc = nt_xent(model(batch), self.config.temperature)
        return LossOutput(loss=loss, items=int(batch.shape[0] // 2), metrics={"pair_acc": acc})
