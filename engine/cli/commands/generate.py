"""`mlsp generate MODEL PROMPT`: continue PROMPT token by token (gpt-mini, a gpt-mini run, or a
GPT-2 folder hf:PATH) with the shared sampler: temperature, top-k, top-p; temperature 0 or top-p 0
is greedy. The same --seed gives the same text. An empty PROMPT ("") starts a new sentence.

--json prints {"text": ..., "tokens": [...], "token_probs": [...]} (the new tokens and the
probability each had in the distribution it was drawn from), plus "greedy" and "note"."""
from __future__ import annotations

import argparse

from engine.cli.common import add_command, add_device, add_json, add_model, check_text, print_json


def register(subparsers) -> None:
    p = add_command(subparsers, "generate", "continue a prompt (causal language models: sampling, top-k, top-p)",
                    __doc__, run)
    add_model(p, "gpt-mini, a gpt-mini run folder or hf:PATH (a GPT-2 folder)")
    p.add_argument("prompt", metavar="PROMPT", help="the text to continue (\"\" to start from nothing)")
    p.add_argument("--max-new-tokens", type=int, default=20, metavar="N", help="tokens to add at most (default 20)")
    p.add_argument("--temperature", type=float, default=1.0, metavar="T", help="0 = greedy (default 1)")
    p.add_argument("--top-k", type=int, default=0, metavar="K", help="keep the K most likely tokens (0 = off)")
    p.add_argument("--top-p", type=float, default=1.0, metavar="P", help="keep the smallest set with mass P (1 = off)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the sampler (default 0)")
    p.add_argument("--no-stop", action="store_true", help="go on past the end-of-text token")
    add_device(p)
    add_json(p)


def run(args: argparse.Namespace) -> int:
    import sys

    from engine.contract.capabilities import Capability
    from engine.probes.language_model import generate
    from engine.zoo import load_model, resolve

    ref = resolve(args.model)
    if not ref.can(Capability.GENERATE):
        from engine.contract.loaded import cannot_message
        from engine.errors import ModelError

        raise ModelError(cannot_message(ref.text, Capability.GENERATE, ref.inputs))
    prompt = check_text(args.prompt, "PROMPT")
    r = generate(load_model(ref, args.device), prompt, args.max_new_tokens, args.temperature, args.top_k,
                 args.top_p, args.seed, stop_at_end=not args.no_stop)
    if args.json:
        print_json({"model": r.model, "text": r.text, "tokens": list(r.tokens), "token_probs": list(r.token_probs),
                    "greedy": r.greedy, "note": r.note})
        return 0
    if r.note:
        print(r.note, file=sys.stderr)
    print(r.text)
    return 0
