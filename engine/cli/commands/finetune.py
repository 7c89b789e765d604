"""`mlsp finetune MODEL --task TASK`: fine-tune a pre-trained language model as a classifier on N
labelled sentences and print its test accuracy; `--from-scratch` trains the same architecture from
random weights instead (the comparison that shows what pre-training buys).

TASK: "topic" (the sentence's topic group) or "tense" (the main verb's tense), labelled by the
built-in grammar; or a TSV file of text<TAB>label (every 5th line is the test set).
--json prints {"accuracy": ..., "labels": N, "init": "pretrained"|"scratch", "task", "classes", "seed"}."""
from __future__ import annotations

import argparse

from engine.cli.common import add_command, add_device, add_json, add_model, print_json


def register(subparsers) -> None:
    p = add_command(subparsers, "finetune", "fine-tune a language model as a classifier (pre-trained vs scratch)",
                    __doc__, run)
    add_model(p, "bert-mini, gpt-mini, a run of either, or hf:PATH (BERT-family or GPT-2 folder)")
    p.add_argument("--task", required=True, metavar="TASK", help="topic, tense, or a TSV file of text<TAB>label")
    p.add_argument("--labels", type=int, default=50, metavar="N", help="labelled training sentences (0 = all; default 50)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the sample and the training (default 0)")
    p.add_argument("--from-scratch", action="store_true", help="re-initialise the network (same architecture) first")
    p.add_argument("--steps", type=int, default=150, metavar="N", help="optimizer steps (default 150)")
    add_device(p)
    add_json(p)


def run(args: argparse.Namespace) -> int:
    from engine.tasks.finetune import finetune, labelled_task
    from engine.zoo import load_model

    data = labelled_task(args.task)                       # bad TSVs fail before the model loads
    model = load_model(args.model, args.device)
    if getattr(model, "net", None) is None or not hasattr(model, "tokenizer"):
        from engine.errors import ModelError

        raise ModelError(f"'{args.model}' cannot be fine-tuned here; choose bert-mini, gpt-mini or a BERT/GPT-2 folder.")
    r = finetune(model, data, args.labels, args.seed, "scratch" if args.from_scratch else "pretrained", args.steps)
    if args.json:
        print_json({"accuracy": r.accuracy, "labels": r.labels, "init": r.init, "task": r.task,
                    "classes": list(r.classes), "seed": r.seed, "test_size": r.test_size})
    else:
        print(f"{r.init}: {r.accuracy:.1%} test accuracy on {r.task} ({r.test_size} sentences, {len(r.classes)} classes) "
              f"after {r.labels} labels")
    return 0
