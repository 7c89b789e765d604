"""One trainer for every built-in model: `train(TrainRequest) -> TrainResult`.

Settles the run (setup.py), seeds every RNG, builds data, model, optimizer (AdamW unless the
task brings its own) and warm-up + cosine schedule, restores the newest complete checkpoint on
`--resume`, wraps the model in DDP under torchrun, runs the loop with the progress and
checkpoint callbacks, and turns SIGTERM/SIGINT into a checkpoint and a clean stop.
"""
from __future__ import annotations

import math
import os
import signal
import sys
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import ConfigError, MlspError, TrainingError
from engine.paths import make_folder
from engine.training import checkpoint as ckpt_io
from engine.training import distributed, rng
from engine.training.batches import BatchLayout, BatchOrder
from engine.training.callbacks import ProgressEvents, RunInfo
from engine.training.checkpointing import Checkpointing, restore_state
from engine.training.events import EventLog, JsonLinesSink
from engine.training.failures import RunFailed, classify
from engine.training.hparams import TrainHParams
from engine.training.loop import STOP_SYNC_EVERY, Callback, Loop, LoopParts
from engine.training.runs import truncate_metrics, write_run_config, write_status
from engine.training.schedule import WarmupCosine, make_scheduler
from engine.training.setup import Prepared, TrainRequest, prepare, run_config
from engine.training.sinks import MetricsFileSink, ProgressBarSink

__all__ = ["TrainRequest", "TrainResult", "train"]


@dataclass(frozen=True)
class TrainResult:
    """How a run ended."""

    run_dir: Path
    reason: str                       # finished | stopped
    step: int
    total_steps: int
    checkpoint: Path | None
    metrics: dict[str, float] = field(default_factory=dict)


def plan_for(hp: TrainHParams, steps_per_epoch: int) -> dict[str, int]:
    """Concrete step counts from the (possibly automatic) hyper-parameters."""
    total = hp.steps if hp.steps is not None else max(1, math.ceil((hp.epochs or 1.0) * steps_per_epoch))
    every = hp.checkpoint_every or max(1, min(1000, total // 5))
    return {"total_steps": total, "steps_per_epoch": steps_per_epoch,
            "warmup_steps": hp.warmup_steps if hp.warmup_steps is not None else int(0.05 * total),
            "log_every": hp.log_every or max(1, math.ceil(total / 500)),
            "checkpoint_every": every, "eval_every": hp.eval_every or every}


def pick_precision(hp: TrainHParams, device: Any, task: Any) -> tuple[str, Any]:
    """("bf16", torch.bfloat16) or ("fp32", None). auto: bf16 on CUDA only (measured slower on CPU)."""
    import torch

    allowed = getattr(task, "autocast", True)
    cuda_bf16 = device.type == "cuda" and torch.cuda.is_bf16_supported()
    if hp.precision == "bf16":
        if not allowed:
            raise ConfigError(f"the {task.name} task runs in fp32 only; drop --precision bf16.")
        if device.type == "cuda" and not cuda_bf16:
            raise ConfigError("this GPU has no bf16 support; use --precision fp32.")
        return "bf16", torch.bfloat16
    if hp.precision == "auto" and allowed and cuda_bf16:
        return "bf16", torch.bfloat16
    return "fp32", None


def build_parts(prep: Prepared, info: distributed.DistInfo, device: Any) -> tuple[LoopParts, dict[str, int], str]:
    """Seeded data order, model, optimizer and schedule (not yet restored, not yet DDP-wrapped)."""
    import torch

    hp, task = prep.hp, prep.task
    rng.seed_everything(hp.seed, info.rank)
    dataset = task.dataset()
    order = BatchOrder(dataset, BatchLayout(hp.batch_size, info.world_size, hp.grad_accum), info.rank, hp.seed)
    plan = plan_for(hp, order.steps_per_epoch)
    model = task.build_model().to(device)
    maker = getattr(task, "make_optimizer", None)
    optimizer = maker(model, hp) if maker else torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad], lr=hp.lr, weight_decay=hp.weight_decay,
        fused=device.type in ("cpu", "cuda"))         # one kernel for all parameters: half the optimizer's time
    scheduler = make_scheduler(optimizer, WarmupCosine(plan["total_steps"], plan["warmup_steps"], hp.min_lr_ratio))
    precision, dtype = pick_precision(hp, device, task)
    parts = LoopParts(task=task, model=model, train_model=model, optimizer=optimizer, scheduler=scheduler,
                      dataset=dataset, order=order, device=device, dist=info, hp=hp,
                      total_steps=plan["total_steps"], eval_every=plan["eval_every"], autocast_dtype=dtype)
    return parts, plan, precision


