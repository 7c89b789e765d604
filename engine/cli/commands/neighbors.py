"""`mlsp neighbors MODEL WORD [-k K]`: the K nearest words by cosine similarity of word vectors.

--json prints {"model": ..., "word": ..., "neighbors": [{"word": ..., "similarity": ...}, ...]}."""
from __future__ import annotations

import argparse

from engine.cli.commands._words import add_word_arguments, load_word_model, print_scored, scored_json
from engine.cli.common import add_command, print_json


def register(subparsers) -> None:
    p = add_command(subparsers, "neighbors", "nearest words of a word (word2vec vectors, cosine)", __doc__, run)
    add_word_arguments(p, ("WORD", "a word of the model's vocabulary"), k=10, k_help="how many neighbours")


def run(args: argparse.Namespace) -> int:
    from engine.probes.word_vectors import neighbors

    result = neighbors(load_word_model(args), args.word, args.k)
    if args.json:
        print_json({"model": result.model, "word": result.word, "neighbors": scored_json(result.neighbors)})
    else:
        print_scored(f"nearest to '{result.word}' ({result.model}):", result.neighbors)
    return 0
