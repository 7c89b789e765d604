"""File → Record from Microphone… in the real window, against a real PulseAudio server whose
microphone hears speech played into it: the recording becomes an audio input marked as a
recording, the session keeps it by path, and the WAV holds the speech. The window runs in a child
process so that its Qt Multimedia back-end meets only that server."""
import json

import soundfile as sf
from virtual_mic import match_score, speech, virtual_microphone
from window_child import run_window_script

from engine.data.resample import resample

SCRIPT = r'''
import subprocess
from pathlib import Path

speech_wav, sink, session_file = ARGS
w.menus.actions["record"].trigger()
d = w._record_dialog
out = {"devices": [d.device_box.itemData(i) for i in range(d.device_box.count())],
       "current": d.device_box.currentData(), "can_record": d.record_button.isEnabled(), "status": d.status.text()}
if d.record_button.isEnabled():
    levels = []
    d.record_button.click()
    d.recorder.level.connect(levels.append)
    out["button_while_recording"] = d.record_button.text()
    spin(15, lambda: bool(levels))                          # audio flows: the recorder hears the device
    player = subprocess.Popen(["paplay", "-d", sink, speech_wav])
    spin(3.0)
    d.record_button.click()                                   # Stop
    player.wait(30)
    spin(20, lambda: any(i.recording and i.record is not None for i in w.ctx.session.inputs))
    out["inputs"] = [{"kind": i.kind, "path": i.path, "recording": i.recording, "current": i is w.ctx.session.current,
                      "info": i.info}
                     for i in w.ctx.session.inputs]
    out["status"] = d.status.text()
    out["max_level"] = max(levels, default=0.0)
    w.save_session_to(Path(session_file))
    d.close()
w.close()
spin(2)
print("RESULT " + json.dumps(out), flush=True)
'''


def run_window(tmp_path, env):
    wav = speech(str(tmp_path / "speech.wav"))
    out = run_window_script(SCRIPT, tmp_path, env, [wav, "mlspvsink", str(tmp_path / "session.json")], open_views=[])
    return out, wav


def test_a_recording_made_in_the_window_becomes_an_audio_input(tmp_path):
    with virtual_microphone() as mic:
        out, wav = run_window(tmp_path, mic.env)
    assert out["devices"] == [mic.source] and out["current"] == mic.source and out["can_record"]
    assert out["button_while_recording"] == "Stop"
    assert out["max_level"] > 0.2                                       # the level meter saw the speech
    assert out["status"].startswith("Recorded ") and "now an input" in out["status"]
    [item] = out["inputs"]
    assert item["kind"] == "audio" and item["recording"] and item["current"]
    assert item["info"].endswith("16000 Hz mono · recorded")              # the Inputs dock says so
    assert item["path"].startswith(str(tmp_path / "d" / "recordings"))
    data, rate = sf.read(item["path"], dtype="float32")
    assert rate == 16000 and 2.0 < len(data) / rate < 25.0
    ref, ref_rate = sf.read(wav, dtype="float32")
    assert match_score(data, resample(ref, ref_rate, 16000)) > 0.6
    saved = json.loads((tmp_path / "session.json").read_text(encoding="utf-8"))
    entries = [e for e in saved["inputs"] if e.get("recording")]
    assert [(e["kind"], e["path"]) for e in entries] == [("audio", item["path"])]


def test_without_a_microphone_the_dialog_says_so_and_cannot_record(tmp_path):
    import os

    out, _ = run_window(tmp_path, dict(os.environ, PULSE_SERVER="unix:/nonexistent/pulse"))
    assert out["devices"] == [] and not out["can_record"]
    assert "No microphone found" in out["status"]
