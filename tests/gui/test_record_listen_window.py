"""In the real window: record a word from the microphone (File → Record from Microphone…; the private
PulseAudio server's virtual microphone hears a voice held out of builtin:words say "seven"), open
"Where the LSTM listens" and see the shipped lstm-attn hear "seven", with a_t over the recording's
frames. The window runs in a child process so its Qt Multimedia back-end meets only that server."""
import json
import shutil

import numpy as np
import pytest
import soundfile as sf
from virtual_mic import virtual_microphone
from window_child import run_window_script

SCRIPT = r'''
import subprocess

speech_wav, sink = ARGS
w.menus.actions["record"].trigger()
d = w._record_dialog
out = {"can_record": d.record_button.isEnabled()}
if d.record_button.isEnabled():
    levels = []
    d.record_button.click()
    d.recorder.level.connect(levels.append)
    spin(15, lambda: bool(levels))
    player = subprocess.Popen(["paplay", "-d", sink, speech_wav])
    spin(2.5)
    d.record_button.click()                                   # Stop
    player.wait(30)
    spin(20, lambda: any(i.recording and i.record is not None for i in w.ctx.session.inputs))
    d.close()
    view = w.views.open("lstm_listens", focus=True)
    spin(90, lambda: view.record is not None)
    if view.record is not None:
        p = view.record.prediction
        out.update(label=p.label, probability=p.probability, frames=len(p.attention), attention_sum=float(p.attention.sum()),
                   duration=p.duration, input=view.record.audio.name, recording=w.ctx.session.current.recording)
    else:
        out["status"] = view.status.text()
w.close()
spin(2)
print("RESULT " + json.dumps(out), flush=True)
'''


def test_a_word_recorded_in_the_window_is_heard_by_the_lstm(tmp_path):
    from engine.data.words import HELD_OUT_VOICES
    from engine.data.words.render import synthesize

    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (.ci/run installs it)")
    x = 0.5 * synthesize(next(v for v in HELD_OUT_VOICES if v.voice == "en-gb-scotland"), "seven")
    wav = tmp_path / "seven.wav"
    sf.write(wav, np.concatenate([np.zeros(4000, np.float32), x, np.zeros(4000, np.float32)]), 16_000)
    with virtual_microphone() as mic:
        out = run_window_script(SCRIPT, tmp_path, mic.env, [str(wav), mic.sink], open_views=[])
    assert out["can_record"], out
    assert out.get("label") == "seven", json.dumps(out)
    assert out["recording"] and out["frames"] == int(round(out["duration"] * 16_000)) // 160 + 1   # T = N // hop + 1
    assert abs(out["attention_sum"] - 1.0) < 1e-4
