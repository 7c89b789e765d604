"""`toy-mlp`: a residual MLP that denoises windows of a sum of two sinusoids (the smallest model the
trainer can train: it checks a machine's training setup in seconds)."""
from __future__ import annotations

from dataclasses import dataclass


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
