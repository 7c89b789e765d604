"""Run folders for the fault tests, built without training: a word2vec run from the shipped
vectors (two checkpoints), and damage to apply to them."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from engine.paths import ASSETS_DIR


def word2vec_run(root: Path, steps: tuple[int, ...] = (10, 20), name: str = "w2v-run") -> Path:
    """A word2vec run folder whose checkpoints hold the shipped vectors."""
    run = Path(root) / name
    (run / "checkpoints").mkdir(parents=True)
    (run / "config.json").write_text(json.dumps({"model": "word2vec", "created": "2026-01-01T00:00:00",
                                                 "total_steps": max(steps)}), encoding="utf-8")
    for step in steps:
        ck = run / "checkpoints" / f"step-{step:08d}"
        shutil.copytree(ASSETS_DIR / "word2vec", ck)
        (ck / "state.json").write_text(json.dumps({"step": step}), encoding="utf-8")
    lines = [{"event": "step", "step": s, "loss": 1.0 / s} for s in steps]
    (run / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    return run


def checkpoint(run: Path, step: int) -> Path:
    return Path(run) / "checkpoints" / f"step-{step:08d}"


def truncate(path: Path, keep: float = 0.5) -> None:
    """Cut a file short (as a crash or a full disk while copying would)."""
    data = Path(path).read_bytes()
    Path(path).write_bytes(data[: int(len(data) * keep)])
