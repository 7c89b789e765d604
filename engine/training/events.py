"""The event stream of a training run: `mlsp train --json` prints one of these per line.

Every event is a JSON object with an "event" key and a "time" key (Unix seconds). Only rank 0
of a multi-process run prints them. The schema (version 1; keys are only ever added):

  start       run (abs. path of the run folder), model (registry id), device ("cpu",
              "cuda:0", ...), world_size, precision ("fp32" | "bf16"), total_steps,
              steps_per_epoch, start_step (0, or the checkpoint step when resumed), resumed
              (bool), unit (what throughput counts, e.g. "samples/s"), config (the run's
              config.json: model, data, task, hparams, seed, versions, ...), schema (=1)
  step        step (optimizer steps done, 1-based), total_steps, epoch (int, 0-based),
              epoch_progress (float epochs done), loss (mean over the steps since the last
              step event), lr, grad_norm (before clipping; null when not computed),
              throughput (float), unit ("samples/s", "tokens/s", ...), elapsed (seconds since
              this process started training), eta (seconds, null while unknown), metrics
              (the task's per-batch metrics, averaged like loss; may be {})
  eval        step, metrics ({name: float} from Task.evaluate), elapsed
  checkpoint  step, path (abs. path of the complete checkpoint folder), reason
              ("periodic" | "final" | "stop" | "error")
  end         reason ("finished" | "stopped"), step, total_steps, elapsed, checkpoint
              (path or null), metrics (final: "loss" = last logged loss, plus the last
              evaluation's metrics)
  error       message (one sentence saying what went wrong and what to do), kind ("oom" |
              "disk-full" | "io" | "data" | "task" | "config" | "diverged"), step (last
              completed step), resumable (bool: a complete checkpoint exists, resume with
              `mlsp train MODEL --out RUN --resume`), checkpoint (its path or null)

A run ends with exactly one "end" or one "error" event (an error before the run started has
step 0 and resumable false). Exit status of `mlsp train`: 0 after "end" (finished or stopped),
2 after "error" (the same sentence also goes to stderr). "step" and "eval" events are also the
lines of the run's metrics.jsonl (`engine.training.runs.read_metrics`).

Readers get these as typed records: `engine.training.event_types.parse_event(obj)` -> StartEvent,
StepEvent, EvalEvent, CheckpointEvent, EndEvent or ErrorEvent (MalformedEvent for a broken line).
"""
from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path
from typing import Any, Protocol, TextIO

SCHEMA_VERSION = 1
EVENT_KINDS = ("start", "step", "eval", "checkpoint", "end", "error")


def make_event(kind: str, /, **fields: Any) -> dict[str, Any]:
    """One event dict in the documented schema (kind first, then time, then the fields)."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    return {"event": kind, "time": round(time.time(), 3), **fields}


def _clean(value: Any) -> Any:
    """Non-finite floats become null so every line is strict JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def dumps(event: dict[str, Any]) -> str:
    """One event as one line of strict JSON (no NaN/Infinity)."""
    return json.dumps(_clean(event), ensure_ascii=False, allow_nan=False)


class EventSink(Protocol):
    """Anything that receives events: stdout JSON lines, metrics.jsonl, a progress bar."""

    def emit(self, event: dict[str, Any]) -> None:
        ...

    def close(self) -> None:
        ...


class JsonLinesSink:
    """`--json`: every event as one line on stdout, flushed at once."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    def emit(self, event: dict[str, Any]) -> None:
        stream = self._stream or sys.stdout
        stream.write(dumps(event) + "\n")
        stream.flush()

    def close(self) -> None:
        return None


class EventLog:
    """Fans events out to sinks; does nothing on ranks other than 0."""

    def __init__(self, sinks: list[EventSink] | None = None, enabled: bool = True) -> None:
        self.sinks: list[EventSink] = list(sinks or [])
        self.enabled = enabled
        self.last: dict[str, dict[str, Any]] = {}     # newest event of each kind

    def emit(self, kind: str, /, **fields: Any) -> dict[str, Any]:
        event = make_event(kind, **fields)
        self.last[kind] = event
        if self.enabled:
            for sink in self.sinks:
                sink.emit(event)
        return event

    def close(self) -> None:
        for sink in self.sinks:
            sink.close()
