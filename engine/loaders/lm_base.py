"""The base of a fine-tuning: a language model named like MODEL on the command line (bert-mini,
gpt-mini, a run of either, hf:PATH), resolved and loaded as every model is
(`engine.loaders.model_refs`); anything else is refused with the models that can be fine-tuned."""
from __future__ import annotations

from typing import Any

from engine.contract.spec import ModelRef
from engine.errors import ModelError
from engine.loaders.model_refs import load_model, resolve

BASES = ("bert-mini", "gpt-mini", "hf")
CHOICES = "choose bert-mini, gpt-mini, a run of either, or hf:PATH (a BERT-family or GPT-2 folder)"


def base_reference(text: str) -> ModelRef:
    """The reference `text` names (no torch); ModelError unless it is a language model base."""
    ref = resolve(text)
    if ref.spec.id not in BASES:
        raise ModelError(f"'{text}' cannot be fine-tuned here; {CHOICES}.")
    return ref


def load_base(text: str, device: Any = "cpu") -> Any:
    """The loaded base model (a network `net` and a `tokenizer`); ModelError for anything else."""
    model = load_model(base_reference(text), str(device))
    if getattr(model, "net", None) is None or not hasattr(model, "tokenizer"):
        raise ModelError(f"'{text}' cannot be fine-tuned here; {CHOICES}.")
    return model
