"""What the pretext tasks (rotnet, simclr, cluster) share: images of `--data` (labels unused for
training), a ViT backbone, and an evaluation by linear probe on the digits' held-out split."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from engine.models.pretext_configs import vit_fields
from engine.models.vit import ViT
from engine.tasks.vision_data import load_tensors, probe_metrics, unwrap

PROBE_DATA = "builtin:digits"


class PretextTask:
    name = ""
    unit = "images"

    def __init__(self, config, data: str | None) -> None:
        self.config = config
        self.data = data or "builtin:digits"
        self.found, self.tensors = load_tensors(self.data, "train", config.image_size)

    def default_hparams(self) -> dict[str, Any]:
        return {"steps": 600, "batch_size": 64, "lr": 1e-3, "weight_decay": 0.05}

    def dataset(self):
        return self.tensors

    def build_model(self) -> ViT:
        return ViT(vit_fields(self.config))

    def evaluate(self, model: Any) -> dict[str, float]:
        """Linear-probe accuracy of the class-token features on the labelled data (digits by default)."""
        data = self.data if self.found.labelled and len(self.found.classes) > 1 else PROBE_DATA
        return probe_metrics(unwrap(model), data, self.config.image_size)

    def config_dict(self) -> dict[str, Any]:
        return {"data": self.data, **asdict(self.config)}

    def model_meta(self) -> dict[str, Any]:
        return {"family": self.name, "config": asdict(self.config), "classes": list(self.found.classes),
                "data": self.data}
