"""`mlsp compare [NAME=RUN ...]`: the Compare table of the vision models — linear-probe accuracy on
the digits' held-out split with 1, 5, 10, 50 and 100 labels per class (mean ± spread over 3 seeds)
for random init (the vit architecture, untrained), each pretext model (rotnet, simclr, cluster),
vit-mae and supervised vit: whichever have weights here (shipped, or the runs given as NAME=RUN)."""
from __future__ import annotations

import argparse

from engine.cli.common import add_command, add_device, add_json, print_json

ORDER = ("rotnet", "simclr", "cluster", "vit-mae", "vit")
TITLES = {"random": "random init", "rotnet": "RotNet", "simclr": "SimCLR", "cluster": "DeepCluster",
          "vit-mae": "MAE", "vit": "supervised ViT"}


def compare_models(device: str = "cpu", runs: dict | None = None, seed: int = 0) -> list[tuple[str, object]]:
    """[(title, LoadedModel)]: random init first, then every model of ORDER that loads."""
    from engine.devices import resolve_device
    from engine.errors import MlspError
    from engine.loaders.vision import random_init
    from engine.zoo import load_model, resolve

    runs = runs or {}
    found = []
    for name in ORDER:
        try:
            found.append((TITLES[name], load_model(resolve(runs.get(name, name)), device)))
        except MlspError:
            continue
    config = dict(found[0][1].meta.get("config") or {}) if found else {}
    base = random_init("vit", {k: v for k, v in config.items() if not k.startswith("dec_")}, resolve("vit"),
                       resolve_device(device), seed)
    return [(TITLES["random"], base)] + found


def register(subparsers) -> None:
    p = add_command(subparsers, "compare", "linear-probe table of the vision models (random init, pretext, MAE, "
                    "supervised)", __doc__, run)
    p.add_argument("runs", nargs="*", metavar="NAME=RUN", help="use a run folder for a model, e.g. rotnet=runs/rotnet")
    p.add_argument("--data", default="builtin:digits", metavar="DATA", help="labelled images (default builtin:digits)")
    add_device(p)
    add_json(p)


def run(args: argparse.Namespace) -> int:
    from engine.errors import ConfigError
    from engine.probes.compare import compare

    bad = [r for r in args.runs if "=" not in r or r.split("=", 1)[0] not in ORDER]
    if bad:
        raise ConfigError(f"'{bad[0]}' is not NAME=RUN with NAME one of {', '.join(ORDER)}.")
    runs = dict(r.split("=", 1) for r in args.runs)
    table = compare(compare_models(args.device, runs), args.data)
    if args.json:
        print_json(table.to_json())
        return 0
    mean, std = table.mean(), table.std()
    print("labels/class " + " ".join(f"{n:>12}" for n in table.labels))
    for i, m in enumerate(table.models):
        print(f"{m:<14}" + " ".join(f"{mean[i, j]:7.3f}±{std[i, j]:.3f}" for j in range(len(table.labels))))
    return 0

