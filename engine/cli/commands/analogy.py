"""`mlsp analogy MODEL A B C [-k K]`: A is to B as C is to ? — the words nearest to B - A + C
(3CosAdd on unit vectors; A, B and C themselves are excluded), e.g. `man king woman` -> queen.

--json prints {"model": ..., "a": ..., "b": ..., "c": ..., "answers": [{"word": ..., "similarity": ...}, ...]}."""
from __future__ import annotations

import argparse

from engine.cli.commands._words import add_word_arguments, load_word_model, print_scored, scored_json
from engine.cli.common import add_command, print_json


def register(subparsers) -> None:
    p = add_command(subparsers, "analogy", "A is to B as C is to ? (word2vec vectors)", __doc__, run)
    add_word_arguments(p, ("A", "first word of the known pair (man)"), ("B", "second word of the known pair (king)"),
                       ("C", "the word to complete (woman)"), k=5, k_help="how many answers")


def run(args: argparse.Namespace) -> int:
    from engine.probes.word_vectors import analogy

    result = analogy(load_word_model(args), args.a, args.b, args.c, args.k)
    if args.json:
        print_json({"model": result.model, "a": result.a, "b": result.b, "c": result.c,
                    "answers": scored_json(result.answers)})
    else:
        print_scored(f"{result.a} is to {result.b} as {result.c} is to:", result.answers)
    return 0
