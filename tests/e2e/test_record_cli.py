"""`mlsp record` against a real PulseAudio server whose microphone hears speech played into it:
the WAV holds that speech, the limits and bad arguments are refused with the reason."""
import json
import os
import shutil
import subprocess
import sys
import time

import numpy as np
import pytest
import soundfile as sf
from virtual_mic import match_score, speech, virtual_microphone

from engine.data.resample import resample

MLSP = shutil.which("mlsp")


def mlsp(args, env, timeout=120):
    cmd = [MLSP] if MLSP else [sys.executable, "-m", "mlsp_gui.cli"]
    return subprocess.run(cmd + args, capture_output=True, text=True, env=env, timeout=timeout)


@pytest.fixture(scope="module")
def mic():
    with virtual_microphone() as m:
        yield m


def _env(mic, tmp_path):
    return dict(mic.env, MLSP_HOME=str(tmp_path / "home"))


def test_it_records_the_speech_the_microphone_hears(mic, tmp_path):
    ref_path = speech(str(tmp_path / "speech.wav"))
    out = tmp_path / "take.wav"
    cmd = [MLSP] if MLSP else [sys.executable, "-m", "mlsp_gui.cli"]
    proc = subprocess.Popen(cmd + ["record", "--device", mic.source, "--seconds", "3", "--out", str(out), "--json"],
                            env=_env(mic, tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert mic.wait_for_listener(), "mlsp record never opened the microphone"
    time.sleep(0.3)
    player = mic.play(ref_path)
    stdout, stderr = proc.communicate(timeout=120)
    player.wait(timeout=60)
    assert proc.returncode == 0, stderr
    facts = json.loads(stdout)
    assert facts["path"] == str(out) and facts["sample_rate"] == 16000
    assert facts["samples"] == 48000 and facts["seconds"] == 3.0 and facts["cut_at_limit"] is True
    data, rate = sf.read(out, dtype="float32")
    assert rate == 16000 and len(data) == 48000
    assert facts["peak"] == pytest.approx(float(np.abs(data).max()), abs=2e-4)
    ref, ref_rate = sf.read(ref_path, dtype="float32")
    score = match_score(data, resample(ref, ref_rate, 16000))
    assert score > 0.6, f"the recording does not match the speech played (correlation {score:.2f})"
    assert match_score(np.random.default_rng(0).standard_normal(48000), resample(ref, ref_rate, 16000)) < 0.2


def test_list_and_default_folder(mic, tmp_path):
    out = mlsp(["record", "--list", "--json"], _env(mic, tmp_path))
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [r["id"] for r in rows if r["default"]] == [mic.source]
    out = mlsp(["record", "--seconds", "0.5"], _env(mic, tmp_path))         # default device, default folder
    assert out.returncode == 0, out.stderr
    files = list((tmp_path / "home" / "recordings").glob("recording-*.wav"))
    assert len(files) == 1 and f"into {files[0]}" in out.stdout
    assert sf.info(str(files[0])).frames == 8000
    assert "silent" in out.stderr                    # nothing was played: the user is told


def test_bad_requests_say_what_is_wrong(mic, tmp_path):
    env = _env(mic, tmp_path)
    for args, words in ((["--device", "no-such-mic"], f"give one of: {mic.source}"),
                        (["--seconds", "0"], "--seconds must be between"),
                        (["--seconds", "9999"], "--seconds must be between"),
                        (["--rate", "10"], "--rate must be between"),
                        (["--out", str(tmp_path / "x.mp3")], "x.wav")):
        out = mlsp(["record", *args], env)
        assert out.returncode != 0 and words in out.stderr, (args, out.stderr)
        assert len(out.stderr.strip().splitlines()) <= 2, out.stderr
    assert not (tmp_path / "x.mp3").exists()
    no_server = dict(env, PULSE_SERVER="unix:/nonexistent/pulse")
    out = mlsp(["record", "--seconds", "1"], no_server)
    assert out.returncode != 0 and "no microphone found" in out.stderr
    assert not os.path.exists(tmp_path / "home" / "recordings") or not any((tmp_path / "home" / "recordings").iterdir())


def test_a_microphone_that_goes_away_ends_the_recording_and_keeps_it(tmp_path):
    with virtual_microphone() as gone:
        cmd = [MLSP] if MLSP else [sys.executable, "-m", "mlsp_gui.cli"]
        out = tmp_path / "cut.wav"
        proc = subprocess.Popen(cmd + ["record", "--seconds", "60", "--out", str(out), "--json"],
                                env=_env(gone, tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert gone.wait_for_listener(), "mlsp record never opened the microphone"
        deadline = time.monotonic() + 60
        while (not out.exists() or out.stat().st_size < 44 + 2 * 16000) and time.monotonic() < deadline:
            time.sleep(0.1)                                  # a second of audio is on disk
        gone.kill_server()                                   # the audio server dies mid-recording
        stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    facts = json.loads(stdout)
    assert "kept what was recorded" in facts["interrupted"] and "warning:" in stderr
    assert 0.5 < facts["seconds"] < 30 and not facts["cut_at_limit"]
    assert sf.info(str(out)).frames == facts["samples"]


def test_play_sends_the_sound_to_the_speaker(mic, tmp_path):
    """`mlsp play` into the server's null sink while `mlsp record` listens to its monitor: what was
    recorded is the file that was played."""
    ref_path = speech(str(tmp_path / "speech.wav"))
    cmd = [MLSP] if MLSP else [sys.executable, "-m", "mlsp_gui.cli"]
    heard = tmp_path / "heard.wav"
    recorder = subprocess.Popen(cmd + ["record", "--device", mic.source, "--seconds", "8", "--out", str(heard)],
                                env=_env(mic, tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert mic.wait_for_listener(), "mlsp record never opened the microphone"
    deadline = time.monotonic() + 60
    while (not heard.exists() or heard.stat().st_size < 44 + 2 * 8000) and time.monotonic() < deadline:
        time.sleep(0.1)                                      # half a second of audio is on disk
    played = mlsp(["play", ref_path, "--json"], _env(mic, tmp_path))
    recorder.communicate(timeout=60)
    assert played.returncode == 0, played.stderr
    facts = json.loads(played.stdout)
    assert facts["device"] == "Null Output" and facts["stopped_at"] == pytest.approx(facts["duration"], abs=0.3)
    data, _ = sf.read(heard, dtype="float32")
    ref, ref_rate = sf.read(ref_path, dtype="float32")
    assert match_score(data, resample(ref, ref_rate, 16000)) > 0.6
    listed = json.loads(mlsp(["play", "--list", "--json"], _env(mic, tmp_path)).stdout)
    assert [r["description"] for r in listed if r["default"]] == ["Null Output"]
    late = mlsp(["play", ref_path, "--start", "99"], _env(mic, tmp_path))
    assert late.returncode == 2 and "--start must be between 0 and the sound's length" in late.stderr
