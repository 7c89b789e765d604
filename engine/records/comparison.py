"""Records of the Compare table (issue 11): accuracy of several pre-trainings of the same small ViT
on one labelled image set, for a few numbers of labels per class over several seeds — by a linear
probe on frozen features, or by fine-tuning the whole network with a new linear head."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

LINEAR_PROBE = "linear probe"
FINE_TUNE = "fine-tune"


@dataclass(frozen=True)
class FineTuneSettings:
    """How each fine-tune runs: AdamW on every weight of the backbone (`lr`) and on a new linear head
    (`head_lr`, behind a standardisation of the class token), `steps` steps of `batch_size` labelled
    images (all of them when fewer). The defaults keep the whole table (6 models × 1, 10, 100 labels
    per class × 3 seeds) to about two minutes on two CPU cores."""

    steps: int = 40
    batch_size: int = 32
    lr: float = 2e-4
    head_lr: float = 1e-2
    weight_decay: float = 0.01

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class FineTuneScore:
    """One fine-tune: held-out accuracy after training on `labels` images per class drawn with `seed`."""

    accuracy: float
    labels: int
    seed: int
    train_items: int
    test_items: int
    steps: int
    seconds: float
    final_loss: float
    data: str = ""


@dataclass(frozen=True)
class Comparison:
    """accuracy[m, l, s]: model m, `labels[l]` labels per class, seed s (NaN where a model failed).
    `method` is LINEAR_PROBE or FINE_TUNE; `settings` the fine-tune's FineTuneSettings (as a dict)."""

    models: list[str]
    labels: list[int]
    seeds: list[int]
    accuracy: np.ndarray
    data: str = ""
    notes: dict = field(default_factory=dict)
    method: str = LINEAR_PROBE
    settings: dict = field(default_factory=dict)
    seconds: float = 0.0

    def mean(self) -> np.ndarray:
        return self.accuracy.mean(axis=2)

    def std(self) -> np.ndarray:
        return self.accuracy.std(axis=2)

    def to_json(self) -> dict:
        doc = {"data": self.data, "method": self.method, "labels": list(self.labels), "seeds": list(self.seeds),
               "models": {m: {str(n): {"mean": float(self.mean()[i, j]), "std": float(self.std()[i, j])}
                              for j, n in enumerate(self.labels)} for i, m in enumerate(self.models)}}
        if self.settings:
            doc["settings"] = dict(self.settings)
        if self.seconds:
            doc["seconds"] = round(float(self.seconds), 2)
        return doc
