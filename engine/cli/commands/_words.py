"""What the word-vector commands (neighbors, analogy, similarity) share: the MODEL and word
arguments, loading the vectors, and printing scored words."""
from __future__ import annotations

import argparse

from engine.cli.common import WORD_MODELS, add_device, add_json, add_model


def add_word_arguments(p: argparse.ArgumentParser, *words: tuple[str, str], k: int | None = None,
                       k_help: str = "") -> None:
    """MODEL, then one positional per (name, help) in `words`, then -k (when `k` is a default),
    --device and --json."""
    add_model(p, WORD_MODELS)
    for name, help in words:
        p.add_argument(name.lower(), metavar=name, help=help)
    if k is not None:
        p.add_argument("-k", type=int, default=k, metavar="K", help=f"{k_help} (default {k})")
    add_device(p)
    add_json(p)


def load_word_model(args: argparse.Namespace):
    """The model named by MODEL on --device (the probes refuse one without word vectors)."""
    from engine.zoo import load_model

    return load_model(args.model, args.device)


def scored_json(scores) -> list[dict]:
    """WordScore records as [{"word": ..., "similarity": ...}, ...]."""
    return [{"word": s.word, "similarity": s.similarity} for s in scores]


def print_scored(title: str, scores) -> None:
    print(title)
    for s in scores:
        print(f"  {s.similarity:7.4f}  {s.word}")
