"""The Audio view: the current audio input (a file or a recording) as a waveform over its
spectrogram, on one time axis. Zoom and pan in either plot (the other follows); the waveform is
redrawn from the samples in view (min/max per pixel column, every sample when zoomed in); hovering
the spectrogram reads out time, frequency and level in dBFS. Frame length, hop, a linear or mel
frequency axis, the dynamic range and the colour map are chosen above. The spectrogram is computed
in a job by `engine.probes.spectrogram`, the same numbers as `mlsp spectrogram`. Play (or Space)
plays the file from the left edge of the view with a playhead over both plots, as `mlsp play` does
headless.
"""
from __future__ import annotations

import html
import time
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from engine.records.inputs import AudioInput
from engine.records.spectrogram import Spectrogram
from mlsp_gui.errors import error_html
from mlsp_gui.evented import int_in, one_of
from mlsp_gui.export import ExportTable
from mlsp_gui.job_slots import JobSlots
from mlsp_gui.views.base import View, run_standalone, take
from mlsp_gui.widgets.empty_hint import EmptyHint
from mlsp_gui.widgets.export_bar import ExportBar
from mlsp_gui.widgets.flow_layout import FlowLayout
from mlsp_gui.widgets.heatmap import COLORMAPS, colormap

FFT_SIZES = (256, 512, 1024, 2048)
AXES = {"linear": ("Linear (Hz)", 0), "mel64": ("Mel, 64 bands", 64), "mel128": ("Mel, 128 bands", 128)}
BAR_WIDTH, AXIS_WIDTH = 90, 64      # pixels: the colour bar's column, the left axes
HINT = ("No audio input yet.<br><br>Open a WAV, FLAC, OGG or MP3 file (File → Open…), or record one "
        "(File → Record from Microphone…), then select it in the Inputs dock.")


def compute_job(state, audio: AudioInput, n_fft: int, hop: int, mels: int) -> tuple[Spectrogram, float]:
    """(the spectrogram, seconds it took), in a worker."""
    from engine.probes.spectrogram import spectrogram

    start = time.perf_counter()
    spec = spectrogram(audio, n_fft=n_fft, hop=hop, mels=mels)
    return spec, time.perf_counter() - start


@dataclass(frozen=True)
class WaveLines:
    """What the waveform plot draws: points joined in order ("all"), or min/max strokes ("pairs")."""

    x: np.ndarray
    y: np.ndarray
    connect: str


def waveform_lines(samples: np.ndarray, rate: int, t0: float, t1: float, columns: int) -> WaveLines:
    """The samples between t0 and t1 seconds in `columns` pixels: every sample when there are few,
    else each column's min and max as a vertical stroke."""
    from engine.probes.spectrogram import envelope

    n = len(samples)
    i0, i1 = max(0, int(np.floor(t0 * rate))), min(n, int(np.ceil(t1 * rate)) + 1)
    if i1 - i0 < 2:
        return WaveLines(np.zeros(0), np.zeros(0), "all")
    part = samples[i0:i1]
    if len(part) <= 2 * columns:
        return WaveLines((i0 + np.arange(len(part))) / rate, part.astype(np.float64), "all")
    lo, hi = envelope(part, columns)
    x = i0 / rate + (np.arange(len(lo)) + 0.5) * (len(part) / len(lo)) / rate
    return WaveLines(np.repeat(x, 2), np.stack([lo, hi], axis=1).reshape(-1).astype(np.float64), "pairs")


