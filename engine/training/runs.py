"""A run is a folder: config.json, metrics.jsonl, status.json, checkpoints/.

    config.json    model (registry id), data, task (config dataclass fields), task_info
                   (Task.config_dict()), hparams, seed, device, world_size, versions, created
    metrics.jsonl  one "step" or "eval" event per line (see events.py)
    status.json    status (running | finished | stopped | failed), step, pid, host, message
    checkpoints/   step-00000100/ ... (see checkpoint.py)

Public helpers for the rest of the app: read_run_model_id, read_run_config, newest_checkpoint,
list_checkpoints, load_model_weights, read_checkpoint_meta, read_metrics, list_runs.
"""
from __future__ import annotations

import json
import os
import socket
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from engine.errors import ModelError
from engine.records.training import CheckpointInfo, RunSummary
from engine.training.atomic import read_json, write_bytes_atomic, write_json_atomic
from engine.training.checkpoint import (
    choose_checkpoint,
    list_checkpoints,
    load_model_weights,
    newest_checkpoint,
    read_checkpoint_meta,
)

__all__ = ["CheckpointInfo", "RunSummary", "read_run_model_id", "read_run_config", "newest_checkpoint",
           "list_checkpoints", "load_model_weights", "read_checkpoint_meta", "read_metrics", "read_metrics_counted",
           "list_runs",
           "new_run_dir", "write_status", "read_status", "truncate_metrics"]


def read_run_model_id(run_dir: Path) -> str:
    """The registry id of the model a run trains, from its config.json."""
    try:
        cfg = json.loads((Path(run_dir) / "config.json").read_text(encoding="utf-8"))
        return str(cfg["model"])
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise ModelError(f"run folder {run_dir} has no readable config.json with a 'model' key ({exc}).") from None


def read_run_config(run_dir: Path) -> dict[str, Any]:
    """The whole config.json of a run."""
    try:
        cfg = read_json(Path(run_dir) / "config.json")
    except (OSError, ValueError, RecursionError) as exc:
        raise ModelError(f"run folder {run_dir} has no readable config.json ({exc}).") from None
    if not isinstance(cfg, dict) or "model" not in cfg:
        raise ModelError(f"{Path(run_dir) / 'config.json'} is not a run configuration (no 'model' key).")
    return cfg


def write_run_config(run_dir: Path, config: dict[str, Any]) -> None:
    write_json_atomic(Path(run_dir) / "config.json", config)


def new_run_dir(runs_dir: Path, model_id: str) -> Path:
    """A fresh folder name under `runs_dir`: MODEL-YYYYmmdd-HHMMSS (with -2, -3 ... if taken)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in model_id)
    base = Path(runs_dir) / f"{safe}-{stamp}"
    candidate, n = base, 2
    while candidate.exists():
        candidate, n = base.with_name(f"{base.name}-{n}"), n + 1
    return candidate


def read_metrics_counted(run_dir: Path) -> tuple[list[dict[str, Any]], int]:
    """(every "step"/"eval" record of metrics.jsonl in order, how many lines were skipped): a torn
    last line, bytes that are not UTF-8, a line that is not a JSON object are each skipped and counted."""
    path = Path(run_dir) / "metrics.jsonl"
    out: list[dict[str, Any]] = []
    skipped = 0
    try:
        data = path.read_bytes()
    except OSError:
        return out, 0
    for raw in data.splitlines():
        if not raw.strip():
            continue
        try:
            rec = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError):      # UnicodeDecodeError is a ValueError
            skipped += 1
            continue
        if isinstance(rec, dict):
            out.append(rec)
        else:
            skipped += 1
    return out, skipped


def read_metrics(run_dir: Path) -> list[dict[str, Any]]:
    """Every "step"/"eval" record of metrics.jsonl, in order; unreadable lines are skipped
    (`read_metrics_counted` counts them)."""
    return read_metrics_counted(run_dir)[0]


def truncate_metrics(run_dir: Path, step: int) -> None:
    """Drop records after `step` (logged after the checkpoint a resume starts from)."""
    path = Path(run_dir) / "metrics.jsonl"
    if not path.exists():
        return
    keep = [r for r in read_metrics(run_dir) if _step_of(r) <= step]
    write_bytes_atomic(path, "".join(json.dumps(r) + "\n" for r in keep).encode("utf-8"))


def _step_of(record: dict[str, Any]) -> int:
    """A record's step (0 when missing or not a number)."""
    try:
        return int(record.get("step", 0))
    except (TypeError, ValueError, OverflowError):
        return 0


