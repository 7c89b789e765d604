"""The Task of `gpt-mini` (see engine/training/task.py): next-token prediction.

Data: `builtin:NAME` or a .txt file/folder; every `test_every`-th line is held out. A tokenizer
("bpe" or "char", `--set tokenizer=`) is trained on the training lines (saved in every
checkpoint); the lines become one token stream, each followed by <|endoftext|>, cut into
windows of `context + 1` tokens (an item). Loss: cross-entropy of every next token. Evaluation:
test perplexity on the held-out stream and, computed once, an interpolated bigram model's
perplexity on the same tokens.
"""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from engine.models.gpt_mini import GPTMiniConfig
from engine.training.task import LossOutput

DEFAULT_DATA = "builtin:grammar"


class _Windows:
    """Map-style dataset: window i = stream[i * context : i * context + context + 1]."""

    def __init__(self, stream: np.ndarray, context: int) -> None:
        self.stream, self.context = stream, context

    def __len__(self) -> int:
        return max(0, (len(self.stream) - 1) // self.context)

    def __getitem__(self, i: int) -> np.ndarray:
        s = i * self.context
        return self.stream[s:s + self.context + 1]


def train_tokenizer(config: GPTMiniConfig, lines):
    from engine.data import lm_tokenizers

    if config.tokenizer == "char":
        return lm_tokenizers.chars(lines, config.context)
    return lm_tokenizers.bpe(lines, config.vocab_size, config.context)


def encode_stream(tokenizer, lines) -> np.ndarray:
    """Every line's ids followed by the end-of-text id, as one int32 stream."""
    eos = tokenizer.eos_token_id
    out: list[int] = []
    for ids in tokenizer(list(lines), add_special_tokens=False)["input_ids"]:
        out.extend(ids)
        out.append(eos)
    return np.asarray(out, dtype=np.int32)


class GPTMiniTask:
    """gpt-mini for the trainer (see engine/training/task.py)."""

    name = "gpt-mini"
    unit = "tokens"

    def __init__(self, config: GPTMiniConfig, data: str | None) -> None:
        from engine.tasks.lm_data import split_lines

        self.config = config
        self.data = data or DEFAULT_DATA
        self.text = split_lines(self.data, config.test_every)
        self.tokenizer = None
        self.stream = None
        self._dataset = None
        self._bigram: tuple[float, float] | None = None

    def default_hparams(self) -> dict[str, Any]:
        return {"steps": 3000, "batch_size": 32, "lr": 2e-3, "warmup_steps": 100, "weight_decay": 0.1}

    def dataset(self) -> _Windows:
        from engine.data.lm_tokenizers import check_trained

        if self._dataset is None:
            self.tokenizer = train_tokenizer(self.config, self.text.train)
            check_trained(self.tokenizer, self.text.train, "training")
            self.stream = encode_stream(self.tokenizer, self.text.train)
            self._dataset = _Windows(self.stream, self.config.context)
        return self._dataset

    def build_model(self):
        from engine.models.gpt_mini import build_gpt_mini

        self.dataset()
        return build_gpt_mini(self.config, len(self.tokenizer))

    def collate(self, items: list, generator: Any):
        import torch

        x = torch.from_numpy(np.stack(items).astype(np.int64))
        return x[:, :-1], x[:, 1:]

    def loss(self, model: Any, batch: Any, generator: Any) -> LossOutput:
        import torch.nn.functional as F

        inputs, labels = batch
        logits = model(inputs).logits
        return LossOutput(loss=F.cross_entropy(logits.flatten(0, 1).float(), labels.flatten()), items=int(labels.numel()))

    def test_stream(self) -> np.ndarray:
        return encode_stream(self.tokenizer, self.text.test)[:self.config.eval_tokens + 1]

    def evaluate(self, model: Any) -> dict[str, float]:
        from engine.probes.lm_scores import bigram_perplexity, causal_nll

        test = self.test_stream()
        nll, n = causal_nll(model, test, self.config.context)
        if n == 0:
            return {}
        if self._bigram is None:
            self._bigram = bigram_perplexity(self.stream, test, len(self.tokenizer))
        return {"test_perplexity": float(np.exp(nll / n)), "bigram_perplexity": self._bigram[0]}

    def config_dict(self) -> dict[str, Any]:
        return {"data": self.data, **asdict(self.config)}

    def model_meta(self) -> dict[str, Any]:
        return {"family": "gpt-mini", "config": asdict(self.config), "data": self.data,
                "vocab_size": len(self.tokenizer)}

    def save_extra(self, folder: Path) -> None:
        self.tokenizer.save_pretrained(str(folder))
