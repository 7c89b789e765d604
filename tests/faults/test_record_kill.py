"""Kill tests for recording: SIGKILL part-way through a recording leaves a readable WAV whose
length is reported (the header was never finished, so the reader flags it as truncated and says
how long it is). Once through the engine's writer in a child process, once through the real
`mlsp record` listening to a virtual microphone (skipped without PulseAudio)."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from cli_inproc import check_contract, parse_json_output, run_cli

from engine.data.audio import read_audio

pytestmark = pytest.mark.e2e

WRITER = textwrap.dedent("""
    import sys, time
    import numpy as np
    from engine.data.recording import RecordingWriter
    w = RecordingWriter(sys.argv[1], 16000)
    t = np.arange(1600) / 16000
    for i in range(10_000):
        w.append((0.3 * np.sin(2 * np.pi * 440 * (t + i * 0.1))).astype(np.float32))
        print(w.samples, flush=True)
        time.sleep(0.01)
""")


def _check_killed_recording(path: Path, at_least_s: float) -> None:
    audio = read_audio(path)
    assert audio.truncated and "never finished" in audio.note, audio.note
    assert audio.duration >= at_least_s
    assert f"{audio.duration:.2f} s" in audio.note or f"{audio.duration:.1f} s" in audio.note, audio.note
    res = run_cli(["spectrogram", str(path), "--json"])
    check_contract(res, json_mode=True)
    facts = parse_json_output(res.out)[0]
    assert res.rc == 0 and facts["duration"] == pytest.approx(audio.duration, abs=1e-3) and facts["note"]


def test_sigkill_while_the_writer_writes(tmp_path: Path) -> None:
    out = tmp_path / "killed.wav"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(out)], stdout=subprocess.PIPE, text=True, env=env)
    written = 0
    for line in proc.stdout:
        written = int(line)
        if written >= 16000:                         # a second of audio is on disk
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    _check_killed_recording(out, written / 16000)


def test_sigkill_during_mlsp_record(tmp_path: Path) -> None:
    from virtual_mic import speech, virtual_microphone

    if shutil.which("pulseaudio") is None:
        pytest.skip("no PulseAudio here for a virtual microphone")
    out = tmp_path / "take.wav"
    with virtual_microphone() as mic:
        env = dict(mic.env, MLSP_HOME=str(tmp_path / "home"))
        proc = subprocess.Popen([sys.executable, "-m", "mlsp_gui.cli", "record", "--device", mic.source, "--seconds",
                                 "60", "--out", str(out), "--json"], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        assert mic.wait_for_listener(), "mlsp record never opened the microphone"
        player = mic.play(speech(str(tmp_path / "speech.wav")))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (not out.exists() or out.stat().st_size < 16000 * 2):
            time.sleep(0.1)                          # at least half a second of samples written
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        player.kill()
    assert out.stat().st_size >= 16000 * 2
    _check_killed_recording(out, 0.4)
    assert json.dumps(read_audio(out).note)
