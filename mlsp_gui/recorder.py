"""Recording from a microphone with Qt Multimedia's QAudioSource, into a WAV file as it arrives.

Shared by the window's Record dialog and `mlsp record` (which runs it under a QCoreApplication).
Audio comes in as bytes of the device's format; it is turned into float mono and handed to
`engine.data.recording.RecordingWriter`. A device that delivers nothing for `SILENCE_TIMEOUT_MS`
fails the recording with a message instead of recording nothing for ever; one that stops
delivering in the middle (unplugged, the audio server gone) ends it, keeping what was recorded,
and `interrupted` says why.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QAudioSource

try:                                     # Qt 6.7 renamed the QAudio namespace (its enums compare unequal)
    from PySide6.QtMultimedia import QtAudio as _Audio
except ImportError:                      # pragma: no cover (older Qt)
    from PySide6.QtMultimedia import QAudio as _Audio

from engine.data.recording import DEFAULT_MAX_SECONDS, RecordingInfo, RecordingWriter
from engine.errors import InputError, MlspError

DEFAULT_RATE = 16_000            # what speech models (wav2vec) take; Qt converts from the device's rate
SILENCE_TIMEOUT_MS = 4_000      # nothing at all from the device this long: the recording fails
STALL_MS = 5_000                # audio stopped arriving this long after it flowed: keep what came

_DTYPES = {QAudioFormat.SampleFormat.UInt8: (np.uint8, 128.0, 128.0),
           QAudioFormat.SampleFormat.Int16: (np.int16, 0.0, 32768.0),
           QAudioFormat.SampleFormat.Int32: (np.int32, 0.0, 2147483648.0),
           QAudioFormat.SampleFormat.Float: (np.float32, 0.0, 1.0)}


def choose_format(device: QAudioDevice, rate: int = DEFAULT_RATE) -> QAudioFormat:
    """Mono at `rate` in float or 16-bit when the device takes it, else the device's own format."""
    for sample_format in (QAudioFormat.SampleFormat.Float, QAudioFormat.SampleFormat.Int16):
        fmt = QAudioFormat()
        fmt.setSampleRate(int(rate))
        fmt.setChannelCount(1)
        fmt.setSampleFormat(sample_format)
        if device.isFormatSupported(fmt):
            return fmt
    return device.preferredFormat()


def to_mono_float(data: bytes, fmt: QAudioFormat) -> np.ndarray:
    """Interleaved samples of `fmt` -> float32 mono in -1..1 (channels averaged)."""
    dtype, offset, scale = _DTYPES.get(fmt.sampleFormat(), (None, 0.0, 1.0))
    if dtype is None:
        raise InputError(f"the microphone delivers an unknown sample format ({fmt.sampleFormat()}).")
    channels = max(1, fmt.channelCount())
    x = np.frombuffer(data[:len(data) - len(data) % (np.dtype(dtype).itemsize * channels)], dtype)
    x = (x.astype(np.float32) - offset) / scale
    return x.reshape(-1, channels).mean(axis=1) if channels > 1 else x


class Recorder(QObject):
    """Records `device` into `path` until `stop()` or the length limit; emits `finished(RecordingInfo)`
    or `failed(message)` once."""

    level = Signal(float)          # peak of the newest block, 0..1 (a level meter)
    progress = Signal(float)       # seconds recorded so far
    finished = Signal(object)      # RecordingInfo
    failed = Signal(str)

    def __init__(self, device: QAudioDevice, path: str, max_seconds: float = DEFAULT_MAX_SECONDS,
                 rate: int = DEFAULT_RATE, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.device, self.path, self.max_seconds, self.rate = device, str(path), float(max_seconds), int(rate)
        self.format: QAudioFormat | None = None
        self._source: QAudioSource | None = None
        self._io = None
        self._writer: RecordingWriter | None = None
        self._got_data = False
        self._ended = False
        self.interrupted = ""          # why the recording ended early ("" when it did not)
        self._watchdog = QTimer(self, singleShot=True, interval=SILENCE_TIMEOUT_MS, timeout=self._no_data)
        self._stall = QTimer(self, singleShot=True, interval=STALL_MS, timeout=self._stalled)

    @property
    def seconds(self) -> float:
        return self._writer.seconds if self._writer is not None else 0.0

    def is_recording(self) -> bool:
        return self._source is not None and not self._ended

    def start(self) -> None:
        try:
            self.format = choose_format(self.device, self.rate)
            self._writer = RecordingWriter(self.path, self.format.sampleRate(), self.max_seconds)
        except MlspError as exc:
            self._fail(str(exc))
            return
        self._source = QAudioSource(self.device, self.format, self)
        self._io = self._source.start()
        if self._io is None or self._source.error() != _Audio.Error.NoError:
            self._fail(f"could not open the microphone '{self.device.description()}' ({self._source.error().name}); "
                       f"it may be in use by another program.")
            return
        self._io.readyRead.connect(self._read)
        self._watchdog.start()

    def stop(self) -> RecordingInfo | None:
        """Stop and keep the recording (emits `finished`); None if it had already ended."""
        if self._ended or self._source is None:
            return None
        self._read()
        if self._ended:                       # the last block reached the limit
            return None
        return self._finish()

    def discard(self) -> None:
        """Stop and delete the file."""
        self._end_capture()
        if self._writer is not None:
            self._writer.discard()

    def _read(self) -> None:
        if self._io is None or self._ended:
            return
        data = bytes(self._io.readAll().data())
        if not data:
            return
        if not self._got_data:
            self._got_data = True
            self._watchdog.stop()
        self._stall.start()
        block = to_mono_float(data, self.format)
        self._writer.append(block)
        if len(block):
            self.level.emit(float(np.abs(block).max()))
        self.progress.emit(self._writer.seconds)
        if self._writer.full:
            self._finish()

    def _finish(self) -> RecordingInfo:
        self._end_capture()
        info = self._writer.close()
        self.finished.emit(info)
        return info

    def _no_data(self) -> None:
        if not self._got_data and not self._ended:
            self.discard()
            self.failed.emit(f"the microphone '{self.device.description()}' delivered no audio in "
                             f"{SILENCE_TIMEOUT_MS // 1000} s; check that it is connected and not used by another program.")

    def keep_or_discard(self) -> None:
        """End now: keep the recording if any audio came, else discard it (used by time limits)."""
        if self._got_data:
            self._interrupt("the microphone stopped delivering audio")
        elif not self._ended:
            self._fail(f"the microphone '{self.device.description()}' delivered no audio.")

    def _stalled(self) -> None:
        self._interrupt(f"no audio arrived for {STALL_MS // 1000} s")

    def _interrupt(self, why: str) -> None:
        if self._ended or self._writer is None:
            return
        self.interrupted = (f"{why} after {self._writer.seconds:.1f} s (unplugged, or the audio server stopped?); "
                            f"kept what was recorded.")
        self._finish()

    def _fail(self, message: str) -> None:
        self.discard()
        self.failed.emit(message)

    def _end_capture(self) -> None:
        self._ended = True
        self._watchdog.stop()
        self._stall.stop()
        if self._source is not None:
            self._source.stop()
