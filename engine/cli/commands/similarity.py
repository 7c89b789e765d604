"""`mlsp similarity MODEL WORD1 WORD2`: cosine similarity of two words' vectors.

--json prints {"model": ..., "word1": ..., "word2": ..., "similarity": ...}."""
from __future__ import annotations

import argparse

from engine.cli.commands._words import add_word_arguments, load_word_model
from engine.cli.common import add_command, print_json


def register(subparsers) -> None:
    p = add_command(subparsers, "similarity", "cosine similarity of two words (word2vec vectors)", __doc__, run)
    add_word_arguments(p, ("WORD1", "a word of the model's vocabulary"), ("WORD2", "another word"))


def run(args: argparse.Namespace) -> int:
    from engine.probes.word_vectors import similarity

    r = similarity(load_word_model(args), args.word1, args.word2)
    if args.json:
        print_json({"model": r.model, "word1": r.word1, "word2": r.word2, "similarity": r.similarity})
    else:
        print(f"{r.similarity:.4f}")
    return 0
