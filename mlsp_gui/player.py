"""Playing an audio input through a speaker, with Qt Multimedia (QMediaPlayer + QAudioOutput).

Shared by the Audio view's Play button and `mlsp play`. The Qt objects are made on the first
`play()`, so a window that never plays sound never loads the audio back-end. `position(seconds)`
follows the playback (the view's playhead); `ended(seconds)` comes once per play, with where the
sound stopped, when it has finished or was stopped; `failed(message)` when it could not be played.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal

NO_OUTPUT = ("no audio output device was found: the audio system reports no speaker; check that PulseAudio or "
             "PipeWire is running (`mlsp doctor` lists what it finds).")


class Player(QObject):
    position = Signal(float)      # seconds into the sound
    ended = Signal(float)         # where it stopped (seconds), once per play()
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._player = None
        self._output = None
        self._playing = False
        self._last = 0.0

    def is_playing(self) -> bool:
        return self._playing

    def play(self, path: str, start: float = 0.0, device=None) -> None:
        """Play the file at `path` from `start` seconds on `device` (None: the default output)."""
        from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer

        if not Path(path).is_file():
            self.failed.emit(f"cannot play {path}: the file is gone; open it again.")
            return
        if device is None and not QMediaDevices.audioOutputs():
            # Qt would "play" into nothing for a moment and only tell the console; say it here.
            self.failed.emit(NO_OUTPUT)
            return
        self.stop()
        if self._player is None:
            self._player = QMediaPlayer(self)
            self._player.positionChanged.connect(self._on_position)
            self._player.mediaStatusChanged.connect(self._on_status)
            self._player.errorOccurred.connect(lambda _e, text: self._fail(text))
        if self._output is not None:
            self._output.deleteLater()
        self._output = QAudioOutput(device, self) if device is not None else QAudioOutput(self)
        self._player.setAudioOutput(self._output)
        self._player.setSource(QUrl.fromLocalFile(str(Path(path).resolve())))
        self._start_ms = int(max(start, 0.0) * 1000)
        self._last = start
        self._playing = True
        if self._start_ms:
            self._player.setPosition(self._start_ms)
        self._player.play()

    def stop(self) -> None:
        if self._player is not None and self._playing:
            self._player.stop()
            self._finish()

    def _on_position(self, ms: int) -> None:
        if self._playing:
            self._last = ms / 1000.0
            self.position.emit(self._last)

    def _on_status(self, status) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if status == QMediaPlayer.MediaStatus.EndOfMedia and self._playing:
            self._finish()
        elif status == QMediaPlayer.MediaStatus.InvalidMedia and self._playing:
            self._fail("the file cannot be decoded for playback")

    def _finish(self) -> None:
        self._playing = False
        self.ended.emit(self._last)

    def _fail(self, text: str) -> None:
        if self._playing:
            self._playing = False
            self.failed.emit(f"could not play the sound: {text or 'the audio output failed'}.")
