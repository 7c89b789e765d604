"""Hyper-parameters of the trainer, and `--set key=value` overrides of a task's config dataclass.

Precedence: TrainHParams defaults < the task's `default_hparams()` < command-line flags.
Everything is checked before a run starts; a bad value raises ConfigError naming the key.
"""
from __future__ import annotations

import dataclasses
import math
import types
import typing
from dataclasses import dataclass, fields
from typing import Any

from engine.errors import ConfigError

PRECISIONS = ("auto", "fp32", "bf16")


@dataclass(frozen=True)
class TrainHParams:
    """What the trainer needs besides the task. `None`/0 on the auto fields means: pick for me."""

    steps: int | None = None          # optimizer steps; exclusive with epochs
    epochs: float | None = None
    batch_size: int = 32              # samples per optimizer step, over all processes and micro-batches
    lr: float = 1e-3                  # peak learning rate (after warm-up)
    weight_decay: float = 0.01
    warmup_steps: int | None = None   # None: 5 % of the run
    min_lr_ratio: float = 0.1         # the cosine ends at lr * min_lr_ratio
    grad_clip: float = 1.0            # max global grad norm; 0 disables clipping
    grad_accum: int = 1               # micro-batches per optimizer step
    eval_every: int = 0               # 0: at every checkpoint
    log_every: int = 0                # 0: every step up to 500 steps, then total/500
    checkpoint_every: int = 0         # 0: total/5, at most 1000
    keep_checkpoints: int = 3
    precision: str = "auto"           # auto (bf16 on CUDA, fp32 elsewhere) | fp32 | bf16
    seed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# The command-line flag of each field, for error messages.
FLAGS = {"steps": "--steps", "epochs": "--epochs", "batch_size": "--batch-size", "lr": "--lr",
         "weight_decay": "--weight-decay", "warmup_steps": "--warmup", "grad_clip": "--grad-clip",
         "grad_accum": "--grad-accum", "eval_every": "--eval-every", "log_every": "--log-every",
         "checkpoint_every": "--checkpoint-every", "keep_checkpoints": "--keep", "precision": "--precision",
         "seed": "--seed", "min_lr_ratio": "--min-lr-ratio"}


def _bad(key: str, rule: str, value: Any) -> ConfigError:
    flag = FLAGS.get(key, key)
    return ConfigError(f"hyper-parameter {key} ({flag}) must be {rule}, got {value!r}; fix it and start again.")


def _finite(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def validate(hp: TrainHParams) -> TrainHParams:
    """Refuse impossible values, naming the key; returns hp unchanged."""
    if hp.steps is not None and hp.epochs is not None:
        raise ConfigError("give either --steps or --epochs, not both (hyper-parameters steps and epochs).")
    ints_pos = ("batch_size", "grad_accum", "keep_checkpoints")
    for key in ints_pos:
        v = getattr(hp, key)
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            raise _bad(key, "a positive integer", v)
    for key in ("steps",):
        v = getattr(hp, key)
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 1):
            raise _bad(key, "a positive integer", v)
    if hp.epochs is not None and (not _finite(hp.epochs) or hp.epochs <= 0):
        raise _bad("epochs", "a positive number", hp.epochs)
    for key in ("eval_every", "log_every", "checkpoint_every", "seed"):
        v = getattr(hp, key)
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            raise _bad(key, "an integer >= 0", v)
    if hp.warmup_steps is not None and (not isinstance(hp.warmup_steps, int) or hp.warmup_steps < 0):
        raise _bad("warmup_steps", "an integer >= 0", hp.warmup_steps)
    if not _finite(hp.lr) or hp.lr <= 0:
        raise _bad("lr", "a positive number", hp.lr)
    for key in ("weight_decay", "grad_clip"):
        v = getattr(hp, key)
        if not _finite(v) or v < 0:
            raise _bad(key, "a number >= 0", v)
    if not _finite(hp.min_lr_ratio) or not 0 <= hp.min_lr_ratio <= 1:
        raise _bad("min_lr_ratio", "between 0 and 1", hp.min_lr_ratio)
    if hp.precision not in PRECISIONS:
        raise _bad("precision", "one of " + ", ".join(PRECISIONS), hp.precision)
    return hp


