"""The Task of `wav2vec-mini` (see engine/training/task.py): self-supervised pre-training on speech.

Data: `builtin:words` (default; its labels are not used), `builtin:words-small`, or any folder of
audio (Speech Commands layout or unlabelled files, cut into 1-s clips). Each batch draws span masks
from the trainer's generator; the loss is the contrastive loss against K distractors plus the
codebook diversity loss (engine.models.wav2vec_mini.wav2vec_losses). Evaluation: on up to 512 clips
of the valid split with fixed masks, the contrastive loss, how often the true quantised target
beats every distractor (accuracy) and the codebook perplexity.
"""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np

from engine.data.words import SAMPLE_RATE, resolve_words
from engine.models.wav2vec_mini import Wav2VecConfig, build_wav2vec_mini, frames_for, span_mask, wav2vec_losses
from engine.tasks.lstm_attn import batch_of, shift_and_noise
from engine.training.task import LossOutput

EVAL_CLIPS = 512


class _Clips:
    """Map-style dataset over one split: item i is (samples (16000,), label id or -1)."""

    def __init__(self, split) -> None:
        self.split = split

    def __len__(self) -> int:
        return len(self.split)

    def __getitem__(self, i: int):
        return self.split.waveforms([i])[0], int(self.split.label_ids[i])

    def __getitems__(self, idx: list[int]):
        return [(self.split.waveforms(idx), self.split.label_ids[np.asarray(idx, np.int64)])]


class Wav2VecTask:
    """The Task of wav2vec-mini (see engine/training/task.py)."""

    name = "wav2vec-mini"
    unit = "samples"

    def __init__(self, config: Wav2VecConfig, data: str | None) -> None:
        self.config = config
        self.data = data or "builtin:words"
        self.corpus = resolve_words(self.data)                  # labels optional: self-supervised

    def default_hparams(self) -> dict[str, Any]:
        """The shipped preset: 2000 steps of 32 clips (about 4 passes over builtin:words' training split)."""
        return {"steps": 2000, "batch_size": 32, "lr": 2e-3, "grad_clip": 5.0, "warmup_steps": 200}

    def dataset(self) -> _Clips:
        return _Clips(self.corpus.train)

    def build_model(self):
        return build_wav2vec_mini(self.config)

    def collate(self, items: list, generator: Any):
        waves, _labels = batch_of(items)
        waves = shift_and_noise(waves, generator, 0.1, 0.3)
        c = self.config
        mask = span_mask(waves.shape[0], frames_for(waves.shape[1]), c.mask_prob, c.mask_span, generator)
        return waves, mask

    def loss(self, model: Any, batch: Any, generator: Any) -> LossOutput:
        waves, mask = batch
        out = model(waves, mask, generator)
        parts = wav2vec_losses(out, self.config, generator)
        return LossOutput(loss=parts.pop("loss"), items=int(waves.shape[0]), metrics=parts)

    def evaluate(self, model: Any) -> dict[str, float]:
        import torch

        split = self.corpus.valid if len(self.corpus.valid) else self.corpus.train
        n = min(EVAL_CLIPS, len(split))
        if n == 0:
            return {}
        device = next(model.parameters()).device
        g = torch.Generator().manual_seed(1234)
        sums: dict[str, float] = {}
        batches = 0
        for i in range(0, n, 128):
            waves = torch.from_numpy(split.waveforms(np.arange(i, min(i + 128, n)))).to(device)
            c = self.config
            mask = span_mask(waves.shape[0], frames_for(waves.shape[1]), c.mask_prob, c.mask_span, g).to(device)
            parts = wav2vec_losses(model(waves, mask, g), c, g)
            for k, v in parts.items():
                sums[k] = sums.get(k, 0.0) + float(v)
            batches += 1
        return {f"val_{k}": v / batches for k, v in sums.items() if k != "loss"}

    def config_dict(self) -> dict[str, Any]:
        return {"data": self.data, **asdict(self.config)}

    def model_meta(self) -> dict[str, Any]:
        return {"family": "wav2vec-mini", "config": asdict(self.config), "sample_rate": SAMPLE_RATE}
