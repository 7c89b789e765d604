"""Where the LSTM listens: the lecture's attention pooling on the current audio input (a file or a
recording). The log-mel spectrogram of the input, under it the attention weights a_t of each 10 ms
frame on the same time axis (a curve, and a strip coloured by a_t), and beside them the predicted
word's probability bars. Record a word and see which part of it the decision rests on.

The model is the session's model when it classifies audio (lstm-attn or an lstm-attn run), else the
shipped `lstm-attn`; a followed training run's checkpoints are applied as they land. The probe runs
in a job (`engine.probes.classify_audio`, the numbers `mlsp classify` prints).
"""
from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from engine.records.inputs import AudioInput
from engine.records.spectrogram import Spectrogram
from engine.records.spoken_word_prediction import WordPrediction
from mlsp_gui.errors import error_html
from mlsp_gui.evented import int_in
from mlsp_gui.job_slots import JobSlots
from mlsp_gui.views._audio_model import declares_for_audio, model_for
from mlsp_gui.views._audio_model_view import AudioModelView
from mlsp_gui.views.base import run_standalone, take
from mlsp_gui.widgets.empty_hint import EmptyHint
from mlsp_gui.widgets.heatmap import colormap

DEFAULT_MODEL = "lstm-attn"
AXIS_WIDTH = 64
HINT = ("No audio input yet.<br><br>Record a word (File → Record from Microphone…: say “yes”, “seven”, "
        "“stop”…) or open a WAV file, then select it in the Inputs dock. The model hears one spoken word: "
        "zero to nine, yes, no, up, down, left, right, on, off, stop, go.")


@dataclass(frozen=True)
class Listened:
    """What the view draws: the input, its log-mel spectrogram and the model's prediction."""

    audio: AudioInput
    spectrogram: Spectrogram
    prediction: WordPrediction
    source: str = ""                  # the weights used (shipped folder or checkpoint)


def listen_job(state, ref: str, device: str, checkpoint: str, audio: AudioInput) -> Listened:
    """In a worker: classify `audio` and compute the spectrogram shown above a_t."""
    from engine.probes.classify_audio import classify_audio
    from engine.probes.spectrogram import spectrogram

    state.progress(0.1, f"loading {ref}")
    model = model_for(ref, device, checkpoint)
    state.progress(0.5, "listening")
    prediction = classify_audio(model, audio)
    spec = spectrogram(audio, n_fft=400, hop=160, mels=64)
    return Listened(audio=audio, spectrogram=spec, prediction=prediction, source=model.source)


def classifies_audio(ref: str) -> bool:
    """Whether the model reference `ref` declares CLASSIFY of audio (no torch)."""
    return declares_for_audio(ref, "classify")


