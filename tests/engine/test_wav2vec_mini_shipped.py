"""The shipped wav2vec-mini (assets/wav2vec-mini/, float16, under 10 MB) learnt its pre-training task:
on speakers it never heard (builtin:words-small's test split) it picks the true quantised target of a
masked frame among 20 distractors far above chance (1 in 21), and its codebook is in use."""
from __future__ import annotations

import numpy as np

from engine.paths import ASSETS_DIR
from engine.records.inputs import AudioInput


def test_shipped_weights_pick_masked_targets_far_above_chance():
    from engine.data.words import resolve_words
    from engine.zoo import load_model

    assert sum(p.stat().st_size for p in (ASSETS_DIR / "wav2vec-mini").iterdir()) < 10 * 2**20
    model = load_model("wav2vec-mini", "cpu")
    test = resolve_words("builtin:words-small").test
    right, total, perplexity = 0, 0, []
    for i in range(0, len(test), 7):
        w = test[i]
        rec = model.masked_prediction(AudioInput(None, w.name, w.samples, 16_000, 1.0, 16_000, 1, False, ""), seed=i)
        right += int(rec.picked_right.sum())
        total += len(rec.picked_right)
        perplexity.append(rec.perplexity())
    assert total > 100 and right / total > 0.2, right / total
    assert np.median(perplexity) > 4
