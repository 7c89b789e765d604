"""Fine-tuning records: one fine-tuning's test accuracy, and the accuracy-vs-labels curve."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FinetuneResult:
    """A classifier fine-tuned from pre-trained weights ("pretrained") or from random ones ("scratch")."""

    model: str
    task: str
    init: str                      # "pretrained" | "scratch"
    labels: int                    # labelled training examples used
    seed: int
    accuracy: float                # on the held-out test set
    classes: tuple[str, ...]
    test_size: int


@dataclass(frozen=True)
class FinetuneCurve:
    """Test accuracy against the number of labels, pre-trained vs scratch, several seeds each."""

    model: str
    task: str
    results: tuple[FinetuneResult, ...]

    def accuracies(self, init: str, labels: int) -> list[float]:
        return [r.accuracy for r in self.results if r.init == init and r.labels == labels]

    def label_counts(self) -> list[int]:
        return sorted({r.labels for r in self.results})
