"""`mlsp evaluate MODEL`: translation quality of a translation model on a parallel corpus split:
BLEU and chrF (sacrebleu), and BLEU by source length (--by-length).

`--json`: {"bleu", "chrf", "sentences", "by_length": [{"min_len", "max_len", "bleu", "sentences"}, ...]}.
Greedy decoding in batches unless --beam K (slower: one sentence at a time).
"""
from __future__ import annotations

import argparse
import sys

from engine.cli.common import add_command, add_device, add_json, add_model, print_json
from engine.contract.capabilities import Capability
from engine.contract.loaded import cannot_message
from engine.errors import ModelError


def register(subparsers) -> None:
    p = add_command(subparsers, "evaluate", "BLEU and chrF of a translation model on a test split (and by length)",
                    __doc__, run)
    add_model(p, "seq2seq, nmt-transformer, or a run folder of either")
    p.add_argument("--data", metavar="DATA", default=None,
                   help="builtin:en-fr (default: the model's training data), builtin:en-fr-small or a TSV of "
                        "english<TAB>french lines")
    p.add_argument("--split", default="test", choices=("train", "valid", "test"), help="which split (default test)")
    p.add_argument("--by-length", action="store_true", help="also print BLEU by source length (words)")
    p.add_argument("--beam", type=int, default=1, metavar="K", help="beam size (default 1: greedy, batched)")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N sentences of the split")
    p.add_argument("--worst", type=int, default=0, metavar="N", help="also list the N worst-translated sentences")
    add_device(p)
    add_json(p)


def run(args: argparse.Namespace) -> int:
    from engine.data.parallel import resolve_parallel
    from engine.probes.translation import translation_quality
    from engine.zoo import load_model, resolve

    ref = resolve(args.model)
    if not ref.can(Capability.TRANSLATE):
        raise ModelError(cannot_message(args.model, Capability.TRANSLATE))
    corpus = resolve_parallel(args.data or ref.spec.default_data or "builtin:en-fr")   # bad data: say so first
    model = load_model(ref, args.device)
    if corpus.note:
        print(f"note: {corpus.note}", file=sys.stderr)
    q = translation_quality(model, corpus, args.split, beam=args.beam, limit=args.limit)
    if args.json:
        out = {"bleu": q.bleu, "chrf": q.chrf, "sentences": q.sentences,
               "by_length": [{"min_len": b.min_len, "max_len": b.max_len, "bleu": b.bleu, "sentences": b.sentences}
                             for b in q.by_length]}
        if args.worst:
            out["worst"] = [vars(s) for s in q.worst(args.worst)]
        print_json(out)
        return 0
    print(f"{q.model} on {q.data} ({q.split}, {q.sentences} sentences): BLEU {q.bleu:.2f}, chrF {q.chrf:.2f}")
    if args.by_length:
        print("source words   sentences   BLEU")
        for b in q.by_length:
            print(f"{b.min_len:>5}-{b.max_len:<7} {b.sentences:>10}   {b.bleu:6.2f}")
    for s in q.worst(args.worst):
        print(f"BLEU {s.bleu:5.1f}  {s.source}\n            ref: {s.reference}\n            got: {s.hypothesis}")
    return 0
