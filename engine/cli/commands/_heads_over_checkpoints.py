"""`mlsp attention-summary RUN INPUT --over-checkpoints`: the per-head summary at every complete
checkpoint of a training run, reduced to the mean entropy per layer and the notable heads, beside
the training loss at that step (a table, or JSON with --json)."""
from __future__ import annotations

import argparse

from engine.cli.common import print_json
from engine.errors import ConfigError
from engine.records.attention_over_checkpoints import ROLES, HeadsOverCheckpoints

SHORT = {"previous token": "prev", "next token": "next", "special tokens": "special", "focused": "focused"}


def as_json(r: HeadsOverCheckpoints) -> dict:
    return {"run": r.run, "model": r.model, "text": r.text, "kind": r.kind, "layers": r.layers, "heads": r.heads,
            "max_entropy": r.max_entropy, "skipped": list(r.skipped),
            "checkpoints": [{"step": p.step, "loss": p.loss, "entropy_per_layer": list(p.entropy_per_layer),
                             "mean_entropy": p.mean_entropy, "notable": p.counts(),
                             "notable_heads": {k: [list(x) for x in v] for k, v in p.notable.items()},
                             "checkpoint": p.checkpoint} for p in r.points]}


def print_table(r: HeadsOverCheckpoints) -> None:
    print(f"{r.run} ({r.model}): {len(r.points)} checkpoint(s), {r.layers} layers x {r.heads} heads ({r.kind}); "
          f"uniform attention = {r.max_entropy:.3f} nats")
    layers = " ".join(f"{'H(L' + str(i) + ')':>7}" for i in range(r.layers))
    print(f"{'step':>8} {'loss':>8} {layers} {'H mean':>7}  notable heads")
    for p in r.points:
        loss = "-" if p.loss is None else f"{p.loss:.4f}"
        ent = " ".join(f"{v:7.3f}" for v in p.entropy_per_layer)
        counts = p.counts()
        notable = ", ".join(f"{SHORT[k]} {counts[k]}" for k in ROLES if counts[k]) or "-"
        print(f"{p.step:8d} {loss:>8} {ent} {p.mean_entropy:7.3f}  {notable}")
    for s in r.skipped:
        print(f"skipped {s}")


def run(args: argparse.Namespace) -> int:
    from engine.cli.common import read_probe_input
    from engine.contract.spec import ModelRef
    from engine.probes.attention_over_checkpoints import is_run_folder, over_checkpoints
    from engine.zoo import load_model, resolve

    if not is_run_folder(args.model):
        raise ConfigError(f"--over-checkpoints needs a training run folder (config.json and checkpoints/), not "
                          f"'{args.model}'; train one with `mlsp train MODEL --out RUN` and give RUN.")
    if args.out or args.csv:
        raise ConfigError("--out and --csv save one checkpoint's summary; leave them out with --over-checkpoints "
                          "(use --json for every checkpoint).")
    ref = resolve(args.model)
    inp = read_probe_input(args.input, ref, args.pair)
    result = over_checkpoints(args.model, inp, lambda folder: load_model(ModelRef(spec=ref.spec, path=folder,
                                                                                  text=ref.text), args.device),
                              stack=args.stack, generate=args.generate)
    if args.json:
        print_json(as_json(result))
    else:
        print_table(result)
    return 0
