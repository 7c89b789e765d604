"""Records about training runs: a checkpoint on disk, a run folder summarised for listings."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class CheckpointInfo:
    """One complete checkpoint folder of a run (`checkpoints/step-00000100`)."""

    step: int
    path: Path
    time: float                 # Unix seconds when it was committed


@dataclass(frozen=True)
class RunSummary:
    """What the runs list shows about one run folder."""

    path: Path
    model: str                  # registry id
    data: str | None
    created: str                # ISO-8601 local time from config.json
    status: str                 # new | running | finished | stopped | failed | interrupted
    step: int                   # newest logged or checkpointed step
    total_steps: int | None
    checkpoints: int            # complete checkpoints on disk
    newest_checkpoint: Path | None
    final_metrics: dict[str, float] = field(default_factory=dict)   # last loss + last evaluation
    message: str = ""           # the error message of a failed run
    skipped_checkpoints: tuple[str, ...] = ()   # damaged newer checkpoints passed over: "step-… (why)"
    skipped_lines: int = 0      # lines of metrics.jsonl that could not be read (bad bytes, torn JSON)

    @property
    def name(self) -> str:
        return self.path.name
