"""A run is a folder: config.json, metrics.jsonl, checkpoints/."""
from __future__ import annotations

import json
from pathlib import Path

from engine.errors import ModelError


def read_run_model_id(run_dir: Path) -> str:
    """The registry id of the model a run trains, from its config.json."""
    try:
        cfg = json.loads((Path(run_dir) / "config.json").read_text(encoding="utf-8"))
        return str(cfg["model"])
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"run folder {run_dir} has no readable config.json with a 'model' key ({exc}).") from None
