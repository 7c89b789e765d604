"""What an audio model can be given: the checks every audio probe makes first, each failing with
one sentence that says what is wrong and what to do (the input itself is never changed or lost).

    too long     more than MAX_SECONDS (a spoken-word model hears about a second; a 3-hour file is
                 refused, not read for minutes)
    too short    fewer samples than the model's receptive field (`model.min_samples`)
    silent       no sample above SILENT_DBFS: there is nothing to hear
"""
from __future__ import annotations

import numpy as np

from engine.errors import InputError

MAX_SECONDS = 30.0          # the longest input a spoken-word model classifies or embeds
SILENT_DBFS = -60.0         # a peak below this is silence


def peak_dbfs(samples: np.ndarray) -> float:
    peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
    return 20.0 * np.log10(peak) if peak > 0 else float("-inf")


def check_audio(audio, min_samples: int, model: str, max_seconds: float = MAX_SECONDS) -> None:
    """InputError when `audio` is too long, too short for `min_samples` at its rate, or silent."""
    seconds = len(audio.samples) / audio.sample_rate
    cut = audio.truncated and "at most" in (audio.note or "")
    if seconds > max_seconds or cut:
        raise InputError(f"{audio.name} is {'longer than ' if cut else ''}{seconds:.1f} s long; '{model}' takes at most "
                         f"{max_seconds:g} s of audio (it hears single words): cut out the part to classify, "
                         "e.g. in the Audio view or with an audio editor.")
    need = min_samples * audio.sample_rate / 16_000
    if len(audio.samples) < need:
        raise InputError(f"{audio.name} holds {1000 * seconds:.0f} ms of audio, shorter than '{model}' can read "
                         f"({1000 * min_samples / 16_000:.0f} ms, its receptive field); record a little longer.")
    level = peak_dbfs(audio.samples)
    if level < SILENT_DBFS:
        said = "is digital silence" if level == float("-inf") else f"is silent (its loudest sample is {level:.0f} dBFS)"
        raise InputError(f"{audio.name} {said}: there is no word to hear; check the microphone and record again.")


def model_samples(model, audio) -> np.ndarray:
    """`audio`'s samples at the model's rate (float32, [-1, 1]) after the checks above."""
    from engine.data.resample import resample

    check_audio(audio, int(model.min_samples), model.name)
    x = np.asarray(audio.samples, np.float32)
    if audio.sample_rate != model.sample_rate:
        x = np.clip(resample(x, audio.sample_rate, model.sample_rate), -1.0, 1.0).astype(np.float32)
    return np.ascontiguousarray(x)
