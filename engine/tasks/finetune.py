"""Fine-tuning a pre-trained language model on a labelled task — and the same architecture from
random weights, to measure what pre-training buys.

Tasks (labels from the grammar's structures, sentences from seeds the pre-training corpus does
not use): "tense" (the main verb's tense: present, past, future, progressive; the grammar's
tense sentences) and "topic" (the sentence's topic group: royals, family, geography, animals, ...);
or the path of a TSV file of `text<TAB>label` (every 5th line held out for testing).

The classifier: the model's token states (bert-mini's encoder, gpt-mini's decoder), mean-pooled
over the tokens, and a linear layer; every weight is trained (AdamW, `steps` steps of `batch`
sentences). `init="scratch"` re-initialises the network first (same architecture, same tokenizer).

Two ways to run it: `mlsp finetune` / `mlsp train finetune` (and the window's Training view) run a
fine-tuning as an ordinary run of the one trainer (engine/tasks/finetune_task.py: run folder,
checkpoints, pause and resume); `label_curve` (the "Pre-training vs scratch" view, 30 fine-tunings)
stays in-process with `finetune` below, for speed: no run folder, no checkpoints.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from engine.errors import InputError
from engine.models.text_classifier import Classifier, classifier_body
from engine.records.finetune import FinetuneCurve, FinetuneResult

BUILTIN_TASKS = ("tense", "topic")
LABEL_COUNTS = (20, 50, 200, 1000, 0)         # 0 = all
POOL, TEST = 3000, 600


@dataclass(frozen=True)
class Labelled:
    """Training pool and test set of a labelled task."""

    name: str
    train: tuple[tuple[str, int], ...]
    test: tuple[tuple[str, int], ...]
    classes: tuple[str, ...]


def _grammar(task: str, seed: int, n: int) -> list[tuple[str, str]]:
    from engine.data.corpora import english
    from engine.data.corpora.grammar import sentences

    out: list[tuple[str, str]] = []
    words = 40 * n
    while len(out) < n:
        out = []
        for s in sentences(words, seed):
            if task == "tense" and s.topic != "tenses":
                continue
            out.append((english.render(s), s.clauses[0].tense if task == "tense" else s.topic))
        words *= 2
    return out[:n]


def _tsv(path: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    from engine.data.text import read_text

    rows = []
    for n, line in enumerate(read_text(path).text.splitlines(), 1):
        if not line.strip():
            continue
        if "\t" not in line:
            raise InputError(f"{path}, line {n}: no tab; a fine-tuning TSV has text<TAB>label on every line.")
        text, label = line.rsplit("\t", 1)
        if not text.strip() or not label.strip():
            raise InputError(f"{path}, line {n}: empty text or label; write text<TAB>label.")
        rows.append((text.strip(), label.strip()))
    return [r for i, r in enumerate(rows) if i % 5 != 4], [r for i, r in enumerate(rows) if i % 5 == 4]


def labelled_task(task: str) -> Labelled:
    """The built-in task `task` or a TSV file; InputError for one class only or test labels never trained on."""
    if task in BUILTIN_TASKS:
        train, test = _grammar(task, 101, POOL), _grammar(task, 202, TEST)
        name = task
    else:
        path = Path(task).expanduser()
        if not path.is_file():
            raise InputError(f"no task '{task}': choose {' or '.join(BUILTIN_TASKS)}, or give a TSV file of text<TAB>label.")
        train, test = _tsv(path)
        name = str(path)
    classes = sorted({label for _, label in train})
    if len(classes) < 2:
        raise InputError(f"the task '{name}' has only one class ({classes[0] if classes else 'none'}) among its "
                         "training examples; a classifier needs at least two labels.")
    unknown = sorted({label for _, label in test} - set(classes))
    if unknown:
        raise InputError(f"the test lines of '{name}' use labels never seen in training ({', '.join(unknown[:5])}); "
                         "give each label several lines.")
    if not test:
        raise InputError(f"'{name}' has too few lines for a test set; give at least 5.")
    index = {c: i for i, c in enumerate(classes)}
    return Labelled(name, tuple((t, index[lab]) for t, lab in train), tuple((t, index[lab]) for t, lab in test),
                    tuple(classes))


def _batch(tokenizer, texts: list[str], device, limit: int):
    enc = tokenizer(texts, padding=True, truncation=True, max_length=limit, return_tensors="pt")
    return enc["input_ids"].to(device), enc["attention_mask"].to(device)


def finetune(model, task: str | Labelled, labels: int = 50, seed: int = 0, init: str = "pretrained",
             steps: int = 150, batch: int = 16, lr: float = 5e-4, progress=None) -> FinetuneResult:
    """Fine-tune `model` (a loaded bert-mini / gpt-mini / BERT / GPT-2) on `labels` examples of `task`."""
    if init not in ("pretrained", "scratch"):
        raise InputError(f"init must be pretrained or scratch, not '{init}'.")
    data = task if isinstance(task, Labelled) else labelled_task(task)
    if labels < 0:
        raise InputError(f"--labels must be 1 or more (0 = all), not {labels}.")
    rng = random.Random(seed)
    pool = list(data.train)
    rng.shuffle(pool)
    chosen = pool[:labels] if labels else pool
    torch.manual_seed(seed)
    body, width, causal = classifier_body(model, init)
    clf = Classifier(body, width, len(data.classes), causal).to(model.device)
    tok = model.tokenizer
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    opt = torch.optim.AdamW(clf.parameters(), lr=lr, weight_decay=0.01)
    gen = np.random.default_rng(seed)
    for step in range(steps):
        pick = gen.integers(0, len(chosen), size=min(batch, len(chosen)))
        ids, keep = _batch(tok, [chosen[i][0] for i in pick], model.device, model.max_tokens)
        y = torch.tensor([chosen[i][1] for i in pick], device=model.device)
        loss = nn.functional.cross_entropy(clf(ids, keep), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if progress is not None and step % 25 == 0:
            progress(step / steps)
    clf.eval()
    correct = 0
    with torch.no_grad():
        for s in range(0, len(data.test), 128):
            rows = data.test[s:s + 128]
            ids, keep = _batch(tok, [t for t, _ in rows], model.device, model.max_tokens)
            correct += int((clf(ids, keep).argmax(-1).cpu() == torch.tensor([y for _, y in rows])).sum())
    return FinetuneResult(model=model.name, task=data.name, init=init, labels=len(chosen), seed=seed,
                          accuracy=correct / len(data.test), classes=data.classes, test_size=len(data.test))


def label_curve(model, task: str, counts=LABEL_COUNTS, seeds=(0, 1, 2), steps: int = 150,
                progress=None) -> FinetuneCurve:
    """Accuracy against the number of labels, pre-trained and scratch, for every seed."""
    data = labelled_task(task)
    results = []
    runs = [(n, init, s) for n in counts for init in ("pretrained", "scratch") for s in seeds]
    for k, (n, init, s) in enumerate(runs):
        if progress is not None:
            progress(k / len(runs), f"{init}, {n or 'all'} labels, seed {s}")
        results.append(finetune(model, data, n, s, init, steps))
    return FinetuneCurve(model=model.name, task=data.name, results=tuple(results))
