"""Loading a trained `toy-mlp` run for the views and the CLI."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.contract.loaded import LoadedModel
from engine.models.toy_mlp import ToyConfig, build_mlp


@dataclass
class ToyLoaded(LoadedModel):
    """A trained toy-mlp: `module` (nn.Sequential, eval mode) and its `config`."""

    module: Any = None
    config: Any = None


def load_toy(ref: Any, device: Any):
    """The zoo loader: a toy-mlp run folder -> LoadedModel with `.module` (newest checkpoint)."""
    from engine.errors import ModelError
    from engine.training.checkpoint import require_checkpoint
    from engine.training.runs import load_model_weights, read_run_config
    if ref.path is None:
        raise ModelError("toy-mlp has no shipped weights; train it with `mlsp train toy-mlp --out RUN` "
                         "and load the run folder RUN.")
    ckpt = require_checkpoint(ref.path)
    cfg = ToyConfig(**read_run_config(ref.path)["task"])
    module = build_mlp(cfg)
    module.load_state_dict(load_model_weights(ckpt))
    module.to(device).eval()
    return ToyLoaded(ref=ref, device=device, source=str(ckpt), module=module, config=cfg)
