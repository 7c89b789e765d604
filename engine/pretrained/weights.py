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


def convert_advice(folder: Path) -> str:
    """How to turn a HuggingFace folder with pytorch_model.bin into safetensors (one sentence)."""
    return (f"Convert it where you trust the file: `python -c \"from transformers import AutoModel; "
            f"AutoModel.from_pretrained('{folder}', use_safetensors=False).save_pretrained('{folder}', "
            "safe_serialization=True)\"`, which writes model.safetensors.")


def check_pickled_weights(folder: Path) -> None:
    """A folder whose weights are only pytorch_model.bin: refuse it in one sentence when the pickle
    would run code (read with weights_only=True; nothing in it runs)."""
    from engine.checkpoints_io import read_torch_pickle

    if (folder / "model.safetensors").is_file() or (folder / "model.safetensors.index.json").is_file():
        return
    pickled = folder / "pytorch_model.bin"
    if pickled.is_file():
        read_torch_pickle(pickled, convert_advice(folder))


def read_state_dict(folder: Path) -> dict[str, torch.Tensor]:
    """Every tensor of the folder's checkpoint, on the CPU, keys as saved."""
    single, index, pickled = folder / "model.safetensors", folder / "model.safetensors.index.json", \
        folder / "pytorch_model.bin"
    if not single.is_file() and not index.is_file() and pickled.is_file():
        from engine.checkpoints_io import read_torch_pickle

        state = read_torch_pickle(pickled, convert_advice(folder))
        if not isinstance(state, dict):
            raise ModelError(f"{pickled} does not hold a state dict of tensors; re-save the model with save_pretrained.")
        return state
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
    except Exception as exc:  # safetensors / JSON errors: the user needs the file and one sentence
        raise ModelError(f"cannot read the weights in {folder}: {_first_line(exc)}; re-download or re-save the "
                         "model.") from None
    raise ModelError(f"{folder} has no model.safetensors or pytorch_model.bin; save the model with save_pretrained.")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


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
