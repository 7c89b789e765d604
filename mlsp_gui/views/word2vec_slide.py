"""The lecture's word2vec slide with a model's real numbers: pick a word and see

    input x (1 x V, one-hot)  x  W1 (V x N)  =  hidden h (1 x N)  ->  h x W2 (N x V)  ->  softmax (1 x V)

The one-hot strip and W1 zoom to the picked word (its 1 and its row are outlined; wheel/drag to
explore, "A" resets), h is that row, W2 is drawn whole, and the output softmax over the
vocabulary is shown as a strip and as a bar chart of its most probable words. The record is an
`engine.records.words.Word2VecSlide` from `engine.probes.word_vectors.slide`, computed in a job;
Export saves the picture (PNG/SVG) or the numbers (NPZ/CSV).
"""
from __future__ import annotations

import html

import numpy as np
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engine.records.words import Word2VecSlide
from mlsp_gui import export
from mlsp_gui.errors import error_html
from mlsp_gui.evented import as_str, int_in
from mlsp_gui.views._word_view import WordVectorsView
from mlsp_gui.views.base import run_standalone, take
from mlsp_gui.widgets.bar_chart import BarChart
from mlsp_gui.widgets.export_bar import ExportBar
from mlsp_gui.widgets.heatmap import HeatmapWidget

ZOOM_COLS = 40           # one-hot strip: columns shown on each side of the word
ZOOM_ROWS = 16           # W1: rows shown on each side of the word
W2_HALF = 4              # W2: word columns shown on each side of the top word (their labels fit)


def _slide(state, model, word: str, top: int) -> Word2VecSlide:
    from engine.probes.word_vectors import slide

    state.progress(0.3, f"one-hot x W1 for '{word}'")
    return slide(model, word, top)


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: 600; color: #202020;")
    # never widen a column (and no word wrap: it would make the slide as tall as every plot's size hint)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


