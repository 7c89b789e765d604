"""`mlsp fill-mask MODEL TEXT`: the most likely tokens at every [MASK] of TEXT (bert-mini, a
BERT-family masked-LM folder hf:PATH, or a bert-mini run).

--json prints {"predictions": [[{"token": ..., "prob": ...}, ...], ...]}, one list per mask in
order, plus "tokens" (what the model saw) and "masked" (the masks' token positions)."""
from __future__ import annotations

import argparse

from engine.cli.common import add_command, add_device, add_json, add_model, check_text, print_json


def register(subparsers) -> None:
    p = add_command(subparsers, "fill-mask", "predict the words at [MASK] (masked language models)", __doc__, run)
    add_model(p, "bert-mini, a bert-mini run folder or hf:PATH (a BERT-family folder with an MLM head)")
    p.add_argument("text", metavar="TEXT", help="a sentence with one or more [MASK], e.g. \"the king lives in the [MASK]\"")
    p.add_argument("--top-k", type=int, default=5, metavar="K", help="predictions per mask (default 5)")
    add_device(p)
    add_json(p)


def run(args: argparse.Namespace) -> int:
    from engine.probes.language_model import fill_mask
    from engine.zoo import load_model, resolve

    ref = resolve(args.model)
    from engine.contract.capabilities import Capability

    if not ref.can(Capability.FILL_MASK):
        from engine.contract.loaded import cannot_message
        from engine.errors import ModelError

        raise ModelError(cannot_message(ref.text, Capability.FILL_MASK, ref.inputs))
    r = fill_mask(load_model(ref, args.device), check_text(args.text), args.top_k)
    if args.json:
        print_json({"model": r.model, "tokens": list(r.tokens), "masked": list(r.masked),
                    "predictions": [[{"token": p.token, "prob": p.prob} for p in row] for row in r.predictions],
                    "note": r.note})
        return 0
    if r.note:
        print(r.note)
    for pos, row in zip(r.masked, r.predictions):
        shown = "  ".join(f"{p.token} {p.prob:.3f}" for p in row)
        print(f"[MASK] at token {pos}: {shown}")
    return 0