class LstmListensView(AudioModelView):
    """a_t of lstm-attn under the spectrogram of the current audio input, and the word's probabilities."""

    DEFAULT_MODEL, HINT, VERB = DEFAULT_MODEL, HINT, "listens to"

    title = "Where the LSTM listens"
    order = 22
    group = "Audio"
    view_id = "lstm_listens"
    needs = "classify"
    needs_inputs = ("audio",)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.audio: AudioInput | None = None
        self.record: Listened | None = None
        self.checkpoint: tuple[str, str] = ("", "")
        self._dirty = False
        self.slots = JobSlots(ctx.jobs, f"lstm_listens:{id(self)}")
        self.top_spin = QSpinBox()
        self.top_spin.setRange(3, 20)
        self.top_spin.setValue(10)
        self.top_spin.setToolTip("How many words the probability bars show (most probable first)")
        self.model_label = QLabel()
        controls = QHBoxLayout()
        controls.addWidget(self.model_label, 1)
        controls.addWidget(QLabel("Words shown"))
        controls.addWidget(self.top_spin)
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setBackground("w")
        self.spec_plot = self.plots.addPlot(row=0, col=0)
        self.spec_plot.setLabel("left", "mel band")
        self.spec_plot.setMouseEnabled(x=True, y=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(colormap("magma"))
        self.spec_plot.addItem(self.image)
        self.attn_plot = self.plots.addPlot(row=1, col=0)
        self.attn_plot.setXLink(self.spec_plot)
        self.attn_plot.setLabel("left", "a_t")
        self.attn_plot.setLabel("bottom", "time", units="s")
        self.attn_plot.setMouseEnabled(x=True, y=False)
        self.attn_curve = self.attn_plot.plot([], [], pen=pg.mkPen("#d55e00", width=2), fillLevel=0.0,
                                              brush=pg.mkBrush(213, 94, 0, 60))
        self.strip = pg.ImageItem(axisOrder="row-major")
        self.strip.setColorMap(colormap("viridis"))
        self.strip_plot = self.plots.addPlot(row=2, col=0)
        self.strip_plot.setXLink(self.spec_plot)
        self.strip_plot.addItem(self.strip)
        self.strip_plot.getAxis("left").setStyle(showValues=False, tickLength=0)   # kept: same width as above
        self.strip_plot.setLabel("left", "a_t")
        self.strip_plot.hideAxis("bottom")
        self.strip_plot.setMouseEnabled(x=False, y=False)
        self.strip_plot.setFixedHeight(26)
        for plot in (self.spec_plot, self.attn_plot, self.strip_plot):
            plot.getAxis("left").setWidth(AXIS_WIDTH)
        self.plots.ci.layout.setRowStretchFactor(0, 3)
        self.plots.ci.layout.setRowStretchFactor(1, 2)
        self.bars_widget = pg.PlotWidget(background="w")
        self.bars_plot = self.bars_widget.getPlotItem()
        self.bars_plot.setLabel("bottom", "probability")
        self.bars_plot.setXRange(0.0, 1.0, padding=0.02)
        self.bars_plot.setMouseEnabled(x=False, y=False)
        self.bars_widget.setFixedWidth(240)
        self.bars = pg.BarGraphItem(x0=[], y=[], height=0.7, width=[], brush="#0072b2")
        self.bars_plot.addItem(self.bars)
        self.word_label = QLabel()
        self.word_label.setStyleSheet("font-size: 20px;")
        self.status = QLabel()
        self.status.setWordWrap(True)
        middle = QHBoxLayout()
        middle.addWidget(self.plots, 1)
        middle.addWidget(self.bars_widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.word_label)
        layout.addLayout(middle, 1)
        layout.addWidget(self.status)
        self.hint = EmptyHint(self.plots, HINT)
        self.hint.show_if(True)
        self.top_spin.valueChanged.connect(lambda _v: self._draw_bars())
        self._update_model_label()

    def serves(self, ref: str) -> bool:
        return classifies_audio(ref)

    def probe(self) -> None:
        """Classify the current audio input in a job (a newer request replaces an older one); a hidden
        view waits until it is shown."""
        if self.audio is None:
            return
        if not self.isVisible():
            self._dirty = True
            return
        self._dirty = False
        ref = self.model_ref()
        run_dir, ckpt = self.checkpoint
        ckpt = ckpt if ref == run_dir else ""
        self.status.setText(f"Listening to {html.escape(self.audio.name)} with {html.escape(ref)}…")
        self.slots.submit("listen", f"Where the LSTM listens: {self.audio.name}", listen_job, ref,
                          self.ctx.session.device, ckpt, self.audio, on_done=self.show_record, on_error=self._failed)

    def showEvent(self, event) -> None:              # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._dirty:
            self.probe()

    def _failed(self, message: str) -> None:
        self.word_label.setText("")
        self.status.setText(error_html(message))

    # drawing --------------------------------------------------------------------------------------
    def show_record(self, record: Listened) -> None:
        if not isinstance(record, Listened):
            raise TypeError(f"{type(self).__name__} draws a Listened record, not {type(record).__name__}")
        self.record = record
        self.hint.setText("")
        self.hint.show_if(False)
        spec, p = record.spectrogram, record.prediction
        step = spec.hop / spec.sample_rate
        top = float(spec.power_db.max()) if spec.frames else 0.0
        self.image.setImage(spec.power_db, levels=(top - 80.0, top))
        self.image.setRect(QRectF(-step / 2, 0.0, spec.frames * step, spec.bins))
        a, t = p.attention, p.times
        self.attn_curve.setData(t, a)
        self.attn_plot.setYRange(0.0, float(a.max()) * 1.1 if len(a) else 1.0, padding=0)
        frame = float(t[1] - t[0]) if len(t) > 1 else step
        self.strip.setImage(a[None, :], levels=(0.0, float(a.max()) if len(a) else 1.0))
        self.strip.setRect(QRectF(float(t[0]) - frame / 2 if len(t) else 0.0, 0.0, frame * len(a), 1.0))
        self.spec_plot.setXRange(0.0, max(record.audio.duration, 1e-3), padding=0)
        self._draw_bars()
        peak = float(t[int(np.argmax(a))]) if len(a) else 0.0
        self.word_label.setText(f"“<b>{html.escape(p.label)}</b>” · p = {p.probability:.2f} · listened most at "
                                f"{peak:.2f} s")
        note = f" · {html.escape(p.note)}" if p.note else ""
        self.status.setText(f"<b>{html.escape(record.audio.name)}</b> · {p.duration:.2f} s · {len(a)} frames of 10 ms · "
                            f"Σ a_t = {float(a.sum()):.3f} · weights {html.escape(record.source)}{note}")
        self.apply_waiting_state()

    def _draw_bars(self) -> None:
        if self.record is None:
            return
        top = self.record.prediction.top(self.top_spin.value())
        n = len(top)
        ys = np.arange(n)[::-1].astype(float)
        probs = [q for _w, q in top]
        brushes = [pg.mkBrush("#d55e00" if i == 0 else "#0072b2") for i in range(n)]
        self.bars.setOpts(x0=np.zeros(n), y=ys, width=probs, height=0.7, brushes=brushes)
        self.bars_plot.getAxis("left").setTicks([[(float(y), w) for y, (w, _q) in zip(ys, top)]])
        self.bars_plot.setYRange(-0.6, n - 0.4, padding=0)

    # view state: {"top": words shown} ------------------------------------------------------------
    def current_state(self) -> dict:
        return {"top": self.top_spin.value()}

    def apply_state(self, state: dict) -> dict | None:
        top = take(state, "top", int_in(self.top_spin.minimum(), self.top_spin.maximum()))
        if top is not None:
            self.top_spin.setValue(top)
        return None


VIEW = LstmListensView

if __name__ == "__main__":
    run_standalone(LstmListensView)
