"""`mlsp data [SPEC] [--json]`: the built-in data sets, or what one parallel corpus holds.

Without SPEC: every `builtin:NAME` with its kind ("text" or "parallel") and description.
With SPEC (builtin:en-fr, builtin:en-fr-small or a TSV file of english<TAB>french lines): pairs
per split, vocabulary sizes, the length-generalisation bucket, skipped lines and the number of
pairs by source length. --json prints the same as one object."""
from __future__ import annotations

import argparse

from engine.cli.common import add_command, add_json, print_json


def register(subparsers) -> None:
    p = add_command(subparsers, "data", "list the built-in data sets, or describe a parallel corpus", __doc__, run)
    p.add_argument("spec", metavar="SPEC", nargs="?",
                   help="builtin:en-fr, builtin:en-fr-small or a TSV file (english<TAB>french per line)")
    add_json(p)


def run(args: argparse.Namespace) -> int:
    if not args.spec:
        from engine.data.corpora import list_builtin

        rows = [{"name": f"builtin:{c.name}", "kind": c.kind, "description": c.description} for c in list_builtin()]
        if args.json:
            print_json(rows)
        else:
            width = max(len(r["name"]) for r in rows)
            for r in rows:
                print(f"{r['name']:<{width}}  {r['kind']:<8}  {r['description']}")
        return 0
    from engine.data.parallel import resolve_parallel
    from engine.data.parallel_stats import render, summarize

    summary = summarize(resolve_parallel(args.spec))
    if args.json:
        print_json(summary.to_json())
    else:
        print(render(summary))
    return 0
