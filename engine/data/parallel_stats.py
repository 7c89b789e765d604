"""What a parallel corpus holds: pairs per split, vocabulary sizes, sentence lengths.

    summarize(corpus) -> ParallelSummary
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from engine.data.parallel import SPLITS, ParallelCorpus, n_words


@dataclass(frozen=True)
class ParallelSummary:
    """Counts for `mlsp data` and the README. Vocabularies are whitespace words over all splits.

    lengths[split][n]: pairs of that split whose source sentence has n words.
    """

    name: str
    source_lang: str
    target_lang: str
    pairs: dict[str, int]
    source_vocab: int
    target_vocab: int
    lengths: dict[str, dict[int, int]]
    long_from: int
    long_test: int
    max_train_words: int
    skipped_lines: int
    note: str

    def to_json(self) -> dict:
        d = dict(self.__dict__)
        d["lengths"] = {s: {str(k): v for k, v in sorted(h.items())} for s, h in self.lengths.items()}
        return d


def summarize(corpus: ParallelCorpus) -> ParallelSummary:
    source, target = set(), set()
    lengths: dict[str, dict[int, int]] = {}
    for name in SPLITS:
        pairs = corpus.split(name)
        for p in pairs:
            source.update(p.source.split())
            target.update(p.target.split())
        lengths[name] = dict(sorted(Counter(n_words(p.source) for p in pairs).items()))
    return ParallelSummary(corpus.name, corpus.source_lang, corpus.target_lang,
                           {s: len(corpus.split(s)) for s in SPLITS}, len(source), len(target), lengths,
                           corpus.long_from, len(corpus.long_test()), corpus.max_train_words(),
                           len(corpus.skipped_lines), corpus.note)


def render(summary: ParallelSummary) -> str:
    """The summary as text: one line per fact, then a length table (source words x split)."""
    s = summary
    out = [f"{s.name}: {sum(s.pairs.values()):,} pairs ({s.source_lang} -> {s.target_lang})",
           "  " + "  ".join(f"{k} {v:,}" for k, v in s.pairs.items()),
           f"  vocabulary: {s.source_lang} {s.source_vocab:,} words, {s.target_lang} {s.target_vocab:,} words",
           f"  longest training sentence: {s.max_train_words} words"]
    if s.long_from:
        out.append(f"  length-generalisation bucket: {s.long_test:,} test pairs of {s.long_from}+ words")
    if s.note:
        out.append(f"  note: {s.note}")
    out.append("  source words   " + "  ".join(f"{k:>7}" for k in SPLITS))
    for n in sorted({n for h in s.lengths.values() for n in h}):
        out.append(f"  {n:>12}   " + "  ".join(f"{s.lengths[k].get(n, 0):>7,}" for k in SPLITS))
    return "\n".join(out)
