"""The base of a fine-tuning: a language model named like MODEL on the command line (bert-mini,
gpt-mini, a run of either, hf:PATH), resolved through the registry and loaded by its entry's
loader. Here, below `engine.zoo`, so that the fine-tuning Task (engine.tasks) can load its base;
it handles these references only and refuses the rest with the models that can be fine-tuned."""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from engine.contract.registry import get_spec, registry
from engine.contract.spec import ModelRef
from engine.errors import ModelError

BASES = ("bert-mini", "gpt-mini", "hf")
CHOICES = "choose bert-mini, gpt-mini, a run of either, or hf:PATH (a BERT-family or GPT-2 folder)"


def base_reference(text: str) -> ModelRef:
    """The reference `text` names (no torch); ModelError unless it is a language model base."""
    from engine.training.runs import read_run_model_id

    text = str(text).strip()
    folder = Path(text[3:] if text.startswith("hf:") else text).expanduser()
    is_run = folder.is_dir() and (folder / "checkpoints").is_dir()
    if text.startswith("hf:") or (folder.is_dir() and not is_run):
        if not (folder / "config.json").is_file():
            raise ModelError(f"'{folder}' is not a HuggingFace-format model folder (no config.json); {CHOICES}.")
        return ModelRef(spec=get_spec("hf"), path=folder, text=text)
    if text in registry():
        spec, path = get_spec(text), None
    elif is_run:
        spec, path = get_spec(read_run_model_id(folder)), folder
    else:
        raise ModelError(f"no model '{text}' to fine-tune; {CHOICES}.")
    if spec.id not in BASES:
        raise ModelError(f"'{text}' cannot be fine-tuned here; {CHOICES}.")
    return ModelRef(spec=spec, path=path, text=text)


def load_base(text: str, device: Any = "cpu") -> Any:
    """The loaded base model (a network `net` and a `tokenizer`); ModelError for anything else."""
    import torch

    ref = base_reference(text)
    module_name, _, func_name = ref.spec.loader.partition(":")
    model = getattr(importlib.import_module(module_name), func_name)(ref, torch.device(device))
    if getattr(model, "net", None) is None or not hasattr(model, "tokenizer"):
        raise ModelError(f"'{text}' cannot be fine-tuned here; {CHOICES}.")
    return model