def _restore_newest(loop: Loop, run_dir: Path, restart: bool = False) -> Path | None:
    """Restore the newest checkpoint that loads; damaged newer ones are set aside once an older one
    has loaded. When none loads, refuse and keep them all, unless `restart` (the user asked to
    start the run over): then they are removed and the run starts from step 0."""
    damaged: list[tuple[Path, str]] = []
    for info in reversed(ckpt_io.list_checkpoints(run_dir)):
        try:
            data = ckpt_io.load_checkpoint(info.path)
            restore_state(loop, data)
        except Exception as exc:            # damaged files: try the one before
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            print(f"mlsp train: checkpoint {info.path.name} is unreadable ({reason}); trying an older one.",
                  file=sys.stderr)
            damaged.append((info.path, reason))
            continue
        _set_aside(loop, damaged)
        return info.path
    if damaged and not restart:
        names = ", ".join(p.name for p, _ in damaged)
        raise TrainingError(f"every checkpoint of {run_dir} is unreadable ({names}), so the run cannot resume; "
                            "they were kept. Add --restart to start the run over from step 0 (they are then "
                            "deleted), or copy good checkpoints back into checkpoints/.")
    _set_aside(loop, damaged)
    return None


def _set_aside(loop: Loop, damaged: list[tuple[Path, str]]) -> None:
    if loop.parts.dist.is_main:
        for path, _ in damaged:
            ckpt_io._discard(path)


def _wrap_ddp(parts: LoopParts) -> None:
    if not parts.dist.enabled:
        return
    from torch.nn.parallel import DistributedDataParallel

    ids = [parts.device.index] if parts.device.type == "cuda" else None
    parts.train_model = DistributedDataParallel(
        parts.model, device_ids=ids,
        find_unused_parameters=bool(getattr(parts.task, "ddp_find_unused_parameters", False)))


