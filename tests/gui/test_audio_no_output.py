"""Defect 6 of issue 13: Play with no audio output device says so in the window (the status line and
a notice), at once, instead of flipping the button back after a few seconds with a console message."""
from __future__ import annotations

import numpy as np
import soundfile as sf
from PySide6.QtMultimedia import QMediaDevices

from engine.data.audio import read_audio
from mlsp_gui.context import AppContext
from mlsp_gui.player import NO_OUTPUT


def test_play_without_an_output_device_says_so(qtbot, tmp_path, monkeypatch):
    from mlsp_gui.views.audio_signal import AudioView

    monkeypatch.setattr(QMediaDevices, "audioOutputs", staticmethod(lambda: []))
    path = tmp_path / "tone.wav"
    sf.write(path, 0.3 * np.sin(2 * np.pi * 440 * np.arange(8000) / 16000), 16000)
    notices = []
    view = AudioView(AppContext.create(notify=lambda level, msg: notices.append((level, msg))))
    qtbot.addWidget(view)
    view.audio = read_audio(path)
    view.play_button.setEnabled(True)
    view.toggle_play()
    assert view.play_button.text() == "▶ Play"
    assert "no audio output device was found" in view.status.text()
    assert ("error", f"Audio: {NO_OUTPUT}") in notices
