"""`mlsp`: every compute command of MLSP Explorer, headless.

Each command lives in its own module of `engine.cli.commands` and defines
`register(subparsers) -> None`, which adds its parser and sets `func=run` with
`run(args) -> int`. Commands are discovered, so adding one touches no other file.

Conventions: MODEL is a registry id, `hf:PATH` or a run folder; an INPUT given as
text is the text itself or the path of a file holding it (an existing file wins; a lone
word that looks like a missing file, `notes.txt`, is refused: `common.read_text_argument`);
`--device`; `--json` prints one JSON document (or one object per line for streams);
errors go to stderr as one sentence and exit code 2. Transformers' progress bars are
silenced by the loader (`engine.hf_import.quiet_transformers`), for every command.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Callable

from engine.errors import MlspError

# Extra command modules outside engine (the GUI layer adds `record`, audio device listing).
EXTRA_COMMANDS: list[str] = []


class OneLineParser(argparse.ArgumentParser):
    """Usage mistakes as one line too (argparse prints the whole usage first), exit code 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}; see `{self.prog} --help`.\n")

    def _get_values(self, action, arg_strings):
        # `-k=--` or `--n-fft=--`: argparse drops the "--" and hands the option an empty list,
        # unconverted, instead of one value; refuse it like any other missing value.
        values = super()._get_values(action, arg_strings)
        if action.option_strings and action.nargs is None and isinstance(values, list):
            self.error(f"argument {'/'.join(action.option_strings)}: expected one value")
        return values


def build_parser(extra_modules: list[str] | None = None) -> argparse.ArgumentParser:
    from engine import __version__
    from engine.cli import commands

    parser = OneLineParser(prog="mlsp", description="MLSP Explorer, headless: train, embed, probe.")
    parser.add_argument("--version", action="version", version=f"mlsp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    names = [f"{commands.__name__}.{m.name}" for m in pkgutil.iter_modules(commands.__path__)
             if not m.name.startswith("_")]
    for name in sorted(names) + list(extra_modules or []) + EXTRA_COMMANDS:
        importlib.import_module(name).register(sub)
    return parser


def run_command(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run one command; user errors become one line on stderr and exit code 2."""
    from engine.notices import listening

    try:
        with listening(lambda text: print(f"mlsp {args.command}: note: {text}", file=sys.stderr)):
            return int(func(args) or 0)
    except MlspError as exc:
        print(f"mlsp {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:                 # a file the command could not read or write, named
        if isinstance(exc, BrokenPipeError):
            return 0
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        print(f"mlsp {args.command}: error: cannot use{where}: {exc.strerror or exc}.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"mlsp {args.command}: interrupted.", file=sys.stderr)
        return 130


# Commands whose process may end without the interpreter's teardown (see exit_process).
FAST_EXIT_COMMANDS = frozenset({"train"})
_last_command = ""


def main(argv: list[str] | None = None, extra_modules: list[str] | None = None) -> int:
    global _last_command
    parser = build_parser(extra_modules)
    args, extra = parser.parse_known_args(argv)
    if extra:
        if isinstance(getattr(args, "files", None), list) and not any(e.startswith("-") for e in extra):
            args.files += extra          # "lesson shots --out DIR a.toml": argparse ends a list at an option
        else:
            parser.parse_args(argv)      # says which arguments it does not know, and exits 2
    _last_command = args.command
    return run_command(args.func, args)


def exit_process(rc: int):
    """End the `mlsp` process with `rc`. After `train` (not a torchrun worker, which still has a
    process group to leave), skip the interpreter's teardown: unloading torch and torch._dynamo
    takes 0.3-0.7 s on two cores after the run has written, flushed and closed everything (its
    event log is closed in `train`'s finally; stdout and stderr are flushed here)."""
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    if _last_command in FAST_EXIT_COMMANDS and "RANK" not in os.environ:
        os._exit(int(rc) & 0xFF)
    sys.exit(rc)
