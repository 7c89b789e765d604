"""The Compare table: linear-probe accuracy of several frozen backbones on one labelled image set,
for a few numbers of labels per class, over several seeds (the spread of the labelled draw)."""
from __future__ import annotations

import numpy as np

from engine.probes.feature_sources import features
from engine.probes.linear_probe import fit_and_score
from engine.records.comparison import Comparison

LABELS = (1, 5, 10, 50, 100)
SEEDS = (0, 1, 2)

__all__ = ["LABELS", "SEEDS", "Comparison", "compare"]


def compare(named_models: list[tuple[str, object]], data: str = "builtin:digits", labels=LABELS, seeds=SEEDS,
            progress=None) -> Comparison:
    """Probe every (name, loaded model) on `data` (train split to fit, test split to score)."""
    acc = np.zeros((len(named_models), len(labels), len(seeds)), np.float64)
    for i, (name, model) in enumerate(named_models):
        if progress is not None:
            progress(i / max(len(named_models), 1), f"features of {name}")
        train, test = features(model, data, "train"), features(model, data, "test")
        for j, n in enumerate(labels):
            for k, seed in enumerate(seeds):
                acc[i, j, k] = fit_and_score(train, test, n, seed).accuracy
    return Comparison(models=[n for n, _ in named_models], labels=list(labels), seeds=list(seeds), accuracy=acc, data=data)
