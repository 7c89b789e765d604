"""`mlsp probe MODEL --data DATA`: how linearly readable a model's frozen features are. A linear
classifier (logistic regression on standardised features) is fitted on --labels labelled items per
class of DATA's training split (drawn with --seed; all of them when --labels is 0) and scored on
its test split. --json prints {"accuracy", "labels", ...}. --random-init probes the same
architecture with untrained weights (the baseline a pretext task must beat)."""
from __future__ import annotations

import argparse

from engine.cli.common import add_command, add_device, add_json, add_model, print_json
from engine.errors import ConfigError


def register(subparsers) -> None:
    p = add_command(subparsers, "probe", "linear probe: accuracy of a classifier on frozen features", __doc__, run)
    add_model(p, "a vision model (vit-mae, rotnet, simclr, cluster, vit), a run folder, or any model that embeds")
    p.add_argument("--data", required=True, metavar="DATA", help="builtin:digits, builtin:shapes or a folder of images")
    p.add_argument("--labels", type=int, default=100, metavar="N", help="labelled items per class (default 100; 0: all)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the labelled items drawn (default 0)")
    p.add_argument("--random-init", action="store_true", help="the same architecture with random weights")
    add_device(p)
    add_json(p)


def load_for_probe(model: str, device: str, random_init: bool, seed: int = 0):
    from engine.contract.capabilities import Capability
    from engine.zoo import load_model, resolve

    ref = resolve(model)
    if not ref.can(Capability.EMBED):
        from engine.contract.loaded import cannot_message
        from engine.errors import ModelError

        raise ModelError(cannot_message(model, Capability.EMBED))
    if not random_init:
        return load_model(ref, device)
    from engine.devices import resolve_device
    from engine.loaders.vision import CONFIGS
    from engine.loaders.vision import random_init as build_random

    if ref.spec.id not in CONFIGS:
        raise ConfigError(f"--random-init works for the vision models ({', '.join(CONFIGS)}), not '{model}'.")
    config = {}
    if ref.path is not None or ref.spec.weights_path() is not None:
        config = dict(load_model(ref, device).meta.get("config") or {})
    return build_random(ref.spec.id, config, ref, resolve_device(device), seed)


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from engine.probes.feature_sources import data_kind, features
    from engine.probes.linear_probe import fit_and_score

    if args.labels < 0:
        raise ConfigError(f"--labels must be 0 (all) or more, got {args.labels}.")
    data_kind(args.data)                                  # a clear message before any loading
    model = load_for_probe(args.model, args.device, args.random_init)
    train = features(model, args.data, "train")
    test = features(model, args.data, "test")
    result = fit_and_score(train, test, args.labels or None, args.seed)
    result = replace(result, model=args.model + (" (random init)" if args.random_init else ""), data=args.data)
    if args.json:
        print_json(result.to_json())
    else:
        shown = f"{args.labels} per class" if args.labels else "all"
        print(f"linear probe on {args.data}: accuracy {result.accuracy:.4f} with {shown} labels "
              f"({result.train_items} training items, {result.test_items} test items)")
    return 0
