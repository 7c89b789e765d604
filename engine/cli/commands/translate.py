"""`mlsp translate MODEL TEXT`: translate an English sentence into French with a translation model
(seq2seq, nmt-transformer, a run folder of either), by beam search.

Plain output: every beam, best first, with its score (log-probability / length ** length
penalty) and each token's probability. `--json`: {"source_tokens": [...], "translations":
[{"text", "score", "tokens", "token_probs"}, ...]}, best first; tokens end with "</s>" when the
beam finished. Words the model does not know are read as <unk> (a note on stderr names them).
"""
from __future__ import annotations

import argparse
import sys

from engine.cli.common import add_command, add_device, add_json, add_model, print_json, read_text_argument
from engine.contract.capabilities import Capability
from engine.contract.loaded import cannot_message
from engine.errors import ConfigError, ModelError


def register(subparsers) -> None:
    p = add_command(subparsers, "translate", "translate an English sentence into French (every beam, token probabilities)",
                    __doc__, run)
    add_model(p, "seq2seq, nmt-transformer, or a run folder of either")
    p.add_argument("text", metavar="TEXT", help="the English sentence (or a text file holding it)")
    p.add_argument("--beam", type=int, default=4, metavar="K", help="beam size (default 4; 1 = greedy)")
    p.add_argument("--length-penalty", type=float, default=1.0, metavar="A",
                   help="score = log-probability / length ** A (default 1.0; 0 = raw log-probability)")
    p.add_argument("--max-len", type=int, default=None, metavar="N",
                   help="most output tokens (default: twice the source length plus 10)")
    add_device(p)
    add_json(p)


def run(args: argparse.Namespace) -> int:
    import math

    from engine.probes.translation import translate
    from engine.zoo import load_model, resolve

    if not (math.isfinite(args.length_penalty) and 0.0 <= args.length_penalty <= 5.0):
        raise ConfigError(f"--length-penalty must be a number from 0 to 5, got {args.length_penalty}.")
    ref = resolve(args.model)
    if not ref.can(Capability.TRANSLATE):
        raise ModelError(cannot_message(args.model, Capability.TRANSLATE))
    text = read_text_argument(args.text, "TEXT", ref.text).text
    from engine.loaders.translation_decode import check_sentence

    check_sentence(text, 0)                      # empty or too long: say so before loading anything
    result = translate(load_model(ref, args.device), text, beam=args.beam, length_penalty=args.length_penalty,
                       max_len=args.max_len)
    if result.note:
        print(f"note: {result.note}", file=sys.stderr)
    if args.json:
        print_json({"source_tokens": result.source_tokens,
                    "translations": [{"text": b.text, "score": b.score, "tokens": b.tokens,
                                      "token_probs": [float(p) for p in b.token_probs]} for b in result.beams]})
        return 0
    print(result.best.text)
    if len(result.beams) > 1 or args.beam > 1:
        for i, b in enumerate(result.beams):
            probs = " ".join(f"{t}({p:.2f})" for t, p in zip(b.tokens, b.token_probs))
            print(f"  {i + 1}. score {b.score:.3f}  {probs}")
    return 0