class Word2VecSlideView(WordVectorsView):
    """one-hot x W1 = h, h x W2 -> softmax, drawn from a Word2VecSlide record."""

    title = "word2vec slide"
    order = 42
    group = "Text & embeddings"
    view_id = "word2vec_slide"

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.record: Word2VecSlide | None = None
        self.pending: str | None = None
        self.bar.model_ready.connect(lambda _m: self.run() if self.pending or self.record else None)
        self.word_edit = self.make_word_edit("king", "a word of the vocabulary", self.run)
        self.top_spin = QSpinBox()
        self.top_spin.setRange(3, 50)
        self.top_spin.setValue(12)
        self.top_spin.setPrefix("top ")
        self.top_spin.setSuffix(" words")
        self.show_button = QPushButton("Show  ▶")
        self.show_button.clicked.connect(self.run)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.slide = self._build_slide()
        self.export_bar = ExportBar(lambda: self.slide, self.export_table, ctx.notify, basename="word2vec_slide")
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Word:"))
        controls.addWidget(self.word_edit)
        controls.addWidget(self.top_spin)
        controls.addWidget(self.show_button)
        controls.addWidget(self.export_bar)
        controls.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.bar)
        layout.addLayout(controls)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.slide)
        layout.addWidget(scroll, 1)
        self.bar.follow_session(ctx.session.model)

    def _build_slide(self) -> QWidget:
        slide = QWidget()
        slide.setStyleSheet("background: white;")
        slide.setMinimumSize(720, 520)          # fits the centre of the default 1400 x 880 window: no scrolling
        self.onehot = HeatmapWidget(row_name="input", col_name="word", value_name="x", rotate_cols=True)
        self.w1 = HeatmapWidget(row_name="word", col_name="dimension", value_name="W1", signed=True, rotate_cols=False)
        self.hidden = HeatmapWidget(row_name="h", col_name="dimension", value_name="h", signed=True, rotate_cols=False)
        self.w2 = HeatmapWidget(row_name="dimension", col_name="word", value_name="W2", signed=True, rotate_cols=True)
        self.output = HeatmapWidget(row_name="output", col_name="word", value_name="p", rotate_cols=True)
        self.top_chart = BarChart("", color="#009E73")
        for strip, low, high in ((self.onehot, 100, 125), (self.output, 115, 140), (self.hidden, 84, 110),
                                 (self.top_chart, 130, 16777215), (self.w2, 150, 16777215)):
            strip.setMinimumHeight(low)
            strip.setMaximumHeight(high)
        for strip in (self.onehot, self.hidden):   # 0/1 and one row: their labels say it all
            strip.readout.hide()
        for strip in (self.onehot, self.output):   # the captions name the axis: room for the rotated words
            strip.plot.setLabel("bottom", "")
        self.captions = {k: _caption("") for k in ("onehot", "w1", "hidden", "w2", "output", "top")}
        grid = QGridLayout(slide)
        grid.setContentsMargins(6, 6, 6, 6)
        grid.setVerticalSpacing(4)
        # x across the top; W1 | h, W2 and the softmax under it | the top words, as on the lecture's slide
        grid.addWidget(self.captions["onehot"], 0, 0, 1, 3)
        grid.addWidget(self.onehot, 1, 0, 1, 3)
        grid.addWidget(self.captions["w1"], 2, 0)
        grid.addWidget(self.w1, 3, 0, 5, 1)
        grid.addWidget(self.captions["hidden"], 2, 1)
        grid.addWidget(self.hidden, 3, 1)
        grid.addWidget(self.captions["w2"], 4, 1)
        grid.addWidget(self.w2, 5, 1)
        grid.addWidget(self.captions["top"], 2, 2)
        grid.addWidget(self.top_chart, 3, 2, 3, 1)
        grid.addWidget(self.captions["output"], 6, 1, 1, 2)
        grid.addWidget(self.output, 7, 1, 1, 2)
        for row, stretch in ((1, 0), (3, 0), (5, 1), (7, 0)):
            grid.setRowStretch(row, stretch)
        for col, stretch in enumerate((4, 5, 3)):
            grid.setColumnStretch(col, stretch)
        self.captions["onehot"].setText("input x — one-hot, 1 × V   (pick a word above)")
        return slide

    # view state: {"vectors", "word", "top"} ----------------------------------------------------------
    def current_state(self) -> dict:
        return {**super().current_state(), "word": self.word_edit.text(), "top": self.top_spin.value()}

    def apply_state(self, state: dict) -> dict | None:
        word = take(state, "word", as_str)
        top = take(state, "top", int_in(self.top_spin.minimum(), self.top_spin.maximum()))
        changed = (word is not None and word != self.word_edit.text()) or (top is not None and top != self.top_spin.value())
        if word is not None:
            self.word_edit.setText(word)
        if top is not None:
            self.top_spin.setValue(top)
        super().apply_state(state)
        if changed and self.record is not None and word is not None and word.strip():
            self.run()                                    # the slide on show follows the new word
        return None

    # running ------------------------------------------------------------------------------------------
    def run(self) -> None:
        word = self.word_edit.text().strip()
        if not word:
            self.show_error("type a word of the vocabulary first.")
            return
        self.pending = word
        if self.bar.model is None:
            self.bar.load()
            return
        self.message.setText(f"computing the slide for “{html.escape(word)}”…")
        self.ctx.jobs.submit(f"word2vec slide '{word}'", _slide, self.bar.model, word, self.top_spin.value(),
                             owner=self.owner, on_done=self.show_record, on_error=self.show_error)

    def show_error(self, message: str) -> None:
        self.message.setText(error_html(message))

    def has_result(self) -> bool:
        return self.record is not None or self.pending is not None

    def first_query(self) -> None:
        self.run()

    # drawing --------------------------------------------------------------------------------------------
    def show_record(self, record: Word2VecSlide) -> None:
        """Draw the five pieces of the slide and the top words."""
        self.record, self.pending = record, None
        words, i, V, N = list(record.words), record.index, record.vocab_size, record.dim
        dims = [str(d) for d in range(N)]            # the axes label what fits; hover names every dimension
        w = html.escape(record.word)
        onehot = np.zeros((1, V), np.float32)
        onehot[0, i] = 1.0
        self.onehot.set_data(onehot, ["x"], words, levels=(0.0, 1.0))
        self.onehot.mark(col=i)
        self._zoom_x(self.onehot, i, ZOOM_COLS, V)
        self.w1.set_data(record.w1, words, dims)
        self.w1.mark(row=i)
        self.w1.plot.vb.setRange(yRange=(max(-0.5, i - ZOOM_ROWS), min(V - 0.5, i + ZOOM_ROWS)), padding=0)
        self.hidden.set_data(record.hidden[None, :], ["h"], dims, levels=self.w1.levels())
        self.w2.set_data(record.w2, dims, words)
        top_index = words.index(record.top[0].word) if record.top else -1
        self.w2.mark(col=top_index)
        if top_index >= 0:             # V columns in a few hundred pixels leave room for one label: zoom in
            self._zoom_x(self.w2, top_index, W2_HALF, V)
        self.output.set_data(record.probs[None, :], ["p"], words)
        self.output.mark(col=top_index)
        self.top_chart.set_bars([t.similarity for t in record.top], [t.word for t in record.top])
        c = self.captions
        c["onehot"].setText(f"input x — one-hot, 1 × V (V = {V}): 1 at “{w}” (#{i}), 0 elsewhere")
        c["w1"].setText(f"× W₁ — input vectors, V × N<br>({V} × {N}); row “{w}” outlined")
        c["hidden"].setText(f"= h = x·W₁ — 1 × N: the embedding<br>of “{w}” (|h| = {np.linalg.norm(record.hidden):.3g})")
        c["w2"].setText(f"× W₂ — output vectors, N × V ({N} × {V});<br>the top word’s column outlined "
                        "(scroll or drag for the others)")
        c["output"].setText("→ softmax(h·W₂) — 1 × V: the predicted context word")
        c["top"].setText(f"most probable context<br>words of “{w}”")
        for label in c.values():
            label.setToolTip(label.text().replace("<br>", " "))
        self.message.setText(f"<b>{w}</b> · model <b>{html.escape(record.model)}</b>")

    @staticmethod
    def _zoom_x(heatmap: HeatmapWidget, at: int, half: int, n: int) -> None:
        heatmap.plot.vb.setRange(xRange=(max(-0.5, at - half), min(n - 0.5, at + half)), padding=0)

    def export_table(self) -> export.ExportTable | None:
        """NPZ: W1, h, W2, scores, probs and the words; CSV: word, one-hot, score, probability."""
        r = self.record
        if r is None:
            return None
        onehot = np.zeros(r.vocab_size, np.float32)
        onehot[r.index] = 1.0
        arrays = {"words": np.array(r.words, dtype=str), "onehot": onehot, "w1": r.w1, "hidden": r.hidden,
                  "w2": r.w2, "scores": r.scores, "probs": r.probs, "word": np.array(r.word)}
        rows = ([word, float(x), float(s), float(p)] for word, x, s, p in zip(r.words, onehot, r.scores, r.probs))
        return export.ExportTable(arrays=arrays, header=["word", "onehot", "score", "probability"], rows=rows)


VIEW = Word2VecSlideView

if __name__ == "__main__":
    run_standalone(Word2VecSlideView)
