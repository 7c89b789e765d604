"""`toy-mlp`: the smallest model the trainer can train — an residual MLP that denoises windows of a sum
of two sinusoids. It trains in seconds on a CPU, so it checks a machine's training setup
(`mlsp train toy-mlp --device cuda`, `--nproc 2`) and is what the trainer's tests run.

Data `builtin:sines`: `items` windows of `window` samples, x = clean + noise * N(0, 1), where
clean is a sum of two sinusoids below 0.1 cycles/sample (so a learnt low-pass filter removes
most of the white noise), generated from `data_seed` (the same every time). Loss: mean squared
error to the clean window; evaluation: held-out MSE and the SNR gain in dB.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.errors import InputError
from engine.training.task import LossOutput
from engine.zoo.spec import LoadedModel


@dataclass
class ToyConfig:
    """Model and data of toy-mlp."""

    window: int = 32           # samples per window (input and output size)
    hidden: int = 64
    layers: int = 2            # hidden layers
    dropout: float = 0.1
    items: int = 2048          # training windows
    noise: float = 0.3         # noise standard deviation
    gain_jitter: float = 0.1   # random gain per window in collate (drawn from the trainer's generator)
    data_seed: int = 1234

    def __post_init__(self) -> None:
        for key in ("window", "hidden", "layers", "items"):
            if getattr(self, key) < 1:
                raise ValueError(f"{key} must be at least 1")
        if not 0 <= self.dropout < 1:
            raise ValueError("dropout must be in [0, 1)")


def make_sines(n: int, window: int, noise: float, seed: int):
    """(noisy, clean), each (n, window) float32: two random sinusoids per window plus noise."""
    import torch

    g = torch.Generator().manual_seed(seed)
    t = torch.arange(window, dtype=torch.float32)
    freq = torch.rand(n, 2, 1, generator=g) * 0.09 + 0.01          # cycles per sample: low-pass
    phase = torch.rand(n, 2, 1, generator=g) * 6.2831853
    amp = torch.rand(n, 2, 1, generator=g) * 0.8 + 0.2
    clean = (amp * torch.sin(6.2831853 * freq * t + phase)).sum(dim=1)
    noisy = clean + noise * torch.randn(n, window, generator=g)
    return noisy, clean


def build_mlp(cfg: ToyConfig):
    """Residual MLP: y = x + net(x), net = window -> [hidden, GELU, dropout] x layers -> window."""
    from torch import nn

    class ResidualMLP(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            dims = [cfg.window] + [cfg.hidden] * cfg.layers
            layers: list = []
            for a, b in zip(dims[:-1], dims[1:]):
                layers += [nn.Linear(a, b), nn.GELU(), nn.Dropout(cfg.dropout)]
            layers.append(nn.Linear(dims[-1], cfg.window))
            self.net = nn.Sequential(*layers)

        def forward(self, x):                     # (B, window) -> (B, window)
            return x + self.net(x)

    return ResidualMLP()


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


@dataclass
class ToyLoaded(LoadedModel):
    """A trained toy-mlp: `module` (nn.Sequential, eval mode) and its `config`."""

    module: Any = None
    config: Any = None


def load_toy(ref: Any, device: Any):
    """The zoo loader: a toy-mlp run folder -> LoadedModel with `.module` (newest checkpoint)."""
    from engine.errors import ModelError
    from engine.training.runs import load_model_weights, newest_checkpoint, read_run_config
    if ref.path is None:
        raise ModelError("toy-mlp has no shipped weights; train it with `mlsp train toy-mlp --out RUN` "
                         "and load the run folder RUN.")
    ckpt = newest_checkpoint(ref.path)
    if ckpt is None:
        raise ModelError(f"run {ref.path} has no complete checkpoint yet; wait for one or resume training.")
    cfg = ToyConfig(**read_run_config(ref.path)["task"])
    module = build_mlp(cfg)
    module.load_state_dict(load_model_weights(ckpt))
    module.to(device).eval()
    return ToyLoaded(ref=ref, device=device, provides=frozenset(), source=str(ckpt), module=module, config=cfg)
