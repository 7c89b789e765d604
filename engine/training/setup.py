"""Everything `mlsp train` settles before the first step: which model and task, its config
(`--set`), the data, the hyper-parameters, the run folder, and what a resume must keep.
All refusals happen here, before a folder is created or a model is built."""
from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import ConfigError, InputError, ModelError
from engine.training.hparams import TrainHParams, apply_sets, config_to_dict, merge_hparams, parse_sets
from engine.training.runs import new_run_dir, read_run_config

# Flags that only change how a run is carried out, so a resume may change them.
# grad_accum and precision too: they change neither the data order nor the maths of a step.
OPERATIONAL = ("checkpoint_every", "keep_checkpoints", "log_every", "eval_every", "grad_accum", "precision")


@dataclass(frozen=True)
class TrainRequest:
    """What the user asked for (`mlsp train` arguments); None = not given."""

    model: str
    data: str | None = None
    out: Path | None = None
    resume: bool = False
    restart: bool = False          # with resume: start over when every checkpoint is unreadable
    device: str = "auto"
    flags: dict[str, Any] = field(default_factory=dict)    # TrainHParams fields given on the command line
    sets: tuple[str, ...] = ()                              # "key=value" for the task's config
    json: bool = False
    progress: bool = True
    argv: tuple[str, ...] = ()


@dataclass
class Prepared:
    """The settled run: ready to build the model and train."""

    spec: Any                      # ModelSpec
    config: Any                    # the task's config dataclass instance
    task: Any
    data: str | None
    hp: TrainHParams
    run_dir: Path
    saved: dict[str, Any] | None   # the run's config.json when resuming


def _import(ref: str, what: str, model_id: str) -> Any:
    module, _, name = ref.partition(":")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise ModelError(f"model '{model_id}' names {what} '{ref}', which cannot be imported ({exc}).") from None


def trainable_spec(model_id: str) -> Any:
    from engine.contract.registry import get_spec

    spec = get_spec(model_id)
    if not spec.task or not spec.config:
        raise ModelError(f"model '{model_id}' cannot be trained by mlsp train (it has no task); "
                         "pick a built-in trainable model, see `mlsp models`.")
    return spec


def check_data(data: str | None) -> None:
    """A data path must exist; `builtin:NAME` is checked by the task."""
    if data is None or data.startswith("builtin:"):
        return
    path = Path(data).expanduser()
    if not path.exists():
        raise InputError(f"data '{data}' does not exist; give an existing file or folder, or builtin:NAME.")


def resolve_run_dir(request: TrainRequest, model_id: str) -> tuple[Path, dict[str, Any] | None]:
    """(run folder, saved config.json or None); refuses to overwrite or to resume nothing."""
    from engine.paths import default_runs_dir

    if request.out is None:
        if request.resume:
            raise ConfigError("--resume needs --out RUN, the run folder to continue.")
        return new_run_dir(default_runs_dir(), model_id), None
    run_dir = Path(request.out).expanduser()
    has_run = (run_dir / "config.json").is_file()
    if request.resume:
        if not has_run:
            raise ConfigError(f"--resume: {run_dir} holds no run (no config.json); drop --resume to start one there.")
        saved = read_run_config(run_dir)
        if saved["model"] != model_id:
            raise ConfigError(f"--resume: {run_dir} trains '{saved['model']}', not '{model_id}'; "
                              f"use `mlsp train {saved['model']} --out {run_dir} --resume`.")
        return run_dir, saved
    if has_run:
        raise ConfigError(f"{run_dir} already holds a run; add --resume to continue it, or pick another --out.")
    if run_dir.exists() and not run_dir.is_dir():
        raise ConfigError(f"--out {run_dir} is a file, not a folder; pick a folder name.")
    return run_dir, None


def _resume_hparams(request: TrainRequest, saved: dict[str, Any]) -> dict[str, Any]:
    """The saved hyper-parameters; a flag that contradicts one of them is refused."""
    values = dict(saved.get("hparams") or {})
    for key, value in request.flags.items():
        if value is None or key not in TrainHParams.__dataclass_fields__:
            continue
        if key in OPERATIONAL:
            values[key] = value
        elif values.get(key) != value:
            raise ConfigError(f"--resume keeps the run's saved {key} ({values.get(key)!r}); "
                              f"drop the flag (asked {value!r}) or start a new run.")
    return values


def prepare(request: TrainRequest) -> Prepared:
    """Settle the run without touching the disk (the folder is created by the trainer)."""
    spec = trainable_spec(request.model)
    config_cls = _import(spec.config, "the config class", spec.id)
    task_cls = _import(spec.task, "the task class", spec.id)
    run_dir, saved = resolve_run_dir(request, spec.id)
    sets = parse_sets(list(request.sets))
    if saved is not None:
        base = {**getattr(config_cls, "SAVED_BEFORE", {}), **(saved.get("task") or {})}
        cfg_now = apply_sets(config_cls, {}, base=base)
        for key, text in sets.items():
            if apply_sets(config_cls, {key: text}, base=base) != cfg_now:
                raise ConfigError(f"--resume keeps the run's saved {key} ({getattr(cfg_now, key)!r}); "
                                  "drop --set for it or start a new run.")
        config = cfg_now
        if request.data is not None and request.data != saved.get("data"):
            raise ConfigError(f"--resume keeps the run's data ({saved.get('data')}); drop --data or start a new run.")
        data = saved.get("data")
    else:
        config = apply_sets(config_cls, sets)
        data = request.data if request.data is not None else spec.default_data
    check_data(data)
    task = task_cls(config, data)
    defaults = task.default_hparams() if hasattr(task, "default_hparams") else None
    if saved is not None:
        hp = merge_hparams(None, _resume_hparams(request, saved))
    else:
        hp = merge_hparams(defaults, request.flags)
    return Prepared(spec=spec, config=config, task=task, data=data, hp=hp, run_dir=run_dir, saved=saved)


def versions() -> dict[str, str]:
    import numpy
    import torch

    from engine import __version__

    return {"mlsp": __version__, "torch": torch.__version__, "numpy": numpy.__version__,
            "python": sys.version.split()[0]}


def run_config(prep: Prepared, plan: dict[str, Any], device: str, world: int, request: TrainRequest) -> dict[str, Any]:
    """The content of config.json for a new run."""
    from datetime import datetime

    task_info = prep.task.config_dict() if hasattr(prep.task, "config_dict") else {}
    return {"model": prep.spec.id, "data": prep.data, "task": config_to_dict(prep.config), "task_info": task_info,
            "hparams": prep.hp.to_dict(), "seed": prep.hp.seed, "total_steps": plan["total_steps"], "plan": plan,
            "device": device, "world_size": world, "versions": versions(),
            "created": datetime.now().isoformat(timespec="seconds"), "command": list(request.argv)}
