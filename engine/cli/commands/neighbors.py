"""`mlsp neighbors MODEL WORD [-k K]`: the K nearest words by cosine similarity of word vectors.

--json prints {"model": ..., "word": ..., "neighbors": [{"word": ..., "similarity": ...}, ...]}."""
from __future__ import annotations

import argparse

from engine.cli.common import add_device, add_json, print_json


def register(subparsers) -> None:
    p = subparsers.add_parser("neighbors", help="nearest words of a word (word2vec vectors, cosine)",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", metavar="MODEL", help="word2vec (shipped vectors) or a word2vec run folder")
    p.add_argument("word", metavar="WORD")
    p.add_argument("-k", type=int, default=10, help="how many neighbours (default 10)")
    add_device(p)
    add_json(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from engine.probes.word_vectors import neighbors
    from engine.zoo import load_model

    result = neighbors(load_model(args.model, args.device), args.word, args.k)
    if args.json:
        print_json({"model": result.model, "word": result.word,
                    "neighbors": [{"word": n.word, "similarity": n.similarity} for n in result.neighbors]})
    else:
        print(f"nearest to '{result.word}' ({result.model}):")
        for n in result.neighbors:
            print(f"  {n.similarity:7.4f}  {n.word}")
    return 0
