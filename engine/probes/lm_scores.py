"""Scores of the language models on held-out text, for a network and its tokenizer (a task's
evaluation during training, and `mlsp lm-eval` on a loaded model):

    masked_word_accuracy   bert-mini / BERT MLM: each content word of each sentence masked in turn
                           (all its word pieces); correct when every piece's top-1 is right
    causal_perplexity      gpt-mini / GPT-2: test perplexity over a token stream, in windows of the context
    bigram_perplexity      the reference: an interpolated bigram model counted on the training tokens
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch

from engine.records.language_model import MaskedWordScore

# Words that carry grammar rather than content: they are never the masked "content word".
FUNCTION_WORDS = frozenset("""
a an the this that these those every all some any no each of in on at to from by for with near and or but
because than as into over under is are was were be been being am will would shall do does did not
has have had i you he she it we they me him her us them my your his its our their who which what when where
there here very too once today yesterday tomorrow now then also
""".split())


def content_words(words: Sequence[str]) -> list[int]:
    """Positions of the content words (letters only, not a function word)."""
    return [i for i, w in enumerate(words) if w.isalpha() and w.lower() not in FUNCTION_WORDS]


@torch.no_grad()
def masked_word_accuracy(net, tokenizer, sentences: Sequence[str], batch_size: int = 256) -> MaskedWordScore:
    """Top-1 accuracy of a masked LM on every content word of `sentences`, one word masked at a time."""
    device = next(net.parameters()).device
    rows, targets = [], []
    for sentence in sentences:
        words = sentence.split()
        for wi in content_words(words):
            enc = tokenizer(words, is_split_into_words=True, truncation=True, max_length=net.max_tokens)
            ids, word_ids = enc["input_ids"], enc.word_ids()
            pieces = [i for i, w in enumerate(word_ids) if w == wi]
            if not pieces:
                continue
            masked = list(ids)
            for i in pieces:
                masked[i] = tokenizer.mask_token_id
            rows.append(masked)
            targets.append([(i, ids[i]) for i in pieces])
    correct = 0
    for start in range(0, len(rows), batch_size):
        chunk = rows[start:start + batch_size]
        width = max(len(r) for r in chunk)
        ids = torch.full((len(chunk), width), tokenizer.pad_token_id, dtype=torch.long)
        keep = torch.zeros((len(chunk), width), dtype=torch.long)
        for j, r in enumerate(chunk):
            ids[j, :len(r)] = torch.tensor(r)
            keep[j, :len(r)] = 1
        logits = net(ids.to(device), keep.to(device)).logits.float()
        best = logits.argmax(-1).cpu()
        for j, want in enumerate(targets[start:start + batch_size]):
            correct += all(int(best[j, i]) == t for i, t in want)
    return MaskedWordScore(correct=correct, total=len(rows), sentences=len(sentences))


@torch.no_grad()
def causal_nll(net, stream: np.ndarray, context: int, batch_size: int = 32) -> tuple[float, int]:
    """(summed negative log-likelihood, tokens scored) of a causal LM over a token stream, cut into
    windows of `context` tokens (each window predicts its tokens 2..context from the ones before)."""
    device = next(net.parameters()).device
    n = (len(stream) - 1) // context
    if n == 0:
        return 0.0, 0
    x = torch.from_numpy(stream[:n * context + 1].astype(np.int64))
    inputs, labels = x[:-1].view(n, context), x[1:].view(n, context)
    total = 0.0
    for s in range(0, n, batch_size):
        logits = net(inputs[s:s + batch_size].to(device)).logits.float()
        total += float(torch.nn.functional.cross_entropy(logits.flatten(0, 1), labels[s:s + batch_size].flatten().to(device),
                                                         reduction="sum"))
    return total, n * context


def bigram_perplexity(train: np.ndarray, test: np.ndarray, vocab_size: int) -> tuple[float, float]:
    """(perplexity, lambda) of p(b|a) = λ·count(a,b)/count(a) + (1-λ)·p_add1(b) on `test`, the
    best λ of a grid (the baseline's most favourable setting)."""
    train = train.astype(np.int64)
    test = test.astype(np.int64)
    uni = np.bincount(train, minlength=vocab_size).astype(np.float64)
    p_uni = (uni + 1) / (uni.sum() + vocab_size)
    pairs = train[:-1] * vocab_size + train[1:]
    keys, counts = np.unique(pairs, return_counts=True)
    table = dict(zip(keys.tolist(), counts.tolist()))
    a, b = test[:-1], test[1:]
    c_ab = np.array([table.get(int(k), 0) for k in (a * vocab_size + b)], dtype=np.float64)
    c_a = uni[a]
    p_bi = np.where(c_a > 0, c_ab / np.maximum(c_a, 1), 0.0)
    best = (math.inf, 0.0)
    for lam in np.linspace(0.0, 0.99, 100):
        nll = -np.mean(np.log(lam * p_bi + (1 - lam) * p_uni[b]))
        best = min(best, (float(np.exp(nll)), float(lam)))
    return best
