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
from engine.training.checkpoint import list_checkpoints, load_model_weights, newest_checkpoint, read_checkpoint_meta

__all__ = ["CheckpointInfo", "RunSummary", "read_run_model_id", "read_run_config", "newest_checkpoint",
           "list_checkpoints", "load_model_weights", "read_checkpoint_meta", "read_metrics", "list_runs",
           "new_run_dir", "write_status", "read_status", "truncate_metrics"]


def read_run_model_id(run_dir: Path) -> str:
    """The registry id of the model a run trains, from its config.json."""
    try:
        cfg = json.loads((Path(run_dir) / "config.json").read_text(encoding="utf-8"))
        return str(cfg["model"])
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"run folder {run_dir} has no readable config.json with a 'model' key ({exc}).") from None


def read_run_config(run_dir: Path) -> dict[str, Any]:
    """The whole config.json of a run."""
    try:
        cfg = read_json(Path(run_dir) / "config.json")
    except (OSError, ValueError) as exc:
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


def read_metrics(run_dir: Path) -> list[dict[str, Any]]:
    """Every "step"/"eval" record of metrics.jsonl, in order; a torn last line is skipped."""
    path = Path(run_dir) / "metrics.jsonl"
    out: list[dict[str, Any]] = []
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return out
    for line in text.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if isinstance(rec, dict):
            out.append(rec)
    return out


def truncate_metrics(run_dir: Path, step: int) -> None:
    """Drop records after `step` (logged after the checkpoint a resume starts from)."""
    path = Path(run_dir) / "metrics.jsonl"
    if not path.exists():
        return
    keep = [r for r in read_metrics(run_dir) if int(r.get("step", 0)) <= step]
    write_bytes_atomic(path, "".join(json.dumps(r) + "\n" for r in keep).encode("utf-8"))


def write_status(run_dir: Path, status: str, step: int, message: str = "") -> None:
    write_json_atomic(Path(run_dir) / "status.json", {
        "status": status, "step": step, "message": message, "pid": os.getpid(),
        "host": socket.gethostname(), "updated": time.time()})


def read_status(run_dir: Path) -> dict[str, Any]:
    """status.json, with "running" turned into "interrupted" when its process is gone."""
    try:
        st = read_json(Path(run_dir) / "status.json")
    except (OSError, ValueError):
        return {"status": "new", "step": 0, "message": ""}
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
    steps = [r for r in records if r.get("event") == "step" and r.get("loss") is not None]
    evals = [r for r in records if r.get("event") == "eval"]
    out: dict[str, float] = {"loss": float(steps[-1]["loss"])} if steps else {}
    if evals:
        out.update({k: float(v) for k, v in evals[-1].get("metrics", {}).items() if v is not None})
    return out


def summarize_run(run_dir: Path) -> RunSummary:
    """One run folder as a RunSummary (raises ModelError when it is not a run)."""
    run_dir = Path(run_dir)
    cfg = read_run_config(run_dir)
    records = read_metrics(run_dir)
    ckpts = list_checkpoints(run_dir)
    st = read_status(run_dir)
    step = max([int(r.get("step", 0)) for r in records] + [c.step for c in ckpts] + [int(st.get("step") or 0)])
    return RunSummary(path=run_dir, model=str(cfg["model"]), data=cfg.get("data"), created=str(cfg.get("created", "")),
                      status=str(st.get("status", "new")), step=step, total_steps=cfg.get("total_steps"),
                      checkpoints=len(ckpts), newest_checkpoint=ckpts[-1].path if ckpts else None,
                      final_metrics=_final_metrics(records), message=str(st.get("message", "")))


def list_runs(runs_dir: Path) -> list[RunSummary]:
    """Every run folder directly under `runs_dir`, newest first; other folders are skipped."""
    runs_dir = Path(runs_dir)
    found: list[RunSummary] = []
    if not runs_dir.is_dir():
        return found
    for child in runs_dir.iterdir():
        if child.is_dir() and (child / "config.json").is_file():
            try:
                found.append(summarize_run(child))
            except ModelError:
                continue
    return sorted(found, key=lambda r: (r.created, r.path.name), reverse=True)
