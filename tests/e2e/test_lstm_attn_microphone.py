"""The shipped lstm-attn recognises words said by a voice the corpus does not contain, heard through a
microphone: espeak-ng's default US-English voice (held out of every split of builtin:words) says ten
words into the private PulseAudio server's virtual microphone, `mlsp record` (the app's recorder)
captures them, and at least 8 of the 10 cut-out words must be recognised."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time

import numpy as np
import pytest
import soundfile as sf
from virtual_mic import virtual_microphone

pytestmark = pytest.mark.e2e

RATE = 16_000
WORDS = ("one", "three", "five", "seven", "nine", "yes", "no", "left", "stop", "go")
GAP = int(0.8 * RATE)
LEAD = int(1.0 * RATE)


def played_take(tmp_path):
    """The words said by a held-out voice, 0.8 s apart: (path of the WAV, [(start, end) sample of each word])."""
    from engine.data.words import HELD_OUT_VOICES
    from engine.data.words.render import synthesize

    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (.ci/run installs it)")
    voice = next(v for v in HELD_OUT_VOICES if v.voice == "en-us")
    parts, spans, at = [np.zeros(LEAD, np.float32)], [], LEAD
    for w in WORDS:
        s = 0.5 * synthesize(voice, w)
        parts += [s, np.zeros(GAP, np.float32)]
        spans.append((at, at + len(s)))
        at += len(s) + GAP
    path = tmp_path / "words.wav"
    sf.write(path, np.concatenate(parts), RATE)
    return path, spans


def lag_of(recorded: np.ndarray, reference: np.ndarray) -> int:
    """Where `reference` starts in `recorded` (samples), by cross-correlation."""
    from scipy.signal import correlate

    c = correlate(recorded.astype(np.float64), reference.astype(np.float64), mode="full", method="fft")
    return int(np.argmax(np.abs(c))) - (len(reference) - 1)


def test_a_held_out_voice_through_the_microphone_is_recognised(tmp_path):
    from engine.probes.classify_audio import classify_audio
    from engine.records.inputs import AudioInput
    from engine.zoo import load_model

    wav, spans = played_take(tmp_path)
    seconds = sf.info(str(wav)).duration + 4.0
    take = tmp_path / "take.wav"
    cmd = [shutil.which("mlsp")] if shutil.which("mlsp") else [sys.executable, "-m", "mlsp_gui.cli"]
    with virtual_microphone() as mic:
        env = dict(mic.env, MLSP_HOME=str(tmp_path / "home"))
        proc = subprocess.Popen(cmd + ["record", "--device", mic.source, "--seconds", f"{seconds:.1f}", "--out",
                                       str(take)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert mic.wait_for_listener(), "mlsp record never opened the microphone"
        deadline = time.monotonic() + 60                  # play once audio flows into the file (a busy machine
        while time.monotonic() < deadline and proc.poll() is None:     # starts the stream late)
            if take.exists() and take.stat().st_size > 44 + 2 * RATE // 4:
                break
            time.sleep(0.05)
        player = mic.play(str(wav))
        _out, err = proc.communicate(timeout=120)
        player.wait(timeout=60)
    assert proc.returncode == 0, err
    recorded, rate = sf.read(take, dtype="float32")
    assert rate == RATE
    reference, _ = sf.read(wav, dtype="float32")
    lag = lag_of(recorded, reference)
    first, last = lag + spans[0][0], lag + spans[-1][1]
    assert 0 <= first and last <= len(recorded), (f"the recording holds samples {-lag}..{len(recorded) - lag} of the speech "
                                                  f"played, not every word ({spans[0][0]}..{spans[-1][1]})")
    model = load_model("lstm-attn", "cpu")
    heard = []
    for (start, end), word in zip(spans, WORDS):
        lo, hi = max(0, lag + start - RATE // 5), min(len(recorded), lag + end + RATE // 5)
        x = recorded[lo:hi]
        pred = classify_audio(model, AudioInput(str(take), f"{word}.wav", x, RATE, len(x) / RATE, RATE, 1, False, ""))
        heard.append(pred.label)
    right = sum(h == w for h, w in zip(heard, WORDS))
    assert right >= 8, f"recognised {right} of 10: heard {heard} for {list(WORDS)}"
