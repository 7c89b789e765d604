"""`mlsp similarity MODEL WORD1 WORD2`: cosine similarity of two words' vectors.

--json prints {"model": ..., "word1": ..., "word2": ..., "similarity": ...}."""
from __future__ import annotations

import argparse

from engine.cli.common import add_device, add_json, print_json


def register(subparsers) -> None:
    p = subparsers.add_parser("similarity", help="cosine similarity of two words (word2vec vectors)",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", metavar="MODEL", help="word2vec (shipped vectors) or a word2vec run folder")
    p.add_argument("word1", metavar="WORD1")
    p.add_argument("word2", metavar="WORD2")
    add_device(p)
    add_json(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from engine.probes.word_vectors import similarity
    from engine.zoo import load_model

    r = similarity(load_model(args.model, args.device), args.word1, args.word2)
    if args.json:
        print_json({"model": r.model, "word1": r.word1, "word2": r.word2, "similarity": r.similarity})
    else:
        print(f"{r.similarity:.4f}")
    return 0
