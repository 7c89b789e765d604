"""Typed records of the registry: what a model is (ModelSpec), a parsed reference (ModelRef),
and the base of every loaded model (LoadedModel)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ModelSpec:
    """One registry entry. `loader` and `config` are import paths, so listing imports no torch."""

    id: str
    title: str
    modality: str                      # "text" | "audio" | "image"
    tasks: tuple[str, ...]             # e.g. ("embed", "attention", "neighbors", "analogy", "train")
    source: str                        # "builtin" (trained by `mlsp train`) | "pretrained" | "folder" | "features"
    description: str
    loader: str                        # "module:function(ModelRef, torch.device) -> LoadedModel"
    config: str | None = None          # "module:ConfigDataclass" for trainable models
    task: str | None = None            # "module:TaskClass" used by `mlsp train`
    default_data: str | None = None    # e.g. "builtin:grammar"
    weights: str | None = None         # shipped weights, relative to assets/ (builtin) or absolute

    def weights_path(self) -> Path | None:
        """Where this entry's ready-to-use weights are, or None when there are none yet."""
        if self.weights is None:
            return None
        from engine.paths import ASSETS_DIR

        p = Path(self.weights)
        p = p if p.is_absolute() else ASSETS_DIR / p
        return p if p.exists() else None

    @property
    def trainable(self) -> bool:
        return self.task is not None

    def weights_status(self) -> str:
        """One word or two for lists (`mlsp models`, the Model dock): "your folder" (hf:PATH),
        "packaged" (a pretrained model found installed), "shipped" (built-in weights in assets/),
        "train first" or "missing"."""
        if self.source == "folder":
            return "your folder"
        if self.source == "features":
            return "none needed"
        if self.weights_path() is not None:
            return "packaged" if self.source == "pretrained" else "shipped"
        return "train first" if self.trainable else "missing"


@dataclass(frozen=True)
class ModelRef:
    """A parsed model reference: which entry, and the folder/run it points at (if any)."""

    spec: ModelSpec
    path: Path | None
    text: str


@dataclass
class LoadedModel:
    """Base of every loaded model. Families subclass it and add the methods their probes use.

    `provides` lists what the model can give the views (LIT-style specs), e.g.
    {"tokens", "attention", "sentence-embedding", "token-embedding", "word-vectors"}.
    """

    ref: ModelRef
    device: Any                        # torch.device
    provides: frozenset[str] = field(default_factory=frozenset)
    source: str = ""                   # the file or folder the weights came from

    @property
    def id(self) -> str:
        return self.ref.spec.id

    @property
    def name(self) -> str:
        return self.ref.text