class StopFile(Callback):
    """Stop when a file appears (MLSP_STOP_FILE, set by `mlsp train --nproc`'s launcher)."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)

    def on_step_end(self, loop: Loop, record: Any) -> None:
        if record.step % STOP_SYNC_EVERY == 0 and self.path.exists():
            loop.should_stop = True


class _StopSignals:
    """SIGTERM/SIGINT set `loop.should_stop`; a second SIGINT interrupts at once."""

    def __init__(self, loop: Loop) -> None:
        self.loop = loop
        self.old: dict[int, Any] = {}

    def __enter__(self) -> _StopSignals:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                self.old[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum: int, _frame: Any) -> None:
        if self.loop.should_stop and signum == signal.SIGINT:
            raise KeyboardInterrupt
        self.loop.should_stop = True

    def __exit__(self, *exc: Any) -> None:
        for sig, handler in self.old.items():
            signal.signal(sig, handler)


def _sinks(request: TrainRequest) -> list:
    if request.json:
        return [JsonLinesSink()]
    return [ProgressBarSink()] if request.progress else []


def _emit_setup_error(events: EventLog, exc: MlspError) -> None:
    """A refusal before the run started: an "error" event (nothing to resume)."""
    kind = classify(exc, step=0, model="", batch_size=0, grad_accum=1, device="", run_dir="", previous=None).kind
    events.emit("error", message=str(exc), kind=kind, step=0, resumable=False, checkpoint=None)
    exc.event_emitted = True  # type: ignore[attr-defined]


def train(request: TrainRequest, sinks: list | None = None, callbacks: list | None = None) -> TrainResult:
    """Run (or resume) one training run to its end or a stop; raises MlspError on failure.

    `sinks` replace the default event outputs (JSON lines or progress bar); `callbacks` are
    extra loop callbacks (e.g. early stopping via `loop.should_stop`), called after the built-in ones."""
    from engine.training.lazy_dynamo import skip_dynamo_import

    skip_dynamo_import()
    events = EventLog(sinks if sinks is not None else _sinks(request))
    info, device = distributed.setup(request.device)
    events.enabled = info.is_main
    try:
        try:
            prep = prepare(request)
            if info.enabled:
                prep.run_dir = Path(distributed.broadcast_text(str(prep.run_dir), info, device))
            parts, plan, precision = build_parts(prep, info, device)
            if info.is_main:
                make_folder(prep.run_dir, "--out")
        except MlspError as exc:
            _emit_setup_error(events, exc)
            raise
        return _run(prep, parts, plan, precision, events, request, list(callbacks or []))
    finally:
        events.close()
        distributed.teardown(info)


def _open_run(prep: Prepared, loop: Loop, plan: dict, events: EventLog, request: TrainRequest, device: str,
              info: distributed.DistInfo) -> dict[str, Any]:
    """Create/refresh the run folder (rank 0) and restore a checkpoint; returns config.json."""
    run_dir = prep.run_dir
    config = prep.saved or run_config(prep, plan, device, info.world_size, request)
    if info.is_main:
        (run_dir / "checkpoints").mkdir(parents=True, exist_ok=True)
        ckpt_io.clean_incomplete(run_dir)
        if prep.saved is None:
            write_run_config(run_dir, config)
    distributed.barrier(info)
    restored = _restore_newest(loop, run_dir, request.restart) if prep.saved is not None else None
    if info.is_main:
        if prep.saved is not None:
            truncate_metrics(run_dir, loop.step)
        write_status(run_dir, "running", loop.step)
        events.sinks.append(MetricsFileSink(run_dir / "metrics.jsonl"))
    return {"config": config, "restored": restored}


def _run(prep: Prepared, parts: LoopParts, plan: dict, precision: str, events: EventLog,
         request: TrainRequest, extra: list) -> TrainResult:
    info, run_dir = parts.dist, prep.run_dir
    loop = Loop(parts)
    opened = _open_run(prep, loop, plan, events, request, str(parts.device), info)
    _wrap_ddp(parts)
    progress = ProgressEvents(events, RunInfo(
        run_dir=run_dir, model_id=prep.spec.id, config=opened["config"], device=str(parts.device),
        world_size=info.world_size, precision=precision, total_steps=plan["total_steps"],
        steps_per_epoch=plan["steps_per_epoch"], start_step=loop.step, resumed=opened["restored"] is not None,
        unit=getattr(prep.task, "unit", "samples"), log_every=plan["log_every"],
        checkpoint_every=plan["checkpoint_every"]))
    saver = Checkpointing(run_dir, plan["checkpoint_every"], prep.hp.keep_checkpoints, events)
    saver.last_saved_step = loop.step if opened["restored"] is not None else None
    saver.last_path = opened["restored"]
    loop.callbacks = [progress, saver, *extra]
    if os.environ.get("MLSP_STOP_FILE"):
        loop.callbacks.append(StopFile(os.environ["MLSP_STOP_FILE"]))
    try:
        with _StopSignals(loop):
            reason = loop.run()
    except Exception as exc:
        raise _fail(exc, loop, prep, events) from None
    metrics = progress.final_metrics(loop)
    newest = saver.last_path
    events.emit("end", reason=reason, step=loop.step, total_steps=plan["total_steps"],
                elapsed=round(progress.elapsed(), 3), checkpoint=str(newest.resolve()) if newest else None,
                metrics=metrics)
    if info.is_main:
        write_status(run_dir, "finished" if reason == "finished" else "stopped", loop.step)
    return TrainResult(run_dir=run_dir, reason=reason, step=loop.step, total_steps=plan["total_steps"],
                       checkpoint=newest, metrics=metrics)


def _fail(exc: Exception, loop: Loop, prep: Prepared, events: EventLog) -> RunFailed:
    """Emit the "error" event and build the error the CLI prints."""
    p, run_dir = loop.parts, prep.run_dir
    newest = ckpt_io.list_checkpoints(run_dir)
    previous = newest[-1].step if newest else None
    failure = classify(exc, step=loop.step, model=prep.spec.id, batch_size=p.hp.batch_size,
                       grad_accum=p.hp.grad_accum, device=str(p.device), run_dir=str(run_dir), previous=previous)
    resumable = bool(newest)
    tail = (f"; then `mlsp train {prep.spec.id} --out {run_dir} --resume` continues from step {previous}."
            if resumable else "; no checkpoint was written yet, so start the run again.")
    failure = type(failure)(failure.kind, failure.message + tail)
    if p.dist.is_main:
        if failure.kind == "task":
            try:
                (run_dir / "error.log").write_text(traceback.format_exc(), encoding="utf-8")
            except OSError:
                pass
        try:
            write_status(run_dir, "failed", loop.step, failure.message)
        except OSError:
            pass
    events.emit("error", message=failure.message, kind=failure.kind, step=loop.step, resumable=resumable,
                checkpoint=str(newest[-1].path.resolve()) if newest else None)
    err = RunFailed(failure, resumable)
    err.event_emitted = True  # type: ignore[attr-defined]
    return err
