"""The Task of `finetune` (see engine/training/task.py): a pre-trained language model fine-tuned as
a classifier by the one trainer, so a fine-tuning is an ordinary run (run folder, checkpoints,
events, pause and resume, the dashboard).

Config (`engine.tasks.finetune_config.FinetuneConfig`): base, task, labels, init, seed. The data
are the labelled task's sentences (`engine.tasks.finetune.labelled_task`): `labels` of its training
pool, drawn with `seed` as `engine.tasks.finetune.finetune` draws them; the model is the base's
network without its LM head, mean-pooled, and a linear layer (`Classifier`), seeded with `seed`
(re-initialised for init=scratch). Loss: cross-entropy; evaluation: accuracy on the task's test set.
Every checkpoint holds the classifier's weights, meta.json (base, classes, task, ...) and the
base's tokenizer. The defaults match the in-process `finetune` (AdamW 5e-4, constant rate, no
clipping, batches of 16, 150 steps); the batches are drawn by the trainer (shuffled epochs).
"""
from __future__ import annotations

import random
from dataclasses import asdict
from pathlib import Path
from typing import Any

from engine.errors import InputError
from engine.loaders.lm_base import base_reference, load_base
from engine.tasks.finetune_config import FinetuneConfig
from engine.training.task import LossOutput

EVAL_BATCH = 128


class _Examples:
    """Map-style dataset of (text, class index)."""

    def __init__(self, rows: list[tuple[str, int]]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> tuple[str, int]:
        return self.rows[i]


class FinetuneTask:
    """finetune for the trainer (see engine/training/task.py)."""

    name = "finetune"
    unit = "samples"
    ddp_find_unused_parameters = True        # a GPT body keeps its (unused) LM head

    def __init__(self, config: FinetuneConfig, data: str | None) -> None:
        from engine.tasks.finetune import labelled_task

        if data is not None:
            raise InputError(f"finetune takes its sentences from its task setting, not --data ('{data}'); drop --data "
                             "and give --set task=topic, tense or FILE.tsv.")
        self.config = config
        self.data = None
        self.labelled = labelled_task(config.task)        # InputError for a bad task, before anything loads
        base_reference(config.base)                       # ModelError for a base that cannot be fine-tuned
        pool = list(self.labelled.train)
        random.Random(config.seed).shuffle(pool)           # the sample `finetune` draws for this seed
        self.chosen = pool[:config.labels] if config.labels else pool
        self.tokenizer = None
        self.max_tokens = 512
        self.facts: dict[str, Any] = {}

    def default_hparams(self) -> dict[str, Any]:
        return {"steps": 150, "batch_size": min(16, len(self.chosen)), "lr": 5e-4, "weight_decay": 0.01,
                "warmup_steps": 0, "min_lr_ratio": 1.0, "grad_clip": 0.0}

    def dataset(self) -> _Examples:
        return _Examples(self.chosen)

    def build_model(self):
        import torch

        from engine.models.text_classifier import Classifier, classifier_body

        base = load_base(self.config.base)
        torch.manual_seed(self.config.seed)                 # as `finetune` seeds its classifier
        body, width, causal = classifier_body(base, self.config.init)
        tok = base.tokenizer
        if tok.pad_token is None:
            tok.pad_token = tok.eos_token
        self.tokenizer, self.max_tokens = tok, int(base.max_tokens)
        self.facts = {"base_type": str(getattr(base, "model_type", "")), "causal": causal, "width": width}
        return Classifier(body, width, len(self.labelled.classes), causal)

    def collate(self, items: list, generator: Any):
        import torch

        enc = self.tokenizer([t for t, _ in items], padding=True, truncation=True, max_length=self.max_tokens,
                             return_tensors="pt")
        return enc["input_ids"], enc["attention_mask"], torch.tensor([y for _, y in items], dtype=torch.long)

    def loss(self, model: Any, batch: Any, generator: Any) -> LossOutput:
        import torch.nn.functional as F

        ids, keep, y = batch
        logits = model(ids, keep).float()
        accuracy = (logits.detach().argmax(-1) == y).float().mean()
        return LossOutput(loss=F.cross_entropy(logits, y), items=int(y.shape[0]), metrics={"train_accuracy": accuracy})

    def evaluate(self, model: Any) -> dict[str, float]:
        """Accuracy on the task's held-out test sentences."""
        test = self.labelled.test
        device = next(model.parameters()).device
        correct = 0
        for s in range(0, len(test), EVAL_BATCH):
            ids, keep, y = self.collate(list(test[s:s + EVAL_BATCH]), None)
            correct += int((model(ids.to(device), keep.to(device)).argmax(-1).cpu() == y).sum())
        return {"test_accuracy": correct / len(test)}

    def config_dict(self) -> dict[str, Any]:
        return {"data": None, **asdict(self.config), "task_name": self.labelled.name,
                "classes": list(self.labelled.classes), "chosen": len(self.chosen), "test_size": len(self.labelled.test)}

    def model_meta(self) -> dict[str, Any]:
        return {"family": "finetune", "config": asdict(self.config), "task": self.labelled.name,
                "classes": list(self.labelled.classes), "labels": len(self.chosen),
                "test_size": len(self.labelled.test), "max_tokens": self.max_tokens, **self.facts}

    def save_extra(self, folder: Path) -> None:
        self.tokenizer.save_pretrained(str(folder))
