"""The model registry: a model id -> what it is, what it can do, where its weights come from.

Each family registers its entry in a small module of this package (`minilm.py`, `word2vec.py`,
...), discovered at first use by `engine.contract.registry`. Listing the registry never imports
torch; `load_model` does.

A model reference (`MODEL` on the command line) is one of:
  * a registry id (`minilm`, `word2vec`, ...),
  * `hf:PATH`, a local HuggingFace-format folder,
  * the path of a training run folder (its newest complete checkpoint is loaded).
"""
from __future__ import annotations

from engine.contract.capabilities import Capability, InputKind, OutputKind
from engine.contract.loaded import LoadedModel
from engine.contract.registry import get_spec, models_that_can, register, registry
from engine.contract.spec import Declared, ModelRef, ModelSpec
from engine.loaders.model_refs import load_model, resolve

__all__ = ["Capability", "Declared", "InputKind", "LoadedModel", "ModelRef", "ModelSpec", "OutputKind",
           "get_spec", "load_model", "models_that_can", "register", "registry", "resolve"]


