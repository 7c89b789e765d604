"""Translation quality with `sacrebleu`: corpus BLEU and chrF, BLEU by source length, sentence BLEU.

Scores are 0-100 (sacrebleu's scale). An empty list scores 0 (never NaN, so JSON stays strict).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Source-length buckets (words) of the BLEU-by-length table: the last holds the long test bucket.
LENGTH_BUCKETS = ((1, 5), (6, 8), (9, 11), (12, 15), (16, 20), (21, 25), (26, 10_000))


@dataclass(frozen=True)
class LengthBucket:
    min_len: int
    max_len: int
    bleu: float
    sentences: int


def corpus_bleu(hyps: Sequence[str], refs: Sequence[str]) -> float:
    import sacrebleu

    if not hyps:
        return 0.0
    return float(sacrebleu.corpus_bleu(list(hyps), [list(refs)]).score)


def corpus_chrf(hyps: Sequence[str], refs: Sequence[str]) -> float:
    import sacrebleu

    if not hyps:
        return 0.0
    return float(sacrebleu.corpus_chrf(list(hyps), [list(refs)]).score)


def sentence_bleu(hyp: str, ref: str) -> float:
    """Smoothed sentence BLEU (for ranking sentences, e.g. the worst-translated ones)."""
    import sacrebleu

    return float(sacrebleu.sentence_bleu(hyp, [ref]).score)


def bleu_by_length(sources: Sequence[str], hyps: Sequence[str], refs: Sequence[str],
                   buckets: Sequence[tuple[int, int]] = LENGTH_BUCKETS) -> list[LengthBucket]:
    """Corpus BLEU of the sentences whose source has min_len..max_len words, per bucket (empty
    buckets left out)."""
    out = []
    for lo, hi in buckets:
        idx = [i for i, s in enumerate(sources) if lo <= len(s.split()) <= hi]
        if idx:
            out.append(LengthBucket(lo, hi, corpus_bleu([hyps[i] for i in idx], [refs[i] for i in idx]), len(idx)))
    return out
