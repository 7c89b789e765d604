"""File → Record from microphone…: choose an input device, record with a level meter, stop, and the
recording becomes an audio input (kept by path in sessions, like `mlsp record` writes it).

Non-modal. Closing the dialog while recording keeps what was recorded; Discard throws it away.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engine.data.recording import RecordingInfo, new_recording_path
from mlsp_gui.audio_devices import device_id, devices
from mlsp_gui.recorder import Recorder

MAX_SECONDS = 600.0


class RecordDialog(QDialog):
    """Emits `recorded(RecordingInfo)` when a recording is kept."""

    recorded = Signal(object)

    def __init__(self, folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record from microphone")
        self.folder = folder
        self.recorder: Recorder | None = None
        self.devices = devices("input")
        self.device_box = QComboBox()
        for d in self.devices:
            self.device_box.addItem(d.description() + ("  (default)" if d.isDefault() else ""), device_id(d))
            if d.isDefault():
                self.device_box.setCurrentIndex(self.device_box.count() - 1)
        self.limit = QDoubleSpinBox()
        self.limit.setRange(1.0, MAX_SECONDS)
        self.limit.setValue(60.0)
        self.limit.setSuffix(" s")
        self.limit.setDecimals(0)
        self.limit.setToolTip("The recording stops by itself after this long")
        self.meter = QProgressBar()
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setToolTip("Input level (peak of the newest block)")
        self.elapsed = QLabel("0.0 s")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.record_button = QPushButton("Record")
        self.record_button.setDefault(True)
        self.discard_button = QPushButton("Discard")
        self.discard_button.setEnabled(False)
        self.close_button = QPushButton("Close")
        form = QFormLayout()
        form.addRow("Microphone", self.device_box)
        form.addRow("Stop after", self.limit)
        level = QHBoxLayout()
        level.addWidget(self.meter, 1)
        level.addWidget(self.elapsed)
        form.addRow("Level", level)
        buttons = QHBoxLayout()
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.record_button.clicked.connect(self.toggle)
        self.discard_button.clicked.connect(self.discard)
        self.close_button.clicked.connect(self.close)
        if not self.devices:
            self.record_button.setEnabled(False)
            self._say("No microphone found: the audio system reports no input device. Plug one in, or check "
                      "that PulseAudio or PipeWire is running.", error=True)
        self.resize(460, self.sizeHint().height())

    def is_recording(self) -> bool:
        return self.recorder is not None and self.recorder.is_recording()

    def toggle(self) -> None:
        if self.is_recording():
            self.recorder.stop()
        else:
            self.start()

    def start(self) -> None:
        device = self.devices[self.device_box.currentIndex()]
        path = new_recording_path(self.folder)
        self.recorder = Recorder(device, str(path), max_seconds=self.limit.value(), parent=self)
        self.recorder.level.connect(lambda peak: self.meter.setValue(int(round(min(peak, 1.0) * 100))))
        self.recorder.progress.connect(lambda s: self.elapsed.setText(f"{s:.1f} s"))
        self.recorder.finished.connect(self._finished)
        self.recorder.failed.connect(self._failed)
        self._say(f"Recording into {path.name}…")
        self._set_running(True)
        self.recorder.start()

    def discard(self) -> None:
        if self.recorder is not None and self.is_recording():
            self.recorder.discard()
            self._say("Discarded.")
        self._set_running(False)

    def _finished(self, info: RecordingInfo) -> None:
        self._set_running(False)
        cut = " (the length limit stopped it)" if info.cut_at_limit else ""
        silent = " It is silent: is the microphone muted?" if info.peak == 0.0 else ""
        early = f" It ended early: {self.recorder.interrupted}" if self.recorder.interrupted else ""
        self._say(f"Recorded {info.seconds:.1f} s{cut}; it is now an input.{silent}{early}", error=bool(silent or early))
        self.recorded.emit(info)

    def _failed(self, message: str) -> None:
        self._set_running(False)
        self._say(message, error=True)

    def _set_running(self, running: bool) -> None:
        self.record_button.setText("Stop" if running else "Record")
        self.discard_button.setEnabled(running)
        self.device_box.setEnabled(not running)
        self.limit.setEnabled(not running)
        if not running:
            self.meter.setValue(0)

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #d55e00;" if error else "")
        self.status.setTextFormat(Qt.TextFormat.PlainText)

    def closeEvent(self, event) -> None:           # noqa: N802 (Qt API): closing keeps the recording
        if self.is_recording():
            self.recorder.stop()
        super().closeEvent(event)
