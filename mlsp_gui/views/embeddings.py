"""Sentence similarity: embed a few sentences with the chosen model (minilm by default) and show
their cosine-similarity matrix and each sentence's nearest neighbour.

The sentences are the current text input's non-blank lines, or whatever is typed in the box.
The model is loaded through the ModelStore and `engine.probes.embed.embed` runs in a job; the
result (an `Embeddings` record) comes back to `show_record`, which tests call directly too.
"""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.records.embeddings import Embeddings
from mlsp_gui.errors import error_html
from mlsp_gui.evented import as_str
from mlsp_gui.views.base import View, run_standalone, take
from mlsp_gui.widgets.heatmap import HeatmapWidget

DEFAULT_MODEL = "minilm"
MAX_SENTENCES = 64
MAX_CELL_TEXT = 12          # write the value in each cell up to this many sentences
EXAMPLE = ("The cat sat on the mat.\nA kitten rested on the rug.\nStock markets fell sharply today.\n"
           "Shares dropped on Wall Street.")


def sentences_of(text: str) -> list[str]:
    """Non-blank lines, stripped, at most MAX_SENTENCES."""
    return [line.strip() for line in text.splitlines() if line.strip()][:MAX_SENTENCES]


def embeds_sentences(ref: str) -> bool:
    """Whether model `ref` gives sentence embeddings: a text model that is not word vectors
    (cheap: reads the registry, loads nothing). An unknown reference counts, so that loading it
    reports what is wrong with it."""
    from engine.contract.capabilities import Capability, InputKind
    from engine.errors import MlspError
    from engine.zoo import resolve

    try:
        mref = resolve(ref)
    except MlspError:
        return True
    return mref.can(Capability.EMBED) and InputKind.TEXT in mref.inputs


def _embed(state, model, texts: list[str], windows: bool = False) -> Embeddings:
    state.progress(0.2, f"embedding {len(texts)} sentences")
    from engine.probes.embed import embed

    return embed(model, texts, windows=windows)


def similarity_levels(sim: np.ndarray) -> tuple[float, float]:
    """The colour scale of a cosine matrix: the range of its off-diagonal values (the diagonal is
    always 1 and would squash them all into one colour)."""
    n = sim.shape[0]
    off = sim[~np.eye(n, dtype=bool)] if n > 1 else sim.ravel()
    off = off[np.isfinite(off)]
    if off.size == 0:
        return (0.0, 1.0)
    lo, hi = float(off.min()), float(off.max())
    return (lo, hi) if hi > lo + 1e-6 else (lo - 0.05, hi + 0.05)


def nearest(similarity: np.ndarray) -> list[tuple[int, int, float]]:
    """For each row i: (i, the most similar other row j, cosine). (N, N) -> N triples."""
    out = []
    for i in range(similarity.shape[0]):
        row = similarity[i].astype(np.float64).copy()
        row[i] = -np.inf
        j = int(np.argmax(row)) if row.size > 1 else i
        out.append((i, j, float(similarity[i, j])))
    return out


