"""Attention summaries over a training run's checkpoints: each complete checkpoint is loaded in step
order, probed on one text and summarised (`attention_summary.summarize` / `notable_heads`), then
reduced to the mean entropy per layer, the notable heads and the training loss at that step."""
from __future__ import annotations

import re
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import numpy as np

from engine.errors import ConfigError, ModelError
from engine.probes.attention_summary import notable_heads
from engine.records.attention_over_checkpoints import CheckpointHeads, HeadsOverCheckpoints
from engine.records.attention_summary import AttentionSummary

_STEP = re.compile(r"step-(\d+)$")


def is_run_folder(path: str | Path) -> bool:
    """Whether `path` is a training run folder (config.json and checkpoints/)."""
    p = Path(str(path)).expanduser()
    return bool(str(path)) and (p / "config.json").is_file() and (p / "checkpoints").is_dir()


def checkpoint_step(path: str | Path) -> int | None:
    """The step of a checkpoint folder named step-00000100 (None for any other name)."""
    m = _STEP.match(Path(str(path)).name)
    return int(m.group(1)) if m else None


def loss_at(metrics: list[dict[str, Any]], step: int) -> float | None:
    """The training loss of the last "step" record at or before `step` (None when there is none)."""
    best: tuple[int, float] | None = None
    for rec in metrics:
        if rec.get("event", "step") != "step":
            continue
        try:
            s, loss = int(rec["step"]), float(rec["loss"])
        except (KeyError, TypeError, ValueError, OverflowError):
            continue
        if s <= step and np.isfinite(loss) and (best is None or s >= best[0]):
            best = (s, loss)
    return None if best is None else best[1]


def checkpoint_heads(summary: AttentionSummary, step: int, loss: float | None = None,
                     checkpoint: str = "") -> CheckpointHeads:
    """One checkpoint's point from its summary: mean entropy per layer and overall, notable heads."""
    entropy = np.asarray(summary.entropy, np.float64)
    found = notable_heads(summary)
    return CheckpointHeads(step=int(step), entropy_per_layer=tuple(float(v) for v in entropy.mean(axis=1)),
                           mean_entropy=float(entropy.mean()),
                           notable={role: tuple(heads) for role, heads in found.items()},
                           loss=loss, checkpoint=str(checkpoint))


def over_checkpoints(run: str | Path, inp, load: Callable[[Path], Any], stack: int = 0, generate: int = 0,
                     steps: Collection[int] | None = None,
                     progress: Callable[[float, str], None] | None = None) -> HeadsOverCheckpoints:
    """Summarise the attention of `inp` (text or a probe input) at each complete checkpoint of the run
    `run` (only the checkpoints of `steps` when given); `load(checkpoint folder)` gives the model of one
    checkpoint (the zoo's loader: probes sit below the zoo). Damaged checkpoints, and ones `load`
    refuses, are skipped and named; ConfigError when `run` is not a run folder or has no checkpoint."""
    from engine.probes.attention import attention
    from engine.probes.attention_summary import summarize
    from engine.records.inputs import as_probe_input
    from engine.training.checkpoint import checkpoint_problem, list_checkpoints
    from engine.training.runs import read_metrics, read_run_model_id

    if not is_run_folder(run):
        raise ConfigError(f"'{run}' is not a training run folder (config.json and checkpoints/); --over-checkpoints "
                          "needs the folder of a run (`mlsp train MODEL --out RUN`).")
    run_dir = Path(str(run)).expanduser()
    model_id = read_run_model_id(run_dir)
    probe_input = as_probe_input(inp)
    infos = [c for c in list_checkpoints(run_dir) if steps is None or c.step in steps]
    if not infos and steps is None:
        raise ConfigError(f"run folder {run_dir} has no complete checkpoint yet; wait for one or train longer.")
    metrics = read_metrics(run_dir)
    points, skipped, summary = [], [], None
    for i, info in enumerate(infos):
        if progress is not None:
            progress(i / len(infos), f"checkpoint {info.path.name} ({i + 1} of {len(infos)})")
        why = checkpoint_problem(info.path)
        if why is not None:
            skipped.append(f"{info.path.name} ({why})")
            continue
        try:                                   # rotated away or refused meanwhile: named, not fatal
            model = load(info.path)
        except (ModelError, OSError, ValueError) as exc:
            skipped.append(f"{info.path.name} ({str(exc).rstrip('.') or type(exc).__name__})")
            continue
        summary = summarize(attention(model, probe_input, generate=generate), stack)
        points.append(checkpoint_heads(summary, info.step, loss_at(metrics, info.step), str(info.path)))
    if progress is not None:
        progress(1.0, f"{len(points)} checkpoint(s) summarised")
    return HeadsOverCheckpoints(
        run=str(run_dir), model=model_id, text=getattr(probe_input, "text", "") or "",
        kind=summary.kind if summary else "", layers=summary.layers if summary else 0,
        heads=summary.heads if summary else 0, max_entropy=summary.max_entropy if summary else 0.0,
        points=tuple(points), skipped=tuple(skipped))
