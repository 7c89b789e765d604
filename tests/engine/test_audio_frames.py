"""`logmel` frames: each 10 ms frame of an audio input as its 40 log-mel energies (the spectrogram
probe's numbers at 16 kHz), with time, part and loudness columns; the projector source uses it."""
import numpy as np
import pytest

from engine.data.resample import resample
from engine.errors import InputError
from engine.probes.audio_frames import audio_frames
from engine.probes.spectrogram import spectrogram
from engine.projection.sources import SourceRequest, get_source
from engine.records.inputs import AudioInput
from engine.zoo import get_spec, load_model


def audio(x, rate):
    x = np.asarray(x, np.float32)
    return AudioInput(path=None, name="a.wav", samples=x, sample_rate=rate, duration=len(x) / rate,
                      original_rate=rate, channels=1, truncated=False, note="")


@pytest.fixture(scope="module")
def logmel():
    return load_model("logmel", "cpu")


def test_frames_are_the_mel_spectrogram_at_16k(logmel):
    rng = np.random.default_rng(0)
    x = np.concatenate([0.5 * np.sin(2 * np.pi * 440 * np.arange(8000) / 16000), np.zeros(8000),
                        rng.standard_normal(8000) * 0.2])
    emb = audio_frames(logmel, audio(x, 16000))
    ref = spectrogram(audio(x, 16000), n_fft=400, hop=160, mels=40)
    np.testing.assert_array_equal(emb.vectors, ref.power_db.T)
    assert emb.kind == "audio-frame" and emb.dim == 40 and len(emb.labels) == ref.frames == 151
    assert emb.labels[100] == "1.00 s" and emb.metadata["time"][100] == "1.00"
    assert set(emb.metadata["source"]) == {"a.wav"}
    assert emb.metadata["part"][0] == "0–10 %" and emb.metadata["part"][-1] == "90–100 %"
    loud = emb.metadata["loudness"]
    assert loud[25] == "loud" and loud[75] == "silence" and loud[140] == "loud"   # tone, silence, noise


def test_other_rates_are_resampled_first(logmel):
    x = 0.3 * np.sin(2 * np.pi * 1000 * np.arange(44100) / 44100)
    emb = audio_frames(logmel, audio(x, 44100))
    same = audio_frames(logmel, audio(resample(x.astype(np.float32), 44100, 16000), 16000))
    np.testing.assert_allclose(emb.vectors, same.vectors, atol=1e-3)


def test_registry_entry_and_source(logmel):
    spec = get_spec("logmel")
    assert spec.modality == "audio" and spec.weights_status() == "none needed" and not spec.trainable
    source = get_source("audio-frames")
    assert source.default_model == "logmel" and source.uses_input
    with pytest.raises(InputError, match="needs an audio input"):
        source.run(None, logmel, SourceRequest())
    emb = source.run(_State(), logmel, SourceRequest(audio=audio(np.zeros(1600), 16000)))
    assert len(emb.labels) == 11 and set(emb.metadata["loudness"]) == {"silence"}   # digital silence


class _State:
    def progress(self, *_a):
        pass

    def cancelled(self):
        return False
