"""The Task of `bert-mini` (see engine/training/task.py): masked-language-model pre-training.

Data: `builtin:NAME` or a .txt file/folder, one sentence (line) per item; every `test_every`-th
line is held out. A WordPiece tokenizer is trained on the training lines (saved in every
checkpoint). `collate` pads a batch and applies BERT's 80/10/10 corruption to 15 % of the tokens
with the trainer's generator; the loss is cross-entropy on the chosen positions only.
Evaluation: masked-token accuracy on held-out lines, and top-1 accuracy on each content word of
unseen held-out sentences (`engine.probes.lm_scores.masked_word_accuracy`).
"""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from engine.models.bert_mini import BertMiniConfig
from engine.training.task import LossOutput

DEFAULT_DATA = "builtin:grammar"


class _Lines:
    """Map-style dataset: token ids of one sentence per item."""

    def __init__(self, rows: list[np.ndarray]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> np.ndarray:
        return self.rows[i]


def encode_lines(tokenizer, lines, max_tokens: int) -> list[np.ndarray]:
    """Each line's ids ([CLS] ... [SEP]), truncated to `max_tokens`."""
    ids = tokenizer(list(lines), truncation=True, max_length=max_tokens)["input_ids"]
    return [np.asarray(r, dtype=np.int32) for r in ids]


def pad_rows(rows, pad_id: int):
    """(ids (B, T) int64, keep (B, T) bool) of rows padded to the longest."""
    import torch

    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    keep = torch.zeros((len(rows), width), dtype=torch.bool)
    for j, r in enumerate(rows):
        ids[j, :len(r)] = torch.from_numpy(np.asarray(r, dtype=np.int64))
        keep[j, :len(r)] = True
    return ids, keep


class BertMiniTask:
    """bert-mini for the trainer (see engine/training/task.py)."""

    name = "bert-mini"
    unit = "tokens"

    def __init__(self, config: BertMiniConfig, data: str | None) -> None:
        from engine.tasks.lm_data import split_lines

        self.config = config
        self.data = data or DEFAULT_DATA
        self.text = split_lines(self.data, config.test_every)
        self.tokenizer = None
        self._dataset = None

    def default_hparams(self) -> dict[str, Any]:
        return {"steps": 3000, "batch_size": 128, "lr": 1e-3, "warmup_steps": 200, "weight_decay": 0.01}

    def dataset(self) -> _Lines:
        from engine.data.lm_tokenizers import check_trained, wordpiece

        if self._dataset is None:
            c = self.config
            self.tokenizer = wordpiece(self.text.train, c.vocab_size, c.max_tokens)
            check_trained(self.tokenizer, self.text.train, "training")
            self._dataset = _Lines(encode_lines(self.tokenizer, self.text.train, c.max_tokens))
        return self._dataset

    def build_model(self):
        from engine.models.bert_mini import BertMLM, init_weights

        self.dataset()
        return init_weights(BertMLM(self.config.bert(len(self.tokenizer), self.tokenizer.pad_token_id)))

    def collate(self, items: list, generator: Any):
        from engine.data.lm_tokenizers import BERT_SPECIALS
        from engine.models.bert_mini import IGNORE, mask_tokens

        tok = self.tokenizer
        ids, keep = pad_rows(items, tok.pad_token_id)
        special = ~keep | (ids == tok.cls_token_id) | (ids == tok.sep_token_id)
        inputs, labels = mask_tokens(ids, special, tok.mask_token_id, len(BERT_SPECIALS), len(tok), generator,
                                     self.config.mask_prob)
        if not bool((labels != IGNORE).any()):          # a batch with nothing chosen: predict one token
            labels[0, 1] = ids[0, 1]
        return inputs, keep.long(), labels

    def loss(self, model: Any, batch: Any, generator: Any) -> LossOutput:
        import torch.nn.functional as F

        from engine.models.bert_mini import IGNORE

        inputs, keep, labels = batch
        select = labels != IGNORE
        logits = model(inputs, keep, select=select).logits
        return LossOutput(loss=F.cross_entropy(logits.float(), labels[select]), items=int(keep.sum()))

    def evaluate(self, model: Any) -> dict[str, float]:
        import torch

        from engine.models.bert_mini import IGNORE
        from engine.probes.lm_scores import masked_word_accuracy

        c = self.config
        test = self.text.test[:2000]
        rows = encode_lines(self.tokenizer, test, c.max_tokens)
        gen = torch.Generator().manual_seed(1234)
        device = next(model.parameters()).device
        correct = total = 0
        for s in range(0, len(rows), 256):
            inputs, keep, labels = self.collate(rows[s:s + 256], gen)
            logits = model(inputs.to(device), keep.to(device)).logits.float().cpu()
            sel = labels != IGNORE
            correct += int((logits.argmax(-1)[sel] == labels[sel]).sum())
            total += int(sel.sum())
        words = masked_word_accuracy(model, self.tokenizer, self.text.unseen_test()[:c.eval_sentences])
        return {"mlm_accuracy": correct / max(total, 1), "content_word_top1": words.accuracy}

    def config_dict(self) -> dict[str, Any]:
        return {"data": self.data, **asdict(self.config)}

    def model_meta(self) -> dict[str, Any]:
        return {"family": "bert-mini", "config": asdict(self.config), "data": self.data,
                "vocab_size": len(self.tokenizer)}

    def save_extra(self, folder: Path) -> None:
        self.tokenizer.save_pretrained(str(folder))
