"""Reading a HuggingFace folder's weights (safetensors, sharded safetensors, or pytorch_model.bin
through `torch.load(weights_only=True)`, which unpickles no code) and copying them into the
project's blocks under a key map."""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn

from engine.errors import ModelError

# our key -> (the checkpoint's key, optional transform of the tensor); None = leave as initialised
KeySource = Callable[[str], "tuple[str, Callable[[torch.Tensor], torch.Tensor] | None] | None"]


def read_state_dict(folder: Path) -> dict[str, torch.Tensor]:
    """Every tensor of the folder's checkpoint, on the CPU, keys as saved."""
    single, index, pickled = folder / "model.safetensors", folder / "model.safetensors.index.json", \
        folder / "pytorch_model.bin"
    try:
        if single.is_file():
            from safetensors.torch import load_file

            return load_file(str(single))
        if index.is_file():
            from safetensors.torch import load_file

            shards = sorted(set(json.loads(index.read_text(encoding="utf-8"))["weight_map"].values()))
            state: dict[str, torch.Tensor] = {}
            for shard in shards:
                state.update(load_file(str(folder / shard)))
            return state
        if pickled.is_file():
            return torch.load(str(pickled), map_location="cpu", weights_only=True)
    except Exception as exc:  # safetensors / pickle / JSON errors: the user needs the file and one sentence
        raise ModelError(f"cannot read the weights in {folder}: {exc}; re-download or re-save the model.") from None
    raise ModelError(f"{folder} has no model.safetensors or pytorch_model.bin; save the model with save_pretrained.")


def normalise_keys(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Old BERT checkpoints name LayerNorm parameters gamma/beta; use weight/bias like everyone else."""
    out = {}
    for key, value in state.items():
        if key.endswith(".gamma"):
            key = key[:-6] + ".weight"
        elif key.endswith(".beta"):
            key = key[:-5] + ".bias"
        out[key] = value
    return out


def find_prefix(state: dict[str, torch.Tensor], probe_key: str, prefixes: tuple[str, ...]) -> str:
    """The prefix under which the base model's keys sit (e.g. "bert." in a BertForMaskedLM checkpoint)."""
    for prefix in ("",) + prefixes:
        if prefix + probe_key in state:
            return prefix
    raise ModelError(f"the checkpoint has no '{probe_key}' (under any of {('',) + prefixes}); "
                     "it does not look like the architecture its config.json names.")


def fill_module(net: nn.Module, state: dict[str, torch.Tensor], source: KeySource, where: Path) -> None:
    """Copy the checkpoint's tensors into every parameter and buffer of `net`, checking shapes."""
    own = net.state_dict()
    new: dict[str, torch.Tensor] = {}
    missing: list[str] = []
    for key, current in own.items():
        src = source(key)
        if src is None:
            new[key] = current
            continue
        hf_key, transform = src
        if hf_key not in state:
            missing.append(hf_key)
            continue
        tensor = state[hf_key]
        tensor = transform(tensor) if transform else tensor
        if tuple(tensor.shape) != tuple(current.shape):
            raise ModelError(f"weight '{hf_key}' in {where} has shape {tuple(tensor.shape)} but the config "
                             f"implies {tuple(current.shape)}; config.json and the weights do not match.")
        new[key] = tensor.to(current.dtype)
    if missing:
        raise ModelError(f"the weights in {where} lack {len(missing)} tensor(s) the model needs, e.g. "
                         f"{', '.join(missing[:3])}; the checkpoint is incomplete or of another architecture.")
    net.load_state_dict(new, strict=True)
