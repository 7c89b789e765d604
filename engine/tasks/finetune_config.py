"""The settings of a `finetune` run (`mlsp train finetune --set key=value`, or `mlsp finetune`).

Light on purpose (no torch): the window's run form reads these fields to build its settings form.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

MAX_SEED = 2**32 - 1              # what every random generator takes


@dataclass
class FinetuneConfig:
    """What is fine-tuned, on what, and from which weights."""

    base: str = "bert-mini"          # the pre-trained model: bert-mini, gpt-mini, a run folder of either, or hf:PATH
    task: str = "topic"              # topic, tense, or the path of a TSV file of text<TAB>label
    labels: int = 50                 # labelled training sentences drawn from the task (0 = all)
    init: Literal["pretrained", "scratch"] = "pretrained"   # scratch: same architecture, random weights
    seed: int = 0                    # the sample of labelled sentences and the classifier's first weights

    def __post_init__(self) -> None:
        if not str(self.base).strip():
            raise ValueError("base must name a model (bert-mini, gpt-mini, a run folder or hf:PATH)")
        if not str(self.task).strip():
            raise ValueError("task must be topic, tense or the path of a TSV file")
        if self.init not in ("pretrained", "scratch"):
            raise ValueError(f"init must be pretrained or scratch, not '{self.init}'")
        if not isinstance(self.labels, int) or self.labels < 0:
            raise ValueError(f"labels must be 0 (all) or more, not {self.labels}")
        if not isinstance(self.seed, int) or not 0 <= self.seed <= MAX_SEED:
            raise ValueError(f"seed must be between 0 and {MAX_SEED}, not {self.seed}")
        self.base = _absolute(str(self.base).strip())
        self.task = _absolute(str(self.task).strip())


def _absolute(ref: str) -> str:
    """An existing path as an absolute one (a resume from another folder finds it again); else `ref`."""
    if ref.startswith("hf:"):
        path = Path(ref[3:]).expanduser()
        return "hf:" + str(path.resolve()) if path.exists() else ref
    path = Path(ref).expanduser()
    return str(path.resolve()) if ("/" in ref or "\\" in ref or path.suffix) and path.exists() else ref