class EmbeddingsView(View):
    """Cosine similarity of sentence embeddings as a heatmap, with each sentence's nearest one."""

    title = "Sentence similarity"
    order = 10
    group = "Text & embeddings"
    view_id = "embeddings"
    needs = "embed"
    own_model = True                     # falls back to a model of its own: never gated by the chosen one
    needs_inputs = ("text",)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.record: Embeddings | None = None
        self.similarity: np.ndarray | None = None
        self._cell_text: list[pg.TextItem] = []
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(QLabel("Sentences (one per line):"))
        self.editor = QPlainTextEdit(EXAMPLE)
        self.editor.setPlaceholderText("Type sentences here, one per line, or select a text input.")
        column.addWidget(self.editor, 2)
        buttons = QHBoxLayout()
        self.from_input_button = QPushButton("Use current input")
        self.from_input_button.setToolTip("Fill the box with the current text input's lines")
        self.from_input_button.clicked.connect(lambda: self.on_input_changed(self.ctx.session.current))
        self.embed_button = QPushButton("Embed  ▶")
        self.embed_button.setToolTip("Embed the sentences with the chosen model (Ctrl+Return)")
        self.embed_button.clicked.connect(self.run)
        buttons.addWidget(self.from_input_button)
        buttons.addWidget(self.embed_button)
        column.addLayout(buttons)
        self.windows_box = QCheckBox("Embed long lines whole (mean over windows)")
        self.windows_box.setToolTip("A line longer than the model's token limit (256 for MiniLM) is otherwise cut to "
                                    "its first tokens; with this, it is the mean of its windows of that many tokens")
        column.addWidget(self.windows_box)
        self.status = QLabel()
        self.status.setWordWrap(True)
        column.addWidget(self.status)
        self.neighbours = QTreeWidget()
        self.neighbours.setHeaderLabels(["Sentence", "Nearest", "cos"])
        self.neighbours.setRootIsDecorated(False)
        header = self.neighbours.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        column.addWidget(self.neighbours, 3)
        self.heatmap = HeatmapWidget(self, row_name="sentence", col_name="sentence",
                                     value_name="cosine similarity", signed=False, rotate_cols=True)
        self.heatmap.hovered.connect(self._hover_tip)
        self.heatmap.set_empty_text("Press Embed ▶ (Ctrl+Return) to compare the sentences on the left: "
                                    "each cell is the cosine similarity of two sentence embeddings.")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.heatmap)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([380, 620])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.run)
        self._show_model()

    # hooks --------------------------------------------------------------------------------------
    def model_ref(self) -> str:
        """The window's model when it can embed sentences, else minilm (word2vec gives word vectors)."""
        ref = self.ctx.session.model
        return ref if ref and embeds_sentences(ref) else DEFAULT_MODEL

    def on_model_changed(self, ref: str) -> None:
        self._show_model()

    def on_input_changed(self, item) -> None:
        if item is not None and item.kind == "text" and item.text:
            lines = sentences_of(item.text)
            if lines:
                self.editor.setPlainText("\n".join(lines))

    def _show_model(self) -> None:
        chosen, used = self.ctx.session.model, self.model_ref()
        why = (f" ({html.escape(chosen)} has no sentence embeddings)" if chosen and chosen != used else "")
        self.status.setText(f"Model: <b>{html.escape(used)}</b>{why} on {self.ctx.session.device} — press Embed.")

    # view state: {"sentences": text, one per line} ----------------------------------------------------
    def current_state(self) -> dict:
        return {"sentences": self.editor.toPlainText()}

    def apply_state(self, state: dict) -> dict | None:
        text = take(state, "sentences", as_str)
        if text is not None and text != self.editor.toPlainText():
            self.editor.setPlainText(text)
            if self.record is not None and len(self.sentences()) >= 2:
                self.run()                                # what is drawn follows the new sentences
        return None

    # running ------------------------------------------------------------------------------------
    def sentences(self) -> list[str]:
        return sentences_of(self.editor.toPlainText())

    def run(self) -> None:
        texts = self.sentences()
        if len(texts) < 2:
            self.ctx.notify("warning", "Sentence similarity needs at least two sentences, one per line.")
            return
        ref, device = self.model_ref(), self.ctx.session.device
        self.status.setText(f"Loading <b>{ref}</b>…")
        self.ctx.models.get(ref, device, lambda model: self._submit(model, texts))

    def _submit(self, model, texts: list[str]) -> None:
        self.status.setText(f"Embedding {len(texts)} sentences with <b>{model.name}</b>…")
        self.ctx.jobs.submit(f"Embed {len(texts)} sentences with {model.name}", _embed, model, texts,
                             self.windows_box.isChecked(),
                             owner=f"view:{self.view_id}:{id(self)}", on_done=self.show_record,
                             on_error=lambda msg: self.status.setText(error_html(msg)))

    # drawing ------------------------------------------------------------------------------------
    def show_record(self, record: Embeddings) -> None:
        """Draw an `Embeddings` record: the (N, N) cosine matrix and the nearest-sentence list."""
        self.record = record
        self.similarity = record.cosine_similarity()
        labels = [f"{i + 1} {text}" for i, text in enumerate(record.labels)]
        self.levels = similarity_levels(self.similarity)
        self.heatmap.set_data(self.similarity, labels, labels, levels=self.levels)
        self._write_cells(self.similarity)
        self.neighbours.clear()
        for i, j, cos in nearest(self.similarity):
            row = QTreeWidgetItem([labels[i], labels[j], f"{cos:.3f}"])
            row.setToolTip(0, record.labels[i])
            row.setToolTip(1, record.labels[j])
            self.neighbours.addTopLevelItem(row)
        lo, hi = self.levels
        text = (f"{len(record.labels)} sentences · {record.dim}-d vectors · model <b>{record.model or self.model_ref()}</b>"
                f"<br><small>colours span {lo:.2f} – {hi:.2f} (the off-diagonal range; the diagonal is 1)</small>")
        if record.note:
            text += f"<br><span style='color:#8a5a00'>⚠ {html.escape(record.note)}</span>"
        self.status.setText(text)

    def _hover_tip(self, row: int, col: int, value: float) -> None:
        """The whole sentences of the cell under the pointer, as a tooltip (the axes shorten them)."""
        if self.record is None or row < 0:
            self.heatmap.view.setToolTip("")
            return
        labels = self.record.labels
        self.heatmap.view.setToolTip(f"{row + 1}: {labels[row]}\n{col + 1}: {labels[col]}\ncosine {value:.3f}")

    def _write_cells(self, sim: np.ndarray) -> None:
        for item in self._cell_text:
            self.heatmap.plot.removeItem(item)
        self._cell_text = []
        if sim.shape[0] > MAX_CELL_TEXT:
            return
        lo, hi = getattr(self, "levels", (-1.0, 1.0))
        for (r, c), value in np.ndenumerate(sim):
            color = "#ffffff" if (value - lo) / max(hi - lo, 1e-9) < 0.55 else "#000000"     # viridis is dark below
            item = pg.TextItem(f"{value:.2f}", color=color, anchor=(0.5, 0.5))
            item.setPos(c, r)
            self.heatmap.plot.addItem(item)
            self._cell_text.append(item)


VIEW = EmbeddingsView

if __name__ == "__main__":
    run_standalone(EmbeddingsView)
