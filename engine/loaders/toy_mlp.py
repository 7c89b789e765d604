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
    from engine.training.checkpoint import load_newest
    from engine.training.runs import load_model_weights, read_run_config
    if ref.path is None:
        raise ModelError("toy-mlp has no shipped weights; train it with `mlsp train toy-mlp --out RUN` "
                         "and load the run folder RUN.")
    try:
        cfg = ToyConfig(**read_run_config(ref.path)["task"])
    except (TypeError, KeyError) as exc:
        raise ModelError(f"run {ref.path}: config.json does not describe a toy-mlp ({exc}).") from None

    def load(ckpt):
        module = build_mlp(cfg)
        try:
            module.load_state_dict(load_model_weights(ckpt))
        except RuntimeError as exc:          # tensors of other names or shapes
            raise ModelError(f"{ckpt} does not fit the run's toy-mlp ({str(exc).splitlines()[0]}).") from None
        module.to(device).eval()
        return ToyLoaded(ref=ref, device=device, source=str(ckpt), module=module, config=cfg)

    return load_newest(ref.path, load)
