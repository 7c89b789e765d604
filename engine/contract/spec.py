"""Typed records of the registry: what a model is (ModelSpec) and a parsed reference (ModelRef).

Both are readable without importing torch: `mlsp models`, the Model dock and the View menu
decide what to offer from `capabilities`, `inputs` and `outputs` before anything loads.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine.contract.capabilities import Capability, InputKind, OutputKind, modality_of


@dataclass(frozen=True)
class ModelSpec:
    """One registry entry. `loader`, `config`, `task` and `refine` are import paths ("module:name"),
    so listing the registry imports no torch."""

    id: str
    title: str
    capabilities: frozenset[Capability]
    inputs: tuple[InputKind, ...]
    outputs: tuple[OutputKind, ...]
    source: str                        # "builtin" (trained by `mlsp train`) | "pretrained" | "folder" | "features"
    description: str
    loader: str                        # "module:function(ModelRef, torch.device) -> LoadedModel"
    config: str | None = None          # "module:ConfigDataclass" for trainable models
    task: str | None = None            # "module:TaskClass" used by `mlsp train`
    default_data: str | None = None    # e.g. "builtin:grammar"
    weights: str | None = None         # shipped weights, relative to assets/ (builtin) or absolute
    refine: str | None = None          # "module:function(Path) -> Declared": what one folder/run can do
    data_kind: str = ""                # what `--data` means for training ("text", "parallel", "words", ...)

    def __post_init__(self) -> None:
        object.__setattr__(self, "capabilities", frozenset(Capability(c) for c in self.capabilities))
        object.__setattr__(self, "inputs", tuple(InputKind(k) for k in self.inputs))
        object.__setattr__(self, "outputs", tuple(OutputKind(k) for k in self.outputs))
        if (Capability.TRAIN in self.capabilities) != (self.task is not None):
            raise ValueError(f"registry entry {self.id}: the train capability and a task go together")

    @property
    def modality(self) -> str:
        """"text", "audio", "image" or "signal" (from the first input kind)."""
        return modality_of(self.inputs)

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

    def can(self, capability: Capability) -> bool:
        return Capability(capability) in self.capabilities

    def weights_status(self) -> str:
        """One word or two for lists (`mlsp models`, the Model dock): "your folder" (hf:PATH),
        "packaged" (a pretrained model found installed), "shipped" (built-in weights in assets/),
        "train first", "none needed" or "missing"."""
        if self.source == "folder":
            return "your folder"
        if self.source == "features":
            return "none needed"
        if self.weights_path() is not None:
            return "packaged" if self.source == "pretrained" else "shipped"
        return "train first" if self.trainable else "missing"


@dataclass(frozen=True)
class Declared:
    """What one model reference can do: the entry's declaration, or a folder's own (hf:PATH reads
    config.json; a run reads its config) when the entry has a `refine` function."""

    capabilities: frozenset[Capability]
    inputs: tuple[InputKind, ...]
    outputs: tuple[OutputKind, ...]
    note: str = ""                     # e.g. "GPT-2 folder: causal, can generate"


@dataclass(frozen=True)
class ModelRef:
    """A parsed model reference: which entry, the folder/run it points at (if any), and what it
    can do (the entry's declaration, refined for folders)."""

    spec: ModelSpec
    path: Path | None
    text: str
    declared: Declared | None = field(default=None, compare=False)

    @property
    def capabilities(self) -> frozenset[Capability]:
        return self.declared.capabilities if self.declared else self.spec.capabilities

    @property
    def inputs(self) -> tuple[InputKind, ...]:
        return self.declared.inputs if self.declared else self.spec.inputs

    @property
    def outputs(self) -> tuple[OutputKind, ...]:
        return self.declared.outputs if self.declared else self.spec.outputs

    @property
    def modality(self) -> str:
        return modality_of(self.inputs)

    def can(self, capability: Capability) -> bool:
        return Capability(capability) in self.capabilities
