"""The trainer's events as typed records: what a reader (the window, a script) gets from a line
of `mlsp train --json` or of a run's metrics.jsonl. The schema itself is documented in
`engine/training/events.py`; these dataclasses follow it field by field.

`parse_event(obj)` is tolerant where the schema allows it to be: a missing key gets its default
(readers must cope with older trainers, and with lines written by hand in tests), a key the
schema does not know is kept in `extra` (keys are only ever added). It is strict where a wrong
value would mislead: an unknown event kind, a missing "step" or "path" where the event means
nothing without it, or a value of the wrong type raise `MalformedEvent` with one sentence saying
what was wrong. `event_dict(event)` turns a record back into the dict the trainer printed.
"""
from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field
from typing import Any, ClassVar

from engine.errors import TrainingError


class MalformedEvent(TrainingError):
    """A trainer line that claims to be an event but does not follow the schema."""


@dataclass(frozen=True)
class StartEvent:
    kind: ClassVar[str] = "start"
    time: float = 0.0
    run: str = ""                             # absolute path of the run folder
    model: str = ""                           # registry id
    device: str = ""
    world_size: int = 1
    precision: str = ""
    total_steps: int = 0
    steps_per_epoch: int = 0
    start_step: int = 0
    resumed: bool = False
    unit: str = ""
    config: dict[str, Any] = field(default_factory=dict)
    schema: int = 1
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StepEvent:
    kind: ClassVar[str] = "step"
    REQUIRED: ClassVar[tuple[str, ...]] = ("step",)
    step: int = 0
    time: float = 0.0
    total_steps: int = 0
    epoch: int = 0
    epoch_progress: float = 0.0
    loss: float | None = None
    lr: float | None = None
    grad_norm: float | None = None
    throughput: float | None = None
    unit: str = ""
    elapsed: float | None = None
    eta: float | None = None
    metrics: dict[str, float | None] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EvalEvent:
    kind: ClassVar[str] = "eval"
    REQUIRED: ClassVar[tuple[str, ...]] = ("step",)
    step: int = 0
    time: float = 0.0
    metrics: dict[str, float | None] = field(default_factory=dict)
    elapsed: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckpointEvent:
    kind: ClassVar[str] = "checkpoint"
    REQUIRED: ClassVar[tuple[str, ...]] = ("path",)
    path: str = ""
    time: float = 0.0
    step: int = 0
    reason: str = ""                          # "periodic" | "final" | "stop" | "error"
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EndEvent:
    kind: ClassVar[str] = "end"
    time: float = 0.0
    reason: str = "finished"                  # "finished" | "stopped"
    step: int = 0
    total_steps: int = 0
    elapsed: float | None = None
    checkpoint: str | None = None
    metrics: dict[str, float | None] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ErrorEvent:
    kind: ClassVar[str] = "error"
    time: float = 0.0
    message: str = ""                         # one sentence: what went wrong and what to do
    error_kind: str = ""                      # the schema's "kind": "oom", "disk-full", "config", ...
    step: int = 0
    resumable: bool = False
    checkpoint: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


Event = StartEvent | StepEvent | EvalEvent | CheckpointEvent | EndEvent | ErrorEvent
EVENT_TYPES: dict[str, type] = {cls.kind: cls for cls in typing.get_args(Event)}
RENAMED = {ErrorEvent: {"error_kind": "kind"}}       # field -> JSON key where "kind" would clash


# coercion ------------------------------------------------------------------------------------------
def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _as_int(value: Any) -> int:
    if _number(value) and float(value).is_integer():
        return int(value)
    raise ValueError("an integer")


def _as_float(value: Any) -> float:
    if _number(value):
        return float(value)
    raise ValueError("a number")


def _as_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise ValueError("a string")


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError("true or false")


def _as_dict(value: Any) -> dict:
    if isinstance(value, dict):
        return dict(value)
    raise ValueError("an object")


def _as_metrics(value: Any) -> dict:
    if not isinstance(value, dict):
        raise ValueError("an object of numbers")
    if not all(v is None or _number(v) for v in value.values()):
        raise ValueError("an object of numbers")
    return {str(k): (None if v is None else float(v)) for k, v in value.items()}


_COERCE = {int: _as_int, float: _as_float, str: _as_str, bool: _as_bool}


def _coercer(hint: Any):
    """(function, optional) for a field's type hint: `float | None` -> (_as_float, True)."""
    args = typing.get_args(hint)
    optional = type(None) in args
    base = next((a for a in args if a is not type(None)), hint) if args and optional else hint
    if typing.get_origin(base) is dict:
        value_args = typing.get_args(base)
        return (_as_metrics if value_args and value_args[1] != Any else _as_dict), optional
    return _COERCE[base], optional


def _fields(cls: type) -> list[tuple[str, str, Any, bool, Any]]:
    """(field, JSON key, coercer, optional, default factory) of an event class, computed once."""
    cached = _FIELDS.get(cls)
    if cached is None:
        hints = typing.get_type_hints(cls)
        renamed = RENAMED.get(cls, {})
        cached = []
        for f in dataclasses.fields(cls):
            if f.name == "extra":
                continue
            fn, optional = _coercer(hints[f.name])
            default = f.default_factory if f.default_factory is not dataclasses.MISSING else (lambda d=f.default: d)
            cached.append((f.name, renamed.get(f.name, f.name), fn, optional, default))
        _FIELDS[cls] = cached
    return cached


_FIELDS: dict[type, list] = {}


def parse_event(obj: Any) -> Event:
    """The typed event of one decoded JSON line; MalformedEvent when it is not one."""
    if not isinstance(obj, dict):
        raise MalformedEvent(f"a training event must be a JSON object, not {type(obj).__name__}; "
                             "check that the trainer writes one event per line.")
    kind = obj.get("event")
    cls = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise MalformedEvent(f"unknown training event {kind!r}; known events: {', '.join(EVENT_TYPES)} "
                             "(is the trainer newer than this reader?).")
    for key in getattr(cls, "REQUIRED", ()):
        if obj.get(key) is None:
            raise MalformedEvent(f"the {kind!r} event has no {key!r}; the trainer's output is damaged.")
    values: dict[str, Any] = {}
    known = {"event"}
    for name, key, fn, optional, default in _fields(cls):
        known.add(key)
        raw = obj.get(key)
        if raw is None:
            values[name] = None if optional else default()
            continue
        try:
            values[name] = fn(raw)
        except ValueError as exc:
            raise MalformedEvent(f"the {kind!r} event's {key!r} should be {exc}, not {raw!r}; "
                                 "the trainer's output is damaged.") from None
    extra = {k: v for k, v in obj.items() if k not in known}
    return cls(**values, extra=extra)


def event_dict(event: Event) -> dict[str, Any]:
    """The event as the trainer prints it: "event" first, the schema's keys, then the extra ones."""
    out: dict[str, Any] = {"event": event.kind}
    for name, key, _fn, _optional, _default in _fields(type(event)):
        value = getattr(event, name)
        out[key] = dict(value) if isinstance(value, dict) else value
    out.update(event.extra)
    return out
