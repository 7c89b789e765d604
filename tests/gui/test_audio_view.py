"""The Audio view: the spectrogram drawn is the engine's, the read-out names a tone's frequency and
level, the waveform keeps every peak zoomed out and every sample zoomed in, the mel axis and the
export work, and in the window it follows the current input."""
import numpy as np
import pytest
import soundfile as sf

from engine.probes.spectrogram import spectrogram
from engine.records.inputs import AudioInput
from mlsp_gui.context import AppContext
from mlsp_gui.views.audio_signal import AudioView, waveform_lines

RATE = 16000


def tone_then_silence() -> AudioInput:
    t = np.arange(RATE) / RATE
    x = np.concatenate([0.5 * np.sin(2 * np.pi * 1000 * t), np.zeros(RATE)]).astype(np.float32)
    x[RATE + 4000] = -0.9                                   # one click in the silence
    return AudioInput(path=None, name="tone.wav", samples=x, sample_rate=RATE, duration=len(x) / RATE,
                      original_rate=RATE, channels=1, truncated=False, note="")


@pytest.fixture
def view(qtbot):
    ctx = AppContext.create()
    v = AudioView(ctx)
    qtbot.addWidget(v)
    v.resize(1000, 700)
    v.show()
    qtbot.waitExposed(v)
    yield v
    ctx.jobs.cancel_all()
    ctx.jobs.wait(10_000)


def shown(qtbot, view, audio):
    view.show_record(audio)
    qtbot.waitUntil(lambda: view.spec is not None and not view.slots.running(), timeout=20_000)


def test_the_spectrogram_is_the_engines_and_the_readout_names_the_tone(qtbot, view):
    audio = tone_then_silence()
    shown(qtbot, view, audio)
    ref = spectrogram(audio, n_fft=512, hop=128)
    np.testing.assert_array_equal(view.image.image, ref.power_db)
    assert not view.hint.isVisible() and "tone.wav" in view.status.text()
    text = view.readout_at(0.5, 1000.0)
    assert "f = 1000 Hz" in text and "-6.0 dBFS" in text
    assert "-100.0 dBFS" in view.readout_at(1.5, 1000.0)   # silence sits on the floor
    top = float(ref.power_db.max())
    assert view.colour_bar.levels() == pytest.approx((top - 80, top))
    view.range_spin.setValue(50)
    assert view.colour_bar.levels() == pytest.approx((top - 50, top))


def test_waveform_keeps_peaks_zoomed_out_and_samples_zoomed_in(qtbot, view):
    audio = tone_then_silence()
    shown(qtbot, view, audio)
    x, y = view.wave_curve.getData()
    assert len(x) < len(audio.samples) and y.min() == pytest.approx(-0.9)    # the click is not lost
    view.wave_plot.setXRange(1.25, 1.252, padding=0)
    qtbot.waitUntil(lambda: len(view.wave_curve.getData()[0]) < 100, timeout=5000)
    x, y = view.wave_curve.getData()
    i0 = int(np.floor(1.25 * RATE))
    np.testing.assert_allclose(y[:10], audio.samples[i0:i0 + 10])
    lines = waveform_lines(audio.samples, RATE, 0.0, 2.0, 300)
    assert lines.connect == "pairs" and len(lines.x) == 600


def test_mel_axis_and_export(qtbot, view, tmp_path):
    audio = tone_then_silence()
    shown(qtbot, view, audio)
    view.axis_box.setCurrentIndex(view.axis_box.findData("mel64"))
    qtbot.waitUntil(lambda: view.spec.scale == "mel" and not view.slots.running(), timeout=20_000)
    assert view.spec.bins == 64 and view.image.image.shape[0] == 64
    labels = [label for _pos, label in view.mel_ticks]
    assert "1k" in labels and "4k" in labels
    written = view.export_bar.export("npz", tmp_path / "s.npz")
    with np.load(written) as z:
        np.testing.assert_array_equal(z["power_db"], view.spec.power_db)
        assert int(z["n_fft"]) == 512 and len(z["times"]) == view.spec.frames
    assert view.export_bar.export("png", tmp_path / "s.png").stat().st_size > 10_000
    csv = view.export_bar.export("csv", tmp_path / "s.csv").read_text(encoding="utf-8").splitlines()
    assert len(csv) == 65 and csv[0].startswith("hz \\ s,")


def test_in_the_window_it_follows_the_current_audio_input(make_main_window, app_dirs, qtbot):
    window = make_main_window(open_views=["audio"])
    view = window.views.view("audio")
    path = app_dirs.files / "chirp.wav"
    t = np.arange(RATE) / RATE
    sf.write(path, 0.3 * np.sin(2 * np.pi * (300 + 2000 * t) * t), RATE)
    window.open_paths([str(path)])
    qtbot.waitUntil(lambda: view.spec is not None and not view.slots.running(), timeout=30_000)
    assert view.audio.path == str(path) and view.spec.name == "chirp.wav"
    text_path = app_dirs.files / "note.txt"
    text_path.write_text("hello", encoding="utf-8")
    window.open_paths([str(text_path)])
    qtbot.waitUntil(lambda: window.ctx.session.current is not None and window.ctx.session.current.kind == "text",
                    timeout=15_000)
    assert view.audio.path == str(path)                    # a text input leaves the audio shown