def merge_hparams(task_defaults: dict[str, Any] | None, flags: dict[str, Any]) -> TrainHParams:
    """Defaults < task defaults < flags given on the command line (None = not given)."""
    known = {f.name for f in fields(TrainHParams)}
    values: dict[str, Any] = {}
    for key, value in (task_defaults or {}).items():
        if key not in known:
            raise ConfigError(f"the task's default_hparams() names an unknown hyper-parameter '{key}'; "
                              f"known: {', '.join(sorted(known))}.")
        values[key] = value
    given = {k: v for k, v in flags.items() if v is not None}
    for key in given:
        if key not in known:
            raise ConfigError(f"unknown hyper-parameter '{key}'; known: {', '.join(sorted(known))}.")
    if "steps" in given and "epochs" in given:
        validate(TrainHParams(steps=given["steps"], epochs=given["epochs"]))
    if "steps" in given:
        values.pop("epochs", None)
    if "epochs" in given:
        values.pop("steps", None)
    values.update(given)
    return validate(TrainHParams(**values))


# ---- --set key=value over a config dataclass -------------------------------------------------

def _convert(text: str, tp: Any, key: str) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if text.strip().lower() in ("none", "null") and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        errors = []
        for a in inner:
            try:
                return _convert(text, a, key)
            except ConfigError as exc:
                errors.append(str(exc))
        raise ConfigError(errors[0] if errors else f"--set {key}: cannot read {text!r}.")
    if origin is typing.Literal:
        for a in args:
            if str(a) == text:
                return a
        raise ConfigError(f"--set {key}={text}: choose one of {', '.join(map(str, args))}.")
    if origin in (tuple, list):
        item_tp = args[0] if args else str
        parts = [p for p in text.split(",") if p.strip() != ""]
        values = [_convert(p.strip(), item_tp, key) for p in parts]
        return tuple(values) if origin is tuple else values
    if tp is bool:
        low = text.strip().lower()
        if low in ("1", "true", "yes", "on"):
            return True
        if low in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"--set {key}={text}: expected true or false.")
    if tp in (int, float):
        try:
            value = tp(text)
        except ValueError:
            raise ConfigError(f"--set {key}={text}: expected {'an integer' if tp is int else 'a number'}.") from None
        if tp is float and not math.isfinite(value):
            raise ConfigError(f"--set {key}={text}: expected a finite number.")
        return value
    if tp is str or tp is Any:
        return text
    raise ConfigError(f"--set {key}: the config field has type {tp!r}, which cannot be set from the command line.")


def parse_sets(pairs: list[str] | None) -> dict[str, str]:
    """["a=1", "b=x"] -> {"a": "1", "b": "x"}; refuses items without '='."""
    out: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set expects key=value, got {pair!r}.")
        out[key.strip()] = value
    return out


def apply_sets(config_cls: type, sets: dict[str, str], base: dict[str, Any] | None = None) -> Any:
    """An instance of the config dataclass: defaults (or `base`, e.g. a saved run's values)
    with `sets` applied, converted by the field annotations. Unknown keys are refused."""
    if not dataclasses.is_dataclass(config_cls):
        raise ConfigError(f"{config_cls!r} is not a dataclass, so --set cannot configure it.")
    hints = typing.get_type_hints(config_cls)
    names = [f.name for f in fields(config_cls) if f.init]
    values: dict[str, Any] = {}
    for key, value in (base or {}).items():
        if key in names:
            values[key] = _from_json(value, hints.get(key))
    for key, text in sets.items():
        if key not in names:
            raise ConfigError(f"--set {key}: unknown key for {config_cls.__name__}; known keys: {', '.join(names)}.")
        values[key] = _convert(text, hints.get(key, str), key)
    try:
        return config_cls(**values)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"the {config_cls.__name__} settings were refused: {exc}") from None


def _from_json(value: Any, tp: Any) -> Any:
    """A JSON value back into its annotated type (lists into tuples where the field is a tuple)."""
    origin = typing.get_origin(tp)
    if isinstance(value, list) and (origin is tuple or any(typing.get_origin(a) is tuple for a in typing.get_args(tp))):
        return tuple(value)
    return value


def config_to_dict(config: Any) -> dict[str, Any]:
    """A config dataclass instance as JSON-able dict (tuples become lists)."""
    return {f.name: getattr(config, f.name) for f in fields(config) if f.init}
