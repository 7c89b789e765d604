"""`mlsp analogy MODEL A B C [-k K]`: A is to B as C is to ? — the words nearest to B - A + C
(3CosAdd on unit vectors; A, B and C themselves are excluded), e.g. `man king woman` -> queen.

--json prints {"model": ..., "a": ..., "b": ..., "c": ..., "answers": [{"word": ..., "similarity": ...}, ...]}."""
from __future__ import annotations

import argparse

from engine.cli.common import add_device, add_json, print_json


def register(subparsers) -> None:
    p = subparsers.add_parser("analogy", help="A is to B as C is to ? (word2vec vectors)",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", metavar="MODEL", help="word2vec (shipped vectors) or a word2vec run folder")
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    p.add_argument("c", metavar="C")
    p.add_argument("-k", type=int, default=5, help="how many answers (default 5)")
    add_device(p)
    add_json(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from engine.probes.word_vectors import analogy
    from engine.zoo import load_model

    result = analogy(load_model(args.model, args.device), args.a, args.b, args.c, args.k)
    if args.json:
        print_json({"model": result.model, "a": result.a, "b": result.b, "c": result.c,
                    "answers": [{"word": w.word, "similarity": w.similarity} for w in result.answers]})
    else:
        print(f"{result.a} is to {result.b} as {result.c} is to:")
        for w in result.answers:
            print(f"  {w.similarity:7.4f}  {w.word}")
    return 0
