"""`translate` and `translation_quality`: what the Translate, Compare and Quality views and the
`mlsp translate` / `mlsp evaluate` commands ask a model with the TRANSLATE capability.

    translate(model, text, beam=4, length_penalty=1.0, max_len=None) -> Translation
    translation_quality(model, corpus, split="test", beam=1, limit=None) -> TranslationQuality
"""
from __future__ import annotations

from collections.abc import Callable

from engine.contract.capabilities import Capability
from engine.data.nmt_tokenizers import MAX_WORDS
from engine.errors import InputError
from engine.metrics.bleu import bleu_by_length, corpus_bleu, corpus_chrf, sentence_bleu
from engine.records.translation import LengthScore, SentenceScore, Translation, TranslationQuality


def translate(model, text: str, beam: int = 4, length_penalty: float = 1.0, max_len: int | None = None) -> Translation:
    """Every beam of `text`'s translation, best first (see engine.records.translation.Translation)."""
    model.require(Capability.TRANSLATE)
    if beam < 1 or beam > 64:
        raise InputError(f"the beam size must be between 1 and 64, not {beam}.")
    if max_len is not None and max_len < 1:
        raise InputError(f"the maximum length must be 1 token or more, not {max_len}.")
    return model.translate(text, beam=beam, length_penalty=length_penalty, max_len=max_len)


def translation_quality(model, corpus, split: str = "test", beam: int = 1, limit: int | None = None,
                        progress: Callable[[float], None] | None = None, chunk: int = 256) -> TranslationQuality:
    """BLEU and chrF of `model` on `corpus` (a ParallelCorpus) split `split`, BLEU by source length,
    and every sentence's own BLEU. beam 1 translates greedily in batches."""
    model.require(Capability.TRANSLATE)
    pairs = list(corpus.split(split))
    if limit is not None:
        pairs = pairs[:limit]
    if not pairs:
        raise InputError(f"the {split} split of {corpus.name} is empty; choose another split or a larger corpus.")
    pairs = [p for p in pairs if len(p.source.split()) <= MAX_WORDS]
    hyps: list[str] = []
    for i in range(0, len(pairs), chunk):
        hyps += model.translate_many([p.source for p in pairs[i:i + chunk]], beam=beam)
        if progress is not None:
            progress(min(1.0, (i + chunk) / len(pairs)))
    refs = [p.target for p in pairs]
    sources = [p.source for p in pairs]
    buckets = [LengthScore(b.min_len, b.max_len, b.bleu, b.sentences) for b in bleu_by_length(sources, hyps, refs)]
    scored = [SentenceScore(s, r, h, sentence_bleu(h, r)) for s, r, h in zip(sources, refs, hyps)]
    return TranslationQuality(model=model.name, data=corpus.name, split=split, bleu=corpus_bleu(hyps, refs),
                              chrf=corpus_chrf(hyps, refs), sentences=len(pairs), by_length=buckets, scored=scored,
                              beam=beam)
