"""The shipped lstm-attn (assets/lstm-attn/, float16, under 10 MB) loads and recognises the words of
speakers it never heard: builtin:words-small's test split (a subset of builtin:words' test speakers,
on which the shipped run scored 95.1 %)."""
from __future__ import annotations

import numpy as np

from engine.paths import ASSETS_DIR


def test_shipped_weights_are_small_and_recognise_unseen_speakers():
    import torch

    from engine.data.words import resolve_words
    from engine.zoo import load_model

    size = sum(p.stat().st_size for p in (ASSETS_DIR / "lstm-attn").iterdir())
    assert size < 10 * 2**20
    model = load_model("lstm-attn", "cpu")
    assert model.labels == resolve_words("builtin:words-small").labels
    test = resolve_words("builtin:words-small").test
    with torch.no_grad():
        logits = model.net(torch.from_numpy(test.waveforms()))
    accuracy = float((logits.argmax(-1).numpy() == test.label_ids).mean())
    assert accuracy >= 0.9, accuracy
    assert np.isfinite(logits.numpy()).all()
