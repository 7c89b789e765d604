"""A training process started before the user presses Start: `python -m engine.cli.warm_worker`.

The window keeps one waiting (mlsp_gui/training/run_process.py). It pays the start-up of a run
ahead of time — the interpreter, torch, torch's optimizers (whose first construction imports
torch._dynamo, about a second on two cores), the trainer and the task modules — and then blocks
on standard input. Start writes one JSON line, `{"argv": ["train", MODEL, ...], "env": {...}}`, and the worker
runs that `mlsp` command in this process, exactly as `python -m engine.cli ARGV` would (same
stdout events, same stderr messages, same exit code, SIGTERM writes a checkpoint), then exits.
One worker serves one run; the window starts the next one after.

The environment: the window does not use a worker whose start-up variables (the interpreter's,
torch's, the thread pools') differ from its own at Start — it starts a fresh process instead; the
rest of the window's environment at Start comes with the command and replaces the worker's.
End of input without a command (the window closed) exits quietly with code 0.
"""
from __future__ import annotations

import json
import os
import sys


def warm_up() -> None:
    """Import and exercise what every run needs before its first step (nothing touches the disk)."""
    import torch

    import engine.training.trainer  # noqa: F401  (the trainer, its sinks, checkpoints, schedule)
    from engine.cli import build_parser

    build_parser()                                   # every command module, `train` included
    p = torch.nn.Parameter(torch.zeros(1))
    torch.optim.AdamW([p], lr=0.0)                   # the optimizers' first construction imports torch._dynamo


def read_command(stream) -> tuple[list[str], dict[str, str] | None] | None:
    """(argv, environment or None) of the run to do, or None at end of input. A malformed line is a ValueError."""
    line = stream.readline()
    if not line.strip():
        return None
    msg = json.loads(line)
    argv = msg.get("argv") if isinstance(msg, dict) else None
    env = msg.get("env") if isinstance(msg, dict) else None
    if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv) or not (
            env is None or (isinstance(env, dict) and all(isinstance(v, str) for v in env.values()))):
        raise ValueError("the warm worker expects one JSON line {\"argv\": [\"train\", ...], \"env\": {...}}")
    return argv, env


def main() -> int:
    warm_up()
    try:
        command = read_command(sys.stdin)
    except ValueError as exc:
        print(f"mlsp: error: {exc}", file=sys.stderr)
        return 2
    if command is None:
        return 0
    argv, env = command
    if env is not None:
        os.environ.clear()
        os.environ.update(env)
    from engine.cli import exit_process
    from engine.cli import main as cli_main

    exit_process(cli_main(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
