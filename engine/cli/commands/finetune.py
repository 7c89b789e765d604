"""`mlsp finetune MODEL --task TASK`: fine-tune a pre-trained language model as a classifier on N
labelled sentences and print its test accuracy; `--from-scratch` trains the same architecture from
random weights instead (the comparison that shows what pre-training buys).

A fine-tuning is an ordinary run of the trainer (`mlsp train finetune`, see engine/tasks/finetune_task.py):
it writes a run folder (--out RUN, or a new finetune-DATE-TIME folder in the runs folder) with
checkpoints, metrics and status; SIGTERM or Ctrl-C writes a checkpoint and stops, and
`mlsp finetune MODEL --task TASK --out RUN --resume` continues it. The window's Training view
starts, follows, pauses and resumes the same runs.

TASK: "topic" (the sentence's topic group) or "tense" (the main verb's tense), labelled by the
built-in grammar; or a TSV file of text<TAB>label (every 5th line is the test set).
--json prints {"accuracy": ..., "labels": N, "init": "pretrained"|"scratch", "task", "classes", "seed",
"test_size", "run": RUN, "step", "total_steps", "reason": "finished"|"stopped"} (accuracy: the newest
test accuracy; null when a stopped run had not been evaluated yet)."""
from __future__ import annotations

import argparse
import sys

from engine.cli.common import add_command, add_device, add_json, add_model, print_json

DEFAULT_LABELS = 50


def register(subparsers) -> None:
    p = add_command(subparsers, "finetune", "fine-tune a language model as a classifier (pre-trained vs scratch)",
                    __doc__, run)
    add_model(p, "bert-mini, gpt-mini, a run of either, or hf:PATH (BERT-family or GPT-2 folder)")
    p.add_argument("--task", required=True, metavar="TASK", help="topic, tense, or a TSV file of text<TAB>label")
    p.add_argument("--labels", type=int, metavar="N",
                   help=f"labelled training sentences (0 = all; default {DEFAULT_LABELS})")
    p.add_argument("--seed", type=int, metavar="S", help="seed of the sample and the training (default 0)")
    p.add_argument("--from-scratch", action="store_true", help="re-initialise the network (same architecture) first")
    p.add_argument("--steps", type=int, metavar="N", help="optimizer steps (default 150)")
    p.add_argument("--out", metavar="RUN", help="run folder (default: a new finetune-DATE-TIME folder in the runs folder)")
    p.add_argument("--resume", action="store_true", help="continue the run in --out from its newest checkpoint")
    add_device(p)
    add_json(p)


def _sets(args: argparse.Namespace) -> tuple[str, ...]:
    """The run's config; a resume passes only what was given (the saved run keeps the rest)."""
    sets = [f"base={args.model}", f"task={args.task}"]
    if args.labels is not None or not args.resume:
        sets.append(f"labels={DEFAULT_LABELS if args.labels is None else args.labels}")
    if args.from_scratch or not args.resume:
        sets.append(f"init={'scratch' if args.from_scratch else 'pretrained'}")
    if args.seed is not None or not args.resume:
        sets.append(f"seed={args.seed or 0}")
    return tuple(sets)


def _request(args: argparse.Namespace):
    from pathlib import Path

    from engine.errors import InputError
    from engine.tasks.finetune_config import MAX_SEED
    from engine.training.setup import TrainRequest

    if args.labels is not None and args.labels < 0:
        raise InputError(f"--labels must be 0 (all) or more, not {args.labels}.")
    if args.seed is not None and not 0 <= args.seed <= MAX_SEED:
        raise InputError(f"--seed must be between 0 and {MAX_SEED}, not {args.seed}.")
    if args.steps is not None and args.steps < 1:
        raise InputError(f"--steps must be 1 or more, not {args.steps}.")
    return TrainRequest(model="finetune", out=Path(args.out) if args.out else None, resume=args.resume,
                        device=args.device, flags={"steps": args.steps, "seed": args.seed}, sets=_sets(args),
                        json=False, progress=not args.json, argv=tuple(sys.argv))


def run(args: argparse.Namespace) -> int:
    from engine.training.runs import read_checkpoint_meta
    from engine.training.trainer import train

    result = train(_request(args))
    meta = read_checkpoint_meta(result.checkpoint) if result.checkpoint else {}
    accuracy = result.metrics.get("test_accuracy")
    out = {"accuracy": accuracy, "labels": meta.get("labels"), "init": meta.get("config", {}).get("init"),
           "task": meta.get("task"), "classes": meta.get("classes"), "seed": meta.get("config", {}).get("seed"),
           "test_size": meta.get("test_size"), "run": str(result.run_dir), "step": result.step,
           "total_steps": result.total_steps, "reason": result.reason}
    if args.json:
        print_json(out)
        return 0
    if accuracy is None:
        print(f"{result.reason} at step {result.step}/{result.total_steps} before the first evaluation")
    else:
        print(f"{out['init']}: {accuracy:.1%} test accuracy on {out['task']} ({out['test_size']} sentences, "
              f"{len(out['classes'] or ())} classes) after {out['labels']} labels"
              + ("" if result.reason == "finished" else f" (stopped at step {result.step}/{result.total_steps})"))
    print(f"run folder: {result.run_dir}")
    if result.reason != "finished":
        print(f"continue it: mlsp finetune {args.model} --task {args.task} --out {result.run_dir} --resume")
    return 0