def write_status(run_dir: Path, status: str, step: int, message: str = "") -> None:
    write_json_atomic(Path(run_dir) / "status.json", {
        "status": status, "step": step, "message": message, "pid": os.getpid(),
        "host": socket.gethostname(), "updated": time.time()})


def read_status(run_dir: Path) -> dict[str, Any]:
    """status.json, with "running" turned into "interrupted" when its process is gone."""
    try:
        st = read_json(Path(run_dir) / "status.json")
    except (OSError, ValueError, RecursionError):
        return {"status": "new", "step": 0, "message": ""}
    if not isinstance(st, dict):
        return {"status": "new", "step": 0, "message": "status.json is not a JSON object"}
    if st.get("status") == "running" and st.get("host") == socket.gethostname() and not _alive(st.get("pid")):
        st["status"] = "interrupted"
    return st


def _alive(pid: Any) -> bool:
    try:
        os.kill(int(pid), 0)
    except (OSError, ValueError, TypeError):
        return False
    return True


def _final_metrics(records: list[dict[str, Any]]) -> dict[str, float]:
    """The last logged loss, then the last evaluation's metrics."""
    steps = [r for r in records if r.get("event") == "step" and isinstance(r.get("loss"), (int, float))]
    evals = [r for r in records if r.get("event") == "eval" and isinstance(r.get("metrics"), dict)]
    out: dict[str, float] = {"loss": float(steps[-1]["loss"])} if steps else {}
    if evals:
        out.update({str(k): float(v) for k, v in evals[-1]["metrics"].items()
                    if isinstance(v, (int, float)) and not isinstance(v, bool)})
    return out


def summarize_run(run_dir: Path) -> RunSummary:
    """One run folder as a RunSummary (raises ModelError when it is not a run)."""
    run_dir = Path(run_dir)
    cfg = read_run_config(run_dir)
    records, bad_lines = read_metrics_counted(run_dir)
    ckpts = list_checkpoints(run_dir)
    choice = choose_checkpoint(run_dir)
    st = read_status(run_dir)
    step = max([_step_of(r) for r in records] + [c.step for c in ckpts] + [_step_of(st)])
    total = cfg.get("total_steps")
    data = cfg.get("data")
    return RunSummary(path=run_dir, model=str(cfg["model"]), data=None if data is None else str(data),
                      created=str(cfg.get("created", "")), status=str(st.get("status", "new")), step=step,
                      total_steps=total if isinstance(total, int) else None,
                      checkpoints=len(ckpts), newest_checkpoint=choice.path,
                      final_metrics=_final_metrics(records), message=str(st.get("message", "")),
                      skipped_checkpoints=tuple(f"{p.name} ({why})" for p, why in choice.skipped),
                      skipped_lines=bad_lines)


def unreadable_run(run_dir: Path, why: str) -> RunSummary:
    """A run folder that could not be summarised, listed anyway (status "unreadable")."""
    return RunSummary(path=Path(run_dir), model="?", data=None, created="", status="unreadable", step=0,
                      total_steps=None, checkpoints=0, newest_checkpoint=None, message=why)


def list_runs(runs_dir: Path) -> list[RunSummary]:
    """Every run folder directly under `runs_dir`, newest first; other folders are skipped."""
    runs_dir = Path(runs_dir)
    found: list[RunSummary] = []
    if not runs_dir.is_dir():
        return found
    try:
        children = sorted(runs_dir.iterdir())
    except OSError:
        return found
    for child in children:
        try:
            if not (child.is_dir() and (child / "config.json").is_file()):
                continue
            found.append(summarize_run(child))
        except ModelError as exc:                # one bad run never hides the others
            found.append(unreadable_run(child, str(exc)))
        except (OSError, ValueError, TypeError, KeyError, RecursionError) as exc:
            found.append(unreadable_run(child, f"{child.name} could not be read ({type(exc).__name__})"))
    return sorted(found, key=lambda r: (r.created, r.path.name), reverse=True)
