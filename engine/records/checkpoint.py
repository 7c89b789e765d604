"""What a checkpoint file holds, read from its header without loading any tensor."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TensorEntry:
    """One tensor of a checkpoint: name, dtype ("F32", "BF16", ...), shape, bytes of data."""

    name: str
    dtype: str
    shape: tuple[int, ...]
    nbytes: int


@dataclass(frozen=True)
class CheckpointInfo:
    """A checkpoint file's format ("safetensors" | "torch"), size and tensors (header facts)."""

    path: str
    format: str
    size_bytes: int
    tensors: tuple[TensorEntry, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def n_parameters(self) -> int:
        total = 0
        for t in self.tensors:
            n = 1
            for d in t.shape:
                n *= d
            total += n
        return total
