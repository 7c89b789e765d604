"""`mlsp compare [NAME=RUN ...]`: the Compare table of the vision models — linear-probe accuracy on
the digits' held-out split with 1, 5, 10, 50 and 100 labels per class (mean ± spread over 3 seeds)
for random init (the vit architecture, untrained), each pretext model (rotnet, simclr, cluster),
vit-mae and supervised vit: whichever have weights here (shipped, or the runs given as NAME=RUN).
`--finetune` adds the fine-tune table: from each model's weights, the whole ViT plus a new linear
head trained on 1, 10 and 100 labels per class (AdamW, `--steps` steps of 32 images; 3 seeds), scored
on the same held-out digits; `--json` then holds it under "finetune"."""
from __future__ import annotations

import argparse

from engine.cli.common import add_command, add_device, add_json, print_json
from engine.records.comparison import Comparison, FineTuneSettings

ORDER = ("rotnet", "simclr", "cluster", "vit-mae", "vit")
TITLES = {"random": "random init", "rotnet": "RotNet", "simclr": "SimCLR", "cluster": "DeepCluster",
          "vit-mae": "MAE", "vit": "supervised ViT"}


def compare_models(device: str = "cpu", runs: dict | None = None, seed: int = 0) -> list[tuple[str, object]]:
    """[(title, LoadedModel)]: random init first, then every model of ORDER that loads."""
    from engine.devices import resolve_device
    from engine.errors import MlspError
    from engine.loaders.vision import baseline_vit
    from engine.zoo import load_model, resolve

    runs = runs or {}
    found = []
    for name in ORDER:
        try:
            found.append((TITLES[name], load_model(resolve(runs.get(name, name)), device)))
        except MlspError:
            continue
    config = dict(found[0][1].meta.get("config") or {}) if found else {}
    base = baseline_vit(config, resolve_device(device), seed)
    return [(TITLES["random"], base)] + found


def register(subparsers) -> None:
    p = add_command(subparsers, "compare", "linear-probe (and fine-tune) table of the vision models (random init, "
                    "pretext, MAE, supervised)", __doc__, run)
    p.add_argument("runs", nargs="*", metavar="NAME=RUN", help="use a run folder for a model, e.g. rotnet=runs/rotnet")
    p.add_argument("--data", default="builtin:digits", metavar="DATA", help="labelled images (default builtin:digits)")
    p.add_argument("--finetune", action="store_true", help="also fine-tune each model (whole ViT + linear head) on "
                   "1, 10 and 100 labels per class, 3 seeds: a second table (about two minutes on two cores)")
    p.add_argument("--steps", type=int, default=FineTuneSettings().steps, metavar="N",
                   help=f"--finetune: optimizer steps per fine-tune (default {FineTuneSettings().steps})")
    p.add_argument("--seeds", type=int, default=3, metavar="N",
                   help="labelled draws per cell, seeds 0..N-1 (default 3; 1 is a third of the work, no spread)")
    add_device(p)
    add_json(p)


def run(args: argparse.Namespace) -> int:
    from engine.errors import ConfigError
    from engine.probes.compare import compare

    bad = [r for r in args.runs if "=" not in r or r.split("=", 1)[0] not in ORDER]
    if bad:
        raise ConfigError(f"'{bad[0]}' is not NAME=RUN with NAME one of {', '.join(ORDER)}.")
    if not 1 <= args.seeds <= 20:
        raise ConfigError(f"--seeds must be from 1 to 20, not {args.seeds}.")
    seeds = tuple(range(args.seeds))
    settings = FineTuneSettings(steps=args.steps)
    if args.finetune:
        from engine.probes.vision_finetune import check_settings

        check_settings(settings)                          # before minutes of work
    runs = dict(r.split("=", 1) for r in args.runs)
    models = compare_models(args.device, runs)
    table = compare(models, args.data, seeds=seeds)
    tuned = None
    if args.finetune:
        from engine.probes.vision_finetune import finetune_compare

        tuned = finetune_compare(models, args.data, seeds=seeds, settings=settings)
    if args.json:
        doc = table.to_json()
        if tuned is not None:
            doc["finetune"] = tuned.to_json()
        print_json(doc)
        return 0
    print_table(table)
    if tuned is not None:
        s = tuned.settings
        print(f"\nfine-tune (whole ViT + linear head; {s['steps']} steps of {s['batch_size']} images, lr {s['lr']:g}, "
              f"head lr {s['head_lr']:g}; {tuned.seconds:.0f} s)")
        print_table(tuned)
    return 0


def print_table(table: Comparison) -> None:
    mean, std = table.mean(), table.std()
    print("labels/class " + " ".join(f"{n:>12}" for n in table.labels))
    for i, m in enumerate(table.models):
        print(f"{m:<14}" + " ".join(f"{mean[i, j]:7.3f}±{std[i, j]:.3f}" for j in range(len(table.labels))))