class AudioView(View):
    """Waveform and spectrogram of the current audio input."""

    title = "Audio"
    order = 20
    group = "Audio"
    view_id = "audio"
    needs_inputs = ("audio",)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.audio: AudioInput | None = None
        self.spec: Spectrogram | None = None
        self.mel_ticks: list[tuple[float, str]] = []     # (band position, "1k") on a mel axis
        self.slots = JobSlots(ctx.jobs, f"audio:{id(self)}")
        self.fft_box = QComboBox()
        for n in FFT_SIZES:
            self.fft_box.addItem(f"{n}", n)
        self.fft_box.setCurrentIndex(FFT_SIZES.index(512))
        self.fft_box.setToolTip("Frame length in samples: longer frames resolve frequency better, time worse")
        self.hop_box = QComboBox()
        for div in (2, 4, 8):
            self.hop_box.addItem(f"n_fft / {div}", div)
        self.hop_box.setCurrentIndex(1)
        self.hop_box.setToolTip("Samples between frames")
        self.axis_box = QComboBox()
        for key, (text, _m) in AXES.items():
            self.axis_box.addItem(text, key)
        self.range_spin = QSpinBox()
        self.range_spin.setRange(20, 120)
        self.range_spin.setValue(80)
        self.range_spin.setSuffix(" dB")
        self.range_spin.setToolTip("Dynamic range shown below the loudest bin")
        self.cmap_box = QComboBox()
        for name in COLORMAPS:
            self.cmap_box.addItem(name)
        self.export_bar = ExportBar(lambda: self.plots, self.export_table, ctx.notify, basename="spectrogram")
        self.play_button = QPushButton("▶ Play")
        self.play_button.setToolTip("Play the sound from the start of the part in view (Space); again to stop")
        self.play_button.setEnabled(False)
        self.player = None                 # mlsp_gui.player.Player, made on the first Play
        controls_box = QWidget()
        controls = FlowLayout(controls_box, spacing=8)    # wraps in a narrow window instead of cutting combos
        controls.addWidget(self.play_button)
        for label, widget in (("Frame", self.fft_box), ("hop", self.hop_box), ("Axis", self.axis_box),
                              ("Range", self.range_spin), ("Colours", self.cmap_box)):
            pair = QWidget()                              # a label stays with its control
            line = QHBoxLayout(pair)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(QLabel(label))
            line.addWidget(widget)
            controls.addWidget(pair)
        controls.addWidget(self.export_bar)
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setBackground("w")
        self.wave_plot = self.plots.addPlot(row=0, col=0)
        self.wave_plot.setLabel("left", "amplitude")
        self.wave_plot.setYRange(-1.0, 1.0, padding=0.02)
        self.wave_plot.setMouseEnabled(x=True, y=False)
        self.wave_curve = self.wave_plot.plot([], [], pen=pg.mkPen("#0072b2", width=1))
        self.spec_plot = self.plots.addPlot(row=1, col=0)
        self.spec_plot.setLabel("bottom", "time", units="s")
        self.spec_plot.setLabel("left", "frequency (Hz)")
        self.spec_plot.setXLink(self.wave_plot)
        self.spec_plot.setMouseEnabled(x=True, y=True)
        self.plots.ci.layout.setRowStretchFactor(0, 1)
        self.plots.ci.layout.setRowStretchFactor(1, 3)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setAutoDownsample(True)
        self.spec_plot.addItem(self.image)
        self.colour_bar = pg.ColorBarItem(values=(-80, 0), colorMap=colormap("viridis"), label="dBFS",
                                          interactive=False, pen="k")
        self.colour_bar.setImageItem(self.image)
        # The bar gets a column of its own, and the waveform row an empty cell as wide: both plots
        # then span the same pixels, so one time is one x on both.
        self.plots.addItem(self.colour_bar, row=1, col=1)
        spacer = pg.GraphicsWidget()
        self.plots.addItem(spacer, row=0, col=1)
        for item in (self.colour_bar, spacer):
            item.setFixedWidth(BAR_WIDTH)
        for plot in (self.wave_plot, self.spec_plot):
            plot.getAxis("left").setWidth(AXIS_WIDTH)
        self.playheads = [pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#d55e00", width=2))
                          for _ in range(2)]
        for plot, line in zip((self.wave_plot, self.spec_plot), self.playheads):
            plot.addItem(line, ignoreBounds=True)
            line.setVisible(False)
        self.readout = QLabel(" ")
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(controls_box)
        layout.addWidget(self.plots, 1)
        layout.addWidget(self.readout)
        layout.addWidget(self.status)
        self.hint = EmptyHint(self.plots, HINT)
        self.hint.show_if(True)
        for box in (self.fft_box, self.hop_box, self.axis_box):
            box.currentIndexChanged.connect(lambda _i: self.compute())
        self.range_spin.valueChanged.connect(lambda _v: self._levels())
        self.cmap_box.currentTextChanged.connect(lambda name: self.colour_bar.setColorMap(colormap(name)))
        self.wave_plot.sigXRangeChanged.connect(lambda *_: self._redraw_wave())
        self.plots.scene().sigMouseMoved.connect(self._hover)
        self.play_button.clicked.connect(self.toggle_play)
        QShortcut(QKeySequence(Qt.Key.Key_Space), self, activated=self.toggle_play,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)      # only while this view has focus

    # hooks --------------------------------------------------------------------------------------
    def on_input_changed(self, item) -> None:
        if item is None or item.kind != "audio":
            if self.audio is None:
                self.hint.setText(HINT if item is None else
                                  f"The current input is {html.escape(item.kind)}; this view shows audio. " + HINT)
            return
        if item.record is not None and item.record is not self.audio:
            self.show_record(item.record)

    def show_record(self, record: AudioInput) -> None:
        """Show an audio input: its waveform now, its spectrogram when the job ends."""
        if not isinstance(record, AudioInput):
            raise TypeError(f"the Audio view draws an AudioInput, not {type(record).__name__}")
        if self.player is not None:
            self.player.stop()
        self.audio = record
        self.play_button.setEnabled(bool(record.path))
        self.wave_plot.setXRange(0.0, max(record.duration, 1e-3), padding=0)
        self._redraw_wave()
        self.hint.setText("")
        self.hint.show_if(False)
        self.compute()

    # view state: {"n_fft", "hop" (samples), "axis": linear|mel64|mel128, "range" (dB), "colormap"} ----
    def current_state(self) -> dict:
        n_fft, hop, _mels = self.settings()
        return {"n_fft": n_fft, "hop": hop, "axis": self.axis_box.currentData(), "range": self.range_spin.value(),
                "colormap": self.cmap_box.currentText()}

    def apply_state(self, state: dict) -> dict | None:
        n_fft = take(state, "n_fft", one_of(FFT_SIZES)) or int(self.fft_box.currentData())
        hop = take(state, "hop", one_of(tuple(n_fft // d for d in (2, 4, 8))))
        axis = take(state, "axis", one_of(list(AXES)))
        before = self.settings()
        for box, value in ((self.fft_box, n_fft), (self.hop_box, n_fft // hop if hop else None), (self.axis_box, axis)):
            if value is not None:
                box.blockSignals(True)
                box.setCurrentIndex(box.findData(value))
                box.blockSignals(False)
        if self.settings() != before:
            self.compute()                                # once, not once per box
        dbs = take(state, "range", int_in(self.range_spin.minimum(), self.range_spin.maximum()))
        if dbs is not None:
            self.range_spin.setValue(dbs)
        cmap = take(state, "colormap", one_of(list(COLORMAPS)))
        if cmap is not None:
            self.cmap_box.setCurrentText(cmap)
        return None

    def settings(self) -> tuple[int, int, int]:
        n_fft = int(self.fft_box.currentData())
        return n_fft, n_fft // int(self.hop_box.currentData()), AXES[self.axis_box.currentData()][1]

    def compute(self) -> None:
        if self.audio is None:
            return
        n_fft, hop, mels = self.settings()
        self.status.setText(f"Computing the spectrogram of {html.escape(self.audio.name)}…")
        self.slots.submit("spectrogram", f"Spectrogram of {self.audio.name}", compute_job, self.audio, n_fft, hop, mels,
                          on_done=self._show_spectrogram, on_error=lambda m: self.status.setText(error_html(m)))

    # playback -----------------------------------------------------------------------------------
    def toggle_play(self) -> None:
        """Play the input's file from the left edge of the view, or stop it."""
        if self.audio is None or not self.audio.path:
            return
        if self.player is None:
            from mlsp_gui.player import Player

            self.player = Player(self)
            self.player.position.connect(self._move_playhead)
            self.player.ended.connect(lambda _at: self._playing(False))
            self.player.failed.connect(self._play_failed)
        if self.player.is_playing():
            self.player.stop()
            return
        start = min(max(self.wave_plot.viewRange()[0][0], 0.0), max(self.audio.duration - 0.05, 0.0))
        self._playing(True)
        self._move_playhead(start)
        self.player.play(self.audio.path, start)

    def _playing(self, on: bool) -> None:
        self.play_button.setText("■ Stop" if on else "▶ Play")
        for line in self.playheads:
            line.setVisible(on)

    def _move_playhead(self, seconds: float) -> None:
        for line in self.playheads:
            line.setValue(seconds)

    def _play_failed(self, message: str) -> None:
        self._playing(False)
        self.status.setText(error_html(message))
        self.ctx.notify("error", f"Audio: {message}")

    # drawing ------------------------------------------------------------------------------------
    def _show_spectrogram(self, result: tuple[Spectrogram, float]) -> None:
        spec, seconds = result
        self.spec = spec
        self.image.setImage(spec.power_db, autoLevels=False)
        span = spec.times[-1] + spec.hop / spec.sample_rate if spec.frames else 0.0
        top = spec.freqs[-1] if spec.scale == "linear" else spec.bins
        self.image.setRect(QRectF(-spec.hop / spec.sample_rate / 2, 0.0, span, top))
        axis = self.spec_plot.getAxis("left")
        if spec.scale == "mel":
            ticks = [(float(np.interp(f, spec.freqs, np.arange(spec.bins))) + 0.5, f"{f / 1000:g}k" if f >= 1000 else f"{f:g}")
                     for f in (250, 500, 1000, 2000, 4000, 8000, 16000) if spec.freqs[0] <= f <= spec.freqs[-1]]
            self.mel_ticks = ticks
            axis.setTicks([ticks])
            axis.setLabel("frequency (Hz, mel axis)")
        else:
            self.mel_ticks = []
            axis.setTicks(None)
            axis.setLabel("frequency (Hz)")
        self.spec_plot.setYRange(0.0, top, padding=0)
        self._levels()
        a = self.audio
        note = f" · {html.escape(a.note)}" if a.note else ""
        self.status.setText(f"<b>{html.escape(a.name)}</b> · {a.duration:.2f} s at {a.sample_rate} Hz · "
                            f"{spec.frames:,} frames × {spec.bins} {spec.scale} bins (n_fft {spec.n_fft}, hop "
                            f"{spec.hop}) · {seconds * 1000:.0f} ms{note}")

    def _levels(self) -> None:
        if self.spec is None:
            return
        top = float(self.spec.power_db.max())
        self.colour_bar.setLevels((top - self.range_spin.value(), top))

    def _redraw_wave(self) -> None:
        if self.audio is None:
            return
        (t0, t1), width = self.wave_plot.viewRange()[0], max(int(self.wave_plot.vb.width()), 200)
        lines = waveform_lines(self.audio.samples, self.audio.sample_rate, t0, t1, width)
        self.wave_curve.setData(lines.x, lines.y, connect=lines.connect)

    def _hover(self, scene_pos) -> None:
        if self.spec is None or not self.spec_plot.sceneBoundingRect().contains(scene_pos):
            self.readout.setText(" ")
            return
        p = self.spec_plot.vb.mapSceneToView(scene_pos)
        s = self.spec
        frame = int(np.clip(np.round(p.x() * s.sample_rate / s.hop), 0, s.frames - 1))
        if s.scale == "mel":
            band = int(np.clip(np.floor(p.y()), 0, s.bins - 1))
        else:
            band = int(np.clip(np.round(p.y() / (s.sample_rate / s.n_fft)), 0, s.bins - 1))
        self.readout.setText(f"t = {s.times[frame]:.3f} s · f = {s.freqs[band]:.0f} Hz · "
                             f"{s.power_db[band, frame]:.1f} dBFS")

    def readout_at(self, seconds: float, y: float) -> str:
        """The read-out for a point given in the spectrogram's view coordinates (tests)."""
        self._hover(self.spec_plot.vb.mapViewToScene(pg.Point(seconds, y)))
        return self.readout.text()

    # export -------------------------------------------------------------------------------------
    def export_table(self) -> ExportTable | None:
        s = self.spec
        if s is None:
            return None
        arrays = {"power_db": s.power_db, "times": s.times, "freqs": s.freqs,
                  "sample_rate": np.array(s.sample_rate), "n_fft": np.array(s.n_fft), "hop": np.array(s.hop)}
        rows = ([round(float(f), 3), *[round(float(v), 2) for v in s.power_db[i]]] for i, f in enumerate(s.freqs))
        return ExportTable(arrays=arrays, header=["hz \\ s", *[f"{t:.4f}" for t in s.times]], rows=rows)


VIEW = AudioView

if __name__ == "__main__":
    run_standalone(AudioView)
