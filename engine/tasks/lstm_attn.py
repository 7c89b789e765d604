"""The Task of `lstm-attn` (see engine/training/task.py): classify 1-s spoken words.

Data: `builtin:words` (default), `builtin:words-small`, or a folder in the Speech Commands layout
(one subfolder per word; at least two words). Training clips are shifted in time by up to ±`shift`
seconds and, with probability `noise`, get white noise at 10-40 dB SNR (drawn from the trainer's
generator). Loss: cross-entropy; evaluation: accuracy on the valid and test splits (disjoint
speakers).
"""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np

from engine.data.words import CLIP_SAMPLES, SAMPLE_RATE, resolve_words
from engine.models.lstm_attn import LstmAttnConfig, build_lstm_attn
from engine.training.task import LossOutput

EVAL_BATCH = 256


class _Clips:
    """Map-style dataset over one split: item i is (samples (16000,), label id)."""

    def __init__(self, split) -> None:
        self.split = split

    def __len__(self) -> int:
        return len(self.split)

    def __getitem__(self, i: int):
        return self.split.waveforms([i])[0], int(self.split.label_ids[i])

    def __getitems__(self, idx: list[int]):
        return [(self.split.waveforms(idx), self.split.label_ids[np.asarray(idx, np.int64)])]


def batch_of(items: list):
    """(waves (B, N) float32 tensor, labels (B,) int64 tensor) from dataset items."""
    import torch

    if len(items) == 1 and np.ndim(items[0][0]) == 2:                      # from __getitems__
        waves, labels = items[0]
    else:
        waves = np.stack([w for w, _ in items])
        labels = np.array([y for _, y in items])
    return torch.from_numpy(np.ascontiguousarray(waves, np.float32)), torch.as_tensor(labels, dtype=torch.int64)


def shift_and_noise(waves, generator, shift: float, noise: float):
    """Each clip moved by up to ±`shift` s (zeros fill in) and, with probability `noise`, white noise at a
    random SNR of 10-40 dB; all randomness from `generator`."""
    import torch

    b, n = waves.shape
    out = torch.zeros_like(waves)
    max_shift = int(shift * SAMPLE_RATE)
    offsets = torch.randint(-max_shift, max_shift + 1, (b,), generator=generator)
    for i, s in enumerate(offsets.tolist()):
        if s >= 0:
            out[i, s:] = waves[i, :n - s]
        else:
            out[i, :n + s] = waves[i, -s:]
    if noise > 0:
        on = torch.rand(b, generator=generator) < noise
        snr_db = 10 + 30 * torch.rand(b, generator=generator)
        rms = out.pow(2).mean(dim=1).sqrt()
        gain = rms * 10 ** (-snr_db / 20) * on
        out = out + gain[:, None] * torch.randn(b, n, generator=generator)
    return out


class LstmAttnTask:
    """The Task of lstm-attn (see engine/training/task.py)."""

    name = "lstm-attn"
    unit = "samples"

    def __init__(self, config: LstmAttnConfig, data: str | None) -> None:
        self.config = config
        self.data = data or "builtin:words"
        self.corpus = resolve_words(self.data, need_labels=True)       # InputError: missing, unlabelled, one word

    def default_hparams(self) -> dict[str, Any]:
        """The shipped preset: about 12 passes over builtin:words (16240 training clips)."""
        return {"steps": 3000, "batch_size": 64, "lr": 3e-3, "grad_clip": 1.0, "warmup_steps": 100}

    def dataset(self) -> _Clips:
        return _Clips(self.corpus.train)

    def build_model(self):
        return build_lstm_attn(self.config, len(self.corpus.labels))

    def collate(self, items: list, generator: Any):
        waves, labels = batch_of(items)
        return shift_and_noise(waves, generator, self.config.shift, self.config.noise), labels

    def loss(self, model: Any, batch: Any, generator: Any) -> LossOutput:
        import torch.nn.functional as F

        waves, labels = batch
        logits = model(waves).float()
        acc = (logits.argmax(-1) == labels).float().mean().detach()
        return LossOutput(loss=F.cross_entropy(logits, labels), items=int(labels.shape[0]), metrics={"accuracy": acc})

    def evaluate(self, model: Any) -> dict[str, float]:
        """Accuracy on the valid and test splits (speakers never seen in training)."""
        out = {}
        for split in (self.corpus.valid, self.corpus.test):
            if len(split):
                out[f"{split.name}_accuracy"] = split_accuracy(model, split)
        return out

    def config_dict(self) -> dict[str, Any]:
        return {"data": self.data, **asdict(self.config)}

    def model_meta(self) -> dict[str, Any]:
        return {"family": "lstm-attn", "config": asdict(self.config), "labels": list(self.corpus.labels),
                "sample_rate": SAMPLE_RATE, "clip_samples": CLIP_SAMPLES}


def split_accuracy(model: Any, split) -> float:
    """Fraction of `split`'s clips whose arg-max word is right."""
    import torch

    device = next(model.parameters()).device
    right = 0
    with torch.no_grad():
        for i in range(0, len(split), EVAL_BATCH):
            idx = np.arange(i, min(i + EVAL_BATCH, len(split)))
            waves = torch.from_numpy(split.waveforms(idx)).to(device)
            pred = model(waves).argmax(-1).cpu().numpy()
            right += int((pred == split.label_ids[idx]).sum())
    return right / len(split)
