"""`mlsp lm-eval MODEL`: the language-model goals on held-out text.

A masked model (bert-mini, a BERT-family MLM folder): top-1 accuracy on every content word of the
held-out sentences of DATA that never occur in its training lines, each word masked in turn
(all its word pieces). A causal model (gpt-mini, a GPT-2 folder): test perplexity on the held-out
lines next to an interpolated bigram model counted on the training lines with the same tokens.
Held out: every 50th line of DATA (the split the built-in tasks train with).

--json prints {"model", "data", "content_word_top1", "words", "sentences"} or
{"model", "data", "perplexity", "bigram_perplexity", "tokens"}."""
from __future__ import annotations

import argparse

from engine.cli.common import add_command, add_device, add_json, add_model, print_json


def register(subparsers) -> None:
    p = add_command(subparsers, "lm-eval", "score a language model on held-out text (content words / perplexity)",
                    __doc__, run)
    add_model(p, "bert-mini, gpt-mini, a run folder of either, or hf:PATH")
    p.add_argument("--data", default="builtin:grammar", metavar="DATA",
                   help="builtin:NAME or a text file (default builtin:grammar)")
    p.add_argument("--sentences", type=int, default=1000, metavar="N", help="held-out sentences for masked models (default 1000)")
    p.add_argument("--tokens", type=int, default=20000, metavar="N", help="held-out tokens for causal models (default 20000)")
    p.add_argument("--test-every", type=int, default=50, metavar="N", help="every N-th line is held out (default 50)")
    add_device(p)
    add_json(p)


def run(args: argparse.Namespace) -> int:
    import numpy as np

    from engine.contract.capabilities import Capability
    from engine.errors import ModelError
    from engine.tasks.lm_data import split_lines
    from engine.zoo import load_model, resolve

    ref = resolve(args.model)
    text = split_lines(args.data, args.test_every)
    if ref.can(Capability.FILL_MASK):
        from engine.probes.lm_scores import masked_word_accuracy

        model = load_model(ref, args.device)
        s = masked_word_accuracy(model.net, model.tokenizer, text.unseen_test()[:args.sentences])
        out = {"model": ref.text, "data": args.data, "content_word_top1": s.accuracy, "words": s.total,
               "sentences": s.sentences}
    elif ref.can(Capability.GENERATE):
        from engine.probes.lm_scores import bigram_perplexity, causal_nll
        from engine.tasks.gpt_mini import encode_stream

        model = load_model(ref, args.device)
        test = encode_stream(model.tokenizer, text.test)[:args.tokens + 1]
        nll, n = causal_nll(model.net, test, model.max_tokens)
        train = encode_stream(model.tokenizer, text.train)
        bigram, lam = bigram_perplexity(train, test, len(model.tokenizer))
        out = {"model": ref.text, "data": args.data, "perplexity": float(np.exp(nll / max(n, 1))),
               "bigram_perplexity": bigram, "bigram_lambda": lam, "tokens": n}
    else:
        raise ModelError(f"model '{ref.text}' is neither a masked nor a causal language model; "
                         "choose bert-mini, gpt-mini or a run of either.")
    if args.json:
        print_json(out)
    else:
        for key, value in out.items():
            print(f"{key}: {value:.4g}" if isinstance(value, float) else f"{key}: {value}")
    return 0
