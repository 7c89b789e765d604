"""The projector's "Your voice among spoken words" source: corpus utterances (or frames) coloured by
word with the current recording among them; with the shipped lstm-attn a held-out voice's "seven"
has sevens for nearest neighbours."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from engine.records.inputs import AudioInput


class _State:
    def progress(self, *_args) -> None:
        return None


def test_a_recording_lands_among_its_words_neighbours():
    from engine.data.words import HELD_OUT_VOICES
    from engine.data.words.render import synthesize
    from engine.projection.sources import SourceRequest, get_source
    from engine.zoo import load_model

    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    x = 0.3 * synthesize(next(v for v in HELD_OUT_VOICES if v.voice == "en-us"), "seven")
    recording = AudioInput(None, "seven.wav", x, 16_000, len(x) / 16_000, 16_000, 1, False, "")
    source, model = get_source("spoken-words"), load_model("lstm-attn", "cpu")
    emb = source.run(_State(), model, SourceRequest(audio=recording, options={"per_word": 5}))
    assert emb.vectors.shape == (20 * 5 + 1, 128) and emb.metadata["word"][-1].startswith("▶")
    assert sorted(set(emb.metadata["word"][:-1])) == sorted(model.labels)
    v = emb.vectors / np.linalg.norm(emb.vectors, axis=1, keepdims=True)
    nearest = np.argsort(-(v[:-1] @ v[-1]))[:5]
    assert [emb.metadata["word"][i] for i in nearest].count("seven") >= 4
    frames = source.run(_State(), model, SourceRequest(audio=None, options={"per_word": 4, "frames": 1}))
    assert frames.kind == "audio-frame" and set(frames.metadata["source"]) == {"corpus"}
    assert all(" @ " in label for label in frames.labels)
