"""`mlsp train MODEL`: train (or resume) a built-in model; one run folder per run.

Plain: a progress bar on stderr, a summary on stdout. `--json`: one event per line on stdout
(schema in engine/training/events.py), which is how the window follows a run. SIGTERM or
Ctrl-C writes a checkpoint and stops ("end" event, reason "stopped"); `--resume` continues.
`--nproc N` starts torchrun with N processes on this machine (DDP: gloo on CPU, NCCL on CUDA).
"""
from __future__ import annotations

import argparse
import sys

from engine.cli.common import add_command, add_device, add_json

MAX_NPROC = 64          # processes of one run on one machine (torchrun would try to start any number)

# command-line flag -> TrainHParams field
HPARAM_FLAGS = {"steps": "steps", "epochs": "epochs", "batch_size": "batch_size", "lr": "lr",
                "seed": "seed", "checkpoint_every": "checkpoint_every", "weight_decay": "weight_decay",
                "warmup": "warmup_steps", "grad_clip": "grad_clip", "grad_accum": "grad_accum",
                "eval_every": "eval_every", "log_every": "log_every", "keep": "keep_checkpoints",
                "precision": "precision", "min_lr_ratio": "min_lr_ratio"}


def register(subparsers) -> None:
    p = add_command(subparsers, "train", "train or resume a built-in model (run folder, checkpoints, --json events)",
                    __doc__, run)
    p.add_argument("model", metavar="MODEL",
                   help="registry id of a trainable model (see `mlsp models`), e.g. word2vec or toy-mlp")
    p.add_argument("--data", metavar="DATA", help="builtin:NAME or a path (default: the model's built-in data)")
    p.add_argument("--out", metavar="FOLDER", help="run folder (default: a new MODEL-DATE-TIME folder in the runs folder)")
    length = p.add_mutually_exclusive_group()
    length.add_argument("--steps", type=int, metavar="N", help="optimizer steps to train")
    length.add_argument("--epochs", type=float, metavar="E", help="passes over the data (instead of --steps)")
    p.add_argument("--batch-size", type=int, metavar="N", help="samples per optimizer step, over all processes")
    p.add_argument("--lr", type=float, metavar="LR", help="peak learning rate")
    add_device(p)
    p.add_argument("--seed", type=int, metavar="N", help="seed of every random generator (default 0)")
    p.add_argument("--resume", action="store_true", help="continue the run in --out from its newest checkpoint")
    p.add_argument("--restart", action="store_true",
                   help="with --resume: when every checkpoint is unreadable, delete them and start over from step 0 "
                        "(without it such a resume is refused and the checkpoints are kept)")
    p.add_argument("--checkpoint-every", type=int, metavar="N", help="steps between checkpoints (default: a fifth of the run)")
    p.add_argument("--keep", type=int, metavar="N", help="checkpoints to keep (default 3)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="a field of the model's config, e.g. --set hidden=128 (repeatable)")
    add_json(p)
    p.add_argument("--nproc", type=int, default=None, metavar="N", help="train in N processes (torchrun, DDP) on this machine")
    extra = p.add_argument_group("more hyper-parameters")
    extra.add_argument("--warmup", type=int, metavar="N", help="warm-up steps (default 5%% of the run)")
    extra.add_argument("--weight-decay", type=float, metavar="W", help="AdamW weight decay (default 0.01)")
    extra.add_argument("--grad-clip", type=float, metavar="NORM", help="max gradient norm, 0 = off (default 1.0)")
    extra.add_argument("--grad-accum", type=int, metavar="N", help="micro-batches per step (default 1)")
    extra.add_argument("--min-lr-ratio", type=float, metavar="R", help="final lr / peak lr of the cosine (default 0.1)")
    extra.add_argument("--eval-every", type=int, metavar="N", help="steps between evaluations (default: at checkpoints)")
    extra.add_argument("--log-every", type=int, metavar="N", help="steps between step events (default: every step up to 500)")
    extra.add_argument("--precision", choices=("auto", "fp32", "bf16"),
                       help="auto: bf16 autocast on CUDA, fp32 elsewhere")


def _request(args: argparse.Namespace):
    from pathlib import Path

    from engine.training.setup import TrainRequest

    flags = {field: getattr(args, flag) for flag, field in HPARAM_FLAGS.items()}
    return TrainRequest(model=args.model, data=args.data, out=Path(args.out) if args.out else None,
                        resume=args.resume, restart=args.restart, device=args.device, flags=flags, sets=tuple(args.set),
                        json=args.json, progress=not args.json, argv=tuple(sys.argv))


def _argv_for_workers(args: argparse.Namespace, out: str) -> list[str]:
    """The same `train` command (without --nproc) for each torchrun worker."""
    argv = ["train", args.model, "--out", out, "--device", args.device]
    if args.data is not None:
        argv += ["--data", args.data]
    for flag in HPARAM_FLAGS:
        value = getattr(args, flag)
        if value is not None:
            argv += ["--" + flag.replace("_", "-"), str(value)]
    for pair in args.set:
        argv += ["--set", pair]
    argv += ["--resume"] if args.resume else []
    argv += ["--restart"] if args.restart else []
    argv += ["--json"] if args.json else []
    return argv


def _launch(args: argparse.Namespace) -> int:
    """--nproc N: settle the run folder here, then run the same command under torchrun."""
    from engine.errors import ConfigError
    from engine.training import distributed
    from engine.training.setup import _import, resolve_run_dir, trainable_spec

    spec = trainable_spec(args.model)
    reason = getattr(_import(spec.task, "the task class", spec.id), "single_process", "")
    if reason:                    # refused here, once, before torchrun starts workers that would each fail
        raise ConfigError(str(reason))
    out = args.out
    if not out:
        out = str(resolve_run_dir(_request(args), spec.id)[0])
    return distributed.launch(args.nproc, _argv_for_workers(args, out))


def _print_summary(result) -> None:
    shown = ", ".join(f"{k} {v:.4g}" for k, v in result.metrics.items())
    print(f"{result.reason} at step {result.step}/{result.total_steps}: {shown}")
    print(f"run folder: {result.run_dir}")
    if result.checkpoint:
        print(f"checkpoint: {result.checkpoint}")


def run(args: argparse.Namespace) -> int:
    from engine.errors import MlspError
    from engine.training.distributed import env_world_size

    if args.nproc is not None and not 1 <= args.nproc <= MAX_NPROC:
        from engine.errors import ConfigError

        raise ConfigError(f"--nproc must be between 1 and {MAX_NPROC} (processes on this machine), got {args.nproc}.")
    if args.nproc and args.nproc > 1 and env_world_size() <= 1:
        rc = _launch(args)
        return 0 if rc == 0 else 2
    from engine.training.trainer import train

    try:
        result = train(_request(args))
    except MlspError as exc:
        if args.json and not getattr(exc, "event_emitted", False):
            from engine.training.events import JsonLinesSink, make_event
            from engine.training.failures import classify

            kind = classify(exc, step=0, model=args.model, batch_size=0, grad_accum=1, device=args.device,
                            run_dir="", previous=None).kind
            JsonLinesSink().emit(make_event("error", message=str(exc), kind=kind, step=0,
                                            resumable=False, checkpoint=None))
        raise
    if not args.json and _is_rank0():
        _print_summary(result)
    return 0


def _is_rank0() -> bool:
    import os

    return os.environ.get("RANK", "0") == "0"
