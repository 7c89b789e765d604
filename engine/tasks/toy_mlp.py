"""The Task of `toy-mlp` (see engine/training/task.py): denoise windows of two sinusoids.

Data `builtin:sines`: `items` windows of `window` samples, x = clean + noise * N(0, 1), where
clean is a sum of two sinusoids below 0.1 cycles/sample (so a learnt low-pass filter removes
most of the white noise), generated from `data_seed` (the same every time). Loss: mean squared
error to the clean window; evaluation: held-out MSE and the SNR gain in dB.
"""
from __future__ import annotations

from typing import Any

from engine.data.sines import make_sines
from engine.errors import InputError
from engine.models.toy_mlp import ToyConfig, build_mlp
from engine.training.task import LossOutput


class _Pairs:
    """Map-style dataset of (noisy, clean) window pairs."""

    def __init__(self, noisy, clean) -> None:
        self.noisy, self.clean = noisy, clean

    def __len__(self) -> int:
        return int(self.noisy.shape[0])

    def __getitem__(self, i: int):
        return self.noisy[i], self.clean[i]

    def __getitems__(self, idx: list[int]):
        return [(self.noisy[idx], self.clean[idx])]


class ToyTask:
    """The Task of toy-mlp (see engine/training/task.py)."""

    name = "toy-mlp"
    unit = "samples"

    def __init__(self, config: ToyConfig, data: str | None) -> None:
        if data not in (None, "builtin:sines"):
            raise InputError(f"toy-mlp trains on builtin:sines only, not '{data}'; drop --data.")
        self.config = config
        self.data = data or "builtin:sines"

    def default_hparams(self) -> dict[str, Any]:
        return {"steps": 200, "batch_size": 64, "lr": 3e-3}

    def dataset(self) -> _Pairs:
        c = self.config
        return _Pairs(*make_sines(c.items, c.window, c.noise, c.data_seed))

    def build_model(self):
        return build_mlp(self.config)

    def collate(self, items: list, generator: Any):
        import torch

        if len(items) == 1 and items[0][0].dim() == 2:           # from __getitems__
            noisy, clean = items[0]
        else:
            noisy = torch.stack([x for x, _ in items])
            clean = torch.stack([y for _, y in items])
        if self.config.gain_jitter > 0:
            gain = 1 + self.config.gain_jitter * (2 * torch.rand(noisy.shape[0], 1, generator=generator) - 1)
            noisy, clean = noisy * gain, clean * gain
        return noisy, clean

    def loss(self, model: Any, batch: Any, generator: Any) -> LossOutput:
        import torch.nn.functional as F

        noisy, clean = batch
        return LossOutput(loss=F.mse_loss(model(noisy).float(), clean), items=int(noisy.shape[0]))

    def evaluate(self, model: Any) -> dict[str, float]:
        """MSE on 256 held-out windows, and the SNR gain (dB) of the denoised over the noisy input."""
        import torch

        c = self.config
        noisy, clean = make_sines(256, c.window, c.noise, c.data_seed + 1)
        device = next(model.parameters()).device
        with torch.no_grad():
            out = model(noisy.to(device)).float().cpu()
        mse = torch.mean((out - clean) ** 2)
        noise_in = torch.mean((noisy - clean) ** 2)
        return {"val_mse": float(mse), "snr_gain_db": float(10 * torch.log10(noise_in / mse))}

    def config_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return {"data": self.data, **asdict(self.config)}

    def model_meta(self) -> dict[str, Any]:
        from dataclasses import asdict

        return {"family": "toy-mlp", "config": asdict(self.config)}
