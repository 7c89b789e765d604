"""wav2vec: the self-supervised task on the current audio input (a file or a recording). Under its
spectrogram, on one time axis: the masked spans shaded; for every masked frame the cosine similarity
of its context vector to the true quantised target (a dot: green when it beats every distractor, red
when not) and to the K distractors (grey); the code of every frame as a coloured strip. Beside them
the codebook usage of the input (a histogram per group) and its perplexity. "Mask again" draws other
spans. Self-attention over frames per layer and head: the attention views, with wav2vec-mini chosen.

The model is the session's model when it is a wav2vec-mini (or one of its runs), else the shipped
wav2vec-mini; a followed run's checkpoints are applied as they land.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from engine.records.inputs import AudioInput
from engine.records.spectrogram import Spectrogram
from engine.records.wav2vec import MaskedPrediction
from mlsp_gui.errors import error_html
from mlsp_gui.evented import int_in
from mlsp_gui.job_slots import JobSlots
from mlsp_gui.views._audio_model import declares_for_audio, model_for
from mlsp_gui.views._audio_model_view import AudioModelView
from mlsp_gui.views.base import run_standalone, take
from mlsp_gui.widgets.empty_hint import EmptyHint
from mlsp_gui.widgets.heatmap import colormap

DEFAULT_MODEL = "wav2vec-mini"
AXIS_WIDTH = 64
HINT = ("No audio input yet.<br><br>Record something (File → Record from Microphone…) or open a WAV file, then "
        "select it in the Inputs dock: wav2vec masks spans of its 20 ms frames and tries to pick each masked "
        "frame's true code among distractors.")


@dataclass(frozen=True)
class Masked:
    """What the view draws: the input, its spectrogram, and one masked pass of the model."""

    audio: AudioInput
    spectrogram: Spectrogram
    prediction: MaskedPrediction
    source: str = ""


def masked_job(state, ref: str, device: str, checkpoint: str, audio: AudioInput, seed: int) -> Masked:
    from engine.probes.spectrogram import spectrogram

    state.progress(0.1, f"loading {ref}")
    model = model_for(ref, device, checkpoint)
    model.require("embed")
    if not hasattr(model, "masked_prediction"):
        from engine.errors import ModelError

        raise ModelError(f"'{ref}' is not a wav2vec-mini model; choose wav2vec-mini or one of its runs.")
    state.progress(0.5, "masking")
    prediction = model.masked_prediction(audio, seed=seed)
    return Masked(audio=audio, spectrogram=spectrogram(audio, n_fft=400, hop=160, mels=64), prediction=prediction,
                  source=model.source)


def is_wav2vec(ref: str) -> bool:
    """A wav2vec-mini reference (the entry or a run of it), from its declaration: no torch."""
    from engine.errors import MlspError
    from engine.zoo import resolve

    try:
        return declares_for_audio(ref, "embed") and resolve(ref).spec.id == DEFAULT_MODEL
    except MlspError:
        return False


class Wav2VecView(AudioModelView):
    """Masked spans, target-vs-distractor similarities, codes and codebook usage of wav2vec-mini."""

    DEFAULT_MODEL, HINT, VERB = DEFAULT_MODEL, HINT, "shows"

    title = "wav2vec: masked frames and codes"
    order = 24
    group = "Audio"
    view_id = "wav2vec"
    needs = "embed"
    needs_inputs = ("audio",)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.audio: AudioInput | None = None
        self.record: Masked | None = None
        self.checkpoint: tuple[str, str] = ("", "")
        self._dirty = False
        self.slots = JobSlots(ctx.jobs, f"wav2vec:{id(self)}")
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 9999)
        self.seed_spin.setToolTip("Seed of the span masks (and of the distractors drawn)")
        self.again = QPushButton("Mask again")
        self.model_label = QLabel()
        controls = QHBoxLayout()
        controls.addWidget(self.model_label, 1)
        controls.addWidget(QLabel("Mask seed"))
        controls.addWidget(self.seed_spin)
        controls.addWidget(self.again)
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setBackground("w")
        self.spec_plot = self.plots.addPlot(row=0, col=0)
        self.spec_plot.setLabel("left", "mel band")
        self.spec_plot.setMouseEnabled(x=True, y=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(colormap("magma"))
        self.spec_plot.addItem(self.image)
        self.sim_plot = self.plots.addPlot(row=1, col=0)
        self.sim_plot.setLabel("left", "cos(c_t, q)")
        self.sim_plot.setXLink(self.spec_plot)
        self.sim_plot.setMouseEnabled(x=True, y=False)
        self.distractor_dots = pg.ScatterPlotItem(size=4, brush=pg.mkBrush(120, 120, 120, 110), pen=None)
        self.target_dots = pg.ScatterPlotItem(size=9, pen=pg.mkPen("k", width=0.5))
        self.sim_plot.addItem(self.distractor_dots)
        self.sim_plot.addItem(self.target_dots)
        self.code_plot = self.plots.addPlot(row=2, col=0)
        self.code_plot.setXLink(self.spec_plot)
        self.code_plot.setLabel("left", "code")
        self.code_plot.getAxis("left").setStyle(showValues=False, tickLength=0)
        self.code_plot.setLabel("bottom", "time", units="s")
        self.code_plot.setMouseEnabled(x=False, y=False)
        self.code_plot.setFixedHeight(60)
        self.codes = pg.ImageItem(axisOrder="row-major")
        self.codes.setColorMap(colormap("turbo") if "turbo" in _names() else colormap("viridis"))
        self.code_plot.addItem(self.codes)
        for plot in (self.spec_plot, self.sim_plot, self.code_plot):
            plot.getAxis("left").setWidth(AXIS_WIDTH)
        self.plots.ci.layout.setRowStretchFactor(0, 3)
        self.plots.ci.layout.setRowStretchFactor(1, 2)
        self.spans: list[pg.LinearRegionItem] = []
        self.usage_widget = pg.PlotWidget(background="w")
        self.usage_plot = self.usage_widget.getPlotItem()
        self.usage_plot.setLabel("bottom", "codeword (group 0 | group 1 …)")
        self.usage_plot.setLabel("left", "frames")
        self.usage_plot.setMouseEnabled(x=False, y=False)
        self.usage_widget.setFixedWidth(300)
        self.usage_bars = pg.BarGraphItem(x=[], height=[], width=0.8, brush="#0072b2")
        self.usage_plot.addItem(self.usage_bars)
        self.summary = QLabel()
        self.summary.setStyleSheet("font-size: 15px;")
        self.summary.setWordWrap(True)                    # a narrow window wraps it instead of clipping the perplexity
        self.status = QLabel()
        self.status.setWordWrap(True)
        middle = QHBoxLayout()
        middle.addWidget(self.plots, 1)
        middle.addWidget(self.usage_widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.summary)
        layout.addLayout(middle, 1)
        layout.addWidget(self.status)
        self.hint = EmptyHint(self.plots, HINT)
        self.hint.show_if(True)
        self.again.clicked.connect(lambda: self.seed_spin.setValue((self.seed_spin.value() + 1) % 10000))
        self.seed_spin.valueChanged.connect(lambda _v: self.probe())
        self._update_model_label()

    def serves(self, ref: str) -> bool:
        return is_wav2vec(ref)

    def probe(self) -> None:
        if self.audio is None:
            return
        if not self.isVisible():
            self._dirty = True
            return
        self._dirty = False
        ref = self.model_ref()
        run_dir, ckpt = self.checkpoint
        self.status.setText(f"Masking {html.escape(self.audio.name)} with {html.escape(ref)}…")
        self.slots.submit("mask", f"wav2vec: {self.audio.name}", masked_job, ref, self.ctx.session.device,
                          ckpt if ref == run_dir else "", self.audio, self.seed_spin.value(),
                          on_done=self.show_record, on_error=lambda m: self.status.setText(error_html(m)))

    def showEvent(self, event) -> None:              # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._dirty:
            self.probe()

    # drawing --------------------------------------------------------------------------------------
    def show_record(self, record: Masked) -> None:
        if not isinstance(record, Masked):
            raise TypeError(f"{type(self).__name__} draws a Masked record, not {type(record).__name__}")
        self.record = record
        self.hint.setText("")
        self.hint.show_if(False)
        spec, p = record.spectrogram, record.prediction
        step = spec.hop / spec.sample_rate
        top = float(spec.power_db.max()) if spec.frames else 0.0
        self.image.setImage(spec.power_db, levels=(top - 80.0, top))
        self.image.setRect(QRectF(-step / 2, 0.0, spec.frames * step, spec.bins))
        self._draw_spans(p)
        self._draw_similarities(p)
        frame = float(p.times[1] - p.times[0]) if len(p.times) > 1 else 0.02
        ids = p.code_ids().astype(float)
        self.codes.setImage(ids[None, :], levels=(0.0, float(p.entries ** min(2, p.codes.shape[1]))))
        self.codes.setRect(QRectF(float(p.times[0]) - frame / 2 if len(p.times) else 0.0, 0.0, frame * len(ids), 1.0))
        usage = p.usage().reshape(-1)
        self.usage_bars.setOpts(x=np.arange(len(usage)) + np.repeat(np.arange(p.codes.shape[1]) * 2, p.entries),
                                height=usage, width=0.8)
        self.spec_plot.setXRange(0.0, max(record.audio.duration, 1e-3), padding=0)
        right = p.picked_right
        self.summary.setText(f"{int(p.mask.sum())} of {len(p.mask)} frames masked · true code picked for "
                             f"<b>{int(right.sum())}</b> of {len(right)} · codebook perplexity "
                             f"<b>{p.perplexity():.1f}</b> of {p.codes.shape[1] * p.entries}")
        self.status.setText(f"<b>{html.escape(record.audio.name)}</b> · {p.duration:.2f} s · {len(p.times)} frames of "
                            f"20 ms · {p.negatives.shape[1] if p.negatives.ndim == 2 else 0} distractors each · "
                            f"weights {html.escape(record.source)}")
        self.apply_waiting_state()

    def _draw_spans(self, p: MaskedPrediction) -> None:
        for region in self.spans:
            for plot in (self.spec_plot, self.sim_plot):
                if region in plot.items:
                    plot.removeItem(region)
        self.spans = []
        frame = float(p.times[1] - p.times[0]) if len(p.times) > 1 else 0.02
        edges = np.diff(np.concatenate([[0], p.mask.astype(int), [0]]))
        for a, b in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)):
            t0, t1 = float(p.times[a]) - frame / 2, float(p.times[b - 1]) + frame / 2
            for plot in (self.spec_plot, self.sim_plot):
                region = pg.LinearRegionItem((t0, t1), movable=False, brush=pg.mkBrush(0, 158, 115, 60),
                                             pen=pg.mkPen(0, 158, 115, 160))
                plot.addItem(region, ignoreBounds=True)
                self.spans.append(region)

    def _draw_similarities(self, p: MaskedPrediction) -> None:
        t = p.times[p.masked_frames] if len(p.masked_frames) else np.zeros(0)
        right = p.picked_right
        self.target_dots.setData(t, p.positive, brush=[pg.mkBrush("#009e73" if r else "#d55e00") for r in right])
        if p.negatives.size:
            k = p.negatives.shape[1]
            self.distractor_dots.setData(np.repeat(t, k), p.negatives.reshape(-1))
        else:
            self.distractor_dots.setData([], [])
        self.sim_plot.setYRange(-1.0, 1.0, padding=0.05)

    # view state: {"seed": mask seed} -------------------------------------------------------------
    def current_state(self) -> dict:
        return {"seed": self.seed_spin.value()}

    def apply_state(self, state: dict) -> dict | None:
        seed = take(state, "seed", int_in(self.seed_spin.minimum(), self.seed_spin.maximum()))
        if seed is not None:
            self.seed_spin.setValue(seed)
        return None


def _names() -> tuple[str, ...]:
    from mlsp_gui.widgets.heatmap import COLORMAPS

    return tuple(COLORMAPS)


VIEW = Wav2VecView

if __name__ == "__main__":
    run_standalone(Wav2VecView)
