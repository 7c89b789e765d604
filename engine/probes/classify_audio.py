"""Classifying a spoken word: (model, audio input) -> WordPrediction (the word, every word's
probability and, for attention-pooling models, where the model listened: a_t per frame)."""
from __future__ import annotations

from engine.contract.capabilities import Capability, InputKind
from engine.errors import InputError, ModelError
from engine.records.spoken_word_prediction import WordPrediction


def classify_audio(model, audio) -> WordPrediction:
    """The model's WordPrediction for one audio input; ModelError for a model that cannot classify
    audio, InputError for audio it cannot take (engine.data.audio_checks)."""
    model.require(Capability.CLASSIFY)
    if InputKind.AUDIO not in model.ref.inputs:
        raise ModelError(f"model '{model.name}' does not classify audio; choose lstm-attn.")
    if getattr(audio, "kind", None) != "audio":
        raise InputError(f"'{model.name}' classifies audio; {getattr(audio, 'name', 'this input')} is not audio.")
    return model.classify_audio(audio)
