"""The Audio view's Play button against a real PulseAudio server: the sound goes to the speaker
(a recorder on the speaker's monitor hears the file), the playhead follows it over both plots,
and the button comes back when the sound ends. Run in a child process so that its Qt Multimedia
back-end meets only that server."""

import soundfile as sf
from virtual_mic import match_score, speech, virtual_microphone
from window_child import run_window_script

from engine.data.resample import resample

SCRIPT = r'''
from mlsp_gui.audio_devices import find_device
from mlsp_gui.recorder import Recorder

wav, mic, heard = ARGS
view = w.views.view("audio")
w.open_paths([wav])
spin(30, lambda: view.spec is not None)
levels = []
rec = Recorder(find_device("input", mic), heard, max_seconds=30)
rec.level.connect(levels.append)
rec.start()
spin(15, lambda: bool(levels))
positions = []
view.play_button.click()
out = {"button_while_playing": view.play_button.text(), "playhead_shown": view.playheads[0].isVisible()}
view.player.position.connect(positions.append)
spin(20, lambda: not view.player.is_playing())
spin(0.5)
rec.stop()
out.update(positions=positions[:1] + positions[-1:], count=len(positions), button_after=view.play_button.text(),
           playhead_after=view.playheads[1].isVisible(),
           duration=view.audio.duration)
w.close()
spin(1)
print("RESULT " + json.dumps(out), flush=True)
'''


def test_play_button_plays_the_file_and_moves_the_playhead(tmp_path):
    wav = speech(str(tmp_path / "speech.wav"))
    with virtual_microphone() as mic:
        out = run_window_script(SCRIPT, tmp_path, mic.env, [wav, mic.source, str(tmp_path / "heard.wav")],
                                open_views=["audio"])
    assert out["button_while_playing"] == "■ Stop" and out["playhead_shown"]
    assert out["count"] > 5 and out["positions"][-1] > out["duration"] - 0.5      # it followed to the end
    assert out["button_after"] == "▶ Play" and not out["playhead_after"]
    data, _ = sf.read(tmp_path / "heard.wav", dtype="float32")
    ref, rate = sf.read(wav, dtype="float32")
    assert match_score(data, resample(ref, rate, 16000)) > 0.6
