"""`mlsp runs [FOLDER]`: the training runs in the runs folder, newest first, with their status,
progress and final metrics; FOLDER may also be one run folder (then its checkpoints are listed).

--json prints {"runs_dir": ..., "runs": [{"path", "name", "model", "data", "created", "status",
"step", "total_steps", "checkpoints", "newest_checkpoint" (the newest that reads), "final_metrics", "message",
"skipped_checkpoints" (damaged newer ones: "step-… (why)"), "skipped_lines" (unreadable lines of metrics.jsonl)}, ...]};
for one run folder, that run's object plus "checkpoints_list": [{"step", "path", "time"}, ...]."""
from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path

from engine.cli.common import add_command, add_json, print_json


def register(subparsers) -> None:
    p = add_command(subparsers, "runs", "list training runs with their status and final metrics", __doc__, run)
    p.add_argument("folder", metavar="FOLDER", nargs="?",
                   help="runs folder (default: the user's runs folder, MLSP_RUNS) or one run folder")
    add_json(p)


def _row(summary) -> dict:
    row = asdict(summary)
    row["name"] = summary.name
    return row


def _metrics_text(metrics: dict) -> str:
    return ", ".join(f"{k} {v:.4g}" for k, v in list(metrics.items())[:3])


def run(args: argparse.Namespace) -> int:
    from engine.errors import InputError
    from engine.paths import default_runs_dir
    from engine.training.runs import list_checkpoints, list_runs, summarize_run

    folder = Path(args.folder).expanduser() if args.folder else default_runs_dir()
    if args.folder and not folder.is_dir():
        raise InputError(f"'{folder}' is not a folder; give a runs folder or a run folder.")
    if (folder / "config.json").is_file():
        summary = summarize_run(folder)
        ckpts = list_checkpoints(folder)
        if args.json:
            print_json({**_row(summary), "checkpoints_list": [asdict(c) for c in ckpts]})
            return 0
        print(f"{summary.name}: {summary.model} {summary.status} at step {summary.step}/{summary.total_steps}"
              f"  {_metrics_text(summary.final_metrics)}")
        for c in ckpts:
            print(f"  step {c.step:>8}  {c.path}")
        _print_skipped(summary)
        return 0
    runs = list_runs(folder)
    if args.json:
        print_json({"runs_dir": folder, "runs": [_row(r) for r in runs]})
        return 0
    if not runs:
        print(f"no runs in {folder} (start one with `mlsp train MODEL`)")
        return 0
    print(f"{len(runs)} run(s) in {folder}")
    for r in runs:
        total = r.total_steps if r.total_steps is not None else "?"
        print(f"  {r.name:<34} {r.model:<14} {r.status:<11} {r.step:>7}/{total:<7} {_metrics_text(r.final_metrics)}")
    for r in runs:
        _print_skipped(r)
    return 0


def _print_skipped(summary) -> None:
    """What a reader passed over: damaged checkpoints, unreadable metrics lines, an unreadable run."""
    if summary.status == "unreadable":
        print(f"note: {summary.name}: {summary.message}")
    if summary.skipped_checkpoints:
        using = summary.newest_checkpoint.name if summary.newest_checkpoint else "none reads"
        print(f"note: {summary.name}: skipped damaged checkpoint(s) {'; '.join(summary.skipped_checkpoints)}; "
              f"newest readable: {using}")
    if summary.skipped_lines:
        print(f"note: {summary.name}: skipped {summary.skipped_lines} unreadable line(s) of metrics.jsonl")
