"""Word-vector queries on a word2vec model: nearest neighbours (k adjustable), analogies
("A is to B as C is to ?"), the similarity of two words, and completion from the vocabulary.

Every query runs `engine.probes.word_vectors` in a job on the chosen vectors (WordModelBar);
the record comes back to `show_record` (Neighbors, AnalogyResult or WordSimilarity), which tests
call directly. A word outside the vocabulary gives a one-line message under its form, with the
closest spellings; nothing already shown is lost. While a run trains, `on_checkpoint` reloads
its newest vectors and repeats the last queries.
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCompleter, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QSpinBox, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from engine.records.words import AnalogyResult, Neighbors, WordSimilarity
from mlsp_gui.views.base import View, run_standalone
from mlsp_gui.widgets.bar_chart import BarChart
from mlsp_gui.widgets.word_model_bar import WordModelBar

KINDS = {Neighbors: "neighbors", AnalogyResult: "analogy", WordSimilarity: "similarity"}
EXAMPLES = {"word": "king", "a": "man", "b": "king", "c": "woman", "w1": "paris", "w2": "rome"}


def _query(state, model, kind: str, args: tuple):
    """Job: one probe of engine.probes.word_vectors on `model`."""
    from engine.probes import word_vectors as wv

    state.progress(0.3, kind)
    return {"neighbors": wv.neighbors, "analogy": wv.analogy, "similarity": wv.similarity}[kind](model, *args)


def _table(headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    tree.header().setStretchLastSection(False)
    tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    return tree


class WordQueriesView(View):
    """Neighbours, analogies and similarity of word2vec vectors."""

    title = "Word vectors"
    order = 30
    view_id = "word_queries"
    modalities = ("text",)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.records: dict[str, object] = {}
        self.last: dict[str, tuple] = {}
        self.bar = WordModelBar(ctx, owner=f"view:{self.view_id}:{id(self)}")
        self.bar.model_ready.connect(self._on_model_ready)
        self.edits: dict[str, QLineEdit] = {}
        self.messages: dict[str, QLabel] = {}
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self._neighbors_box(), 3)
        column.addWidget(self._analogy_box(), 2)
        column.addWidget(self._similarity_box())
        self.chart = BarChart("cosine similarity of the neighbours")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.chart)
        splitter.setSizes([420, 580])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.bar)
        layout.addWidget(splitter, 1)
        self.bar.follow_session(ctx.session.model)

    # forms ----------------------------------------------------------------------------------------
    def _edit(self, key: str, run, placeholder: str) -> QLineEdit:
        edit = QLineEdit(EXAMPLES[key])
        edit.setPlaceholderText(placeholder)
        edit.setClearButtonEnabled(True)
        completer = QCompleter(self.bar.vocabulary, edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setModelSorting(QCompleter.ModelSorting.UnsortedModel)
        edit.setCompleter(completer)
        edit.returnPressed.connect(run)
        self.edits[key] = edit
        return edit

    def _message(self, kind: str) -> QLabel:
        label = QLabel("")
        label.setWordWrap(True)
        self.messages[kind] = label
        return label

    def _neighbors_box(self) -> QGroupBox:
        box = QGroupBox("Nearest neighbours (cosine)")
        form = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(self._edit("word", self.run_neighbors, "a word"))
        self.k_spin = QSpinBox()
        self.k_spin.setRange(1, 200)
        self.k_spin.setValue(10)
        self.k_spin.setPrefix("k = ")
        self.k_spin.valueChanged.connect(lambda _v: self.run_neighbors() if "neighbors" in self.records else None)
        row.addWidget(self.k_spin)
        button = QPushButton("Find")
        button.clicked.connect(self.run_neighbors)
        row.addWidget(button)
        form.addLayout(row)
        form.addWidget(self._message("neighbors"))
        self.neighbor_table = _table(["neighbour", "cosine"])
        form.addWidget(self.neighbor_table, 1)
        return box

    def _analogy_box(self) -> QGroupBox:
        box = QGroupBox("Analogy: A is to B as C is to ?  (B − A + C)")
        form = QVBoxLayout(box)
        row = QHBoxLayout()
        for key, text in (("a", "A"), ("b", "is to B"), ("c", "as C")):
            row.addWidget(QLabel(text))
            row.addWidget(self._edit(key, self.run_analogy, text.split()[-1]))
        button = QPushButton("Solve")
        button.clicked.connect(self.run_analogy)
        row.addWidget(button)
        form.addLayout(row)
        form.addWidget(self._message("analogy"))
        self.analogy_table = _table(["answer", "cosine"])
        form.addWidget(self.analogy_table, 1)
        return box

    def _similarity_box(self) -> QGroupBox:
        box = QGroupBox("Similarity of two words")
        form = QFormLayout(box)
        row = QHBoxLayout()
        row.addWidget(self._edit("w1", self.run_similarity, "first word"))
        row.addWidget(self._edit("w2", self.run_similarity, "second word"))
        button = QPushButton("Compare")
        button.clicked.connect(self.run_similarity)
        row.addWidget(button)
        form.addRow(row)
        self.similarity_label = QLabel("")
        form.addRow(self.similarity_label)
        form.addRow(self._message("similarity"))
        return box

    # running ----------------------------------------------------------------------------------------
    def words(self, *keys: str) -> tuple[str, ...]:
        return tuple(self.edits[k].text().strip() for k in keys)

    def run_neighbors(self) -> None:
        self._run("neighbors", (*self.words("word"), self.k_spin.value()))

    def run_analogy(self) -> None:
        self._run("analogy", (*self.words("a", "b", "c"), 5))

    def run_similarity(self) -> None:
        self._run("similarity", self.words("w1", "w2"))

    def _run(self, kind: str, args: tuple) -> None:
        if any(isinstance(a, str) and not a for a in args):
            self.show_error(kind, "type a word in every box first.")
            return
        self.last[kind] = args
        self.messages[kind].setText("…")
        if self.bar.model is None:
            self.bar.load()
            return                                   # _on_model_ready repeats the pending queries
        self.ctx.jobs.submit(f"word2vec {kind} {' '.join(map(str, args))}", _query, self.bar.model, kind, args,
                             owner=f"view:{self.view_id}:{id(self)}:{kind}", on_done=self.show_record,
                             on_error=lambda msg, k=kind: self.show_error(k, msg))

    def _on_model_ready(self, _model) -> None:
        for kind, args in list(self.last.items()):
            self._run(kind, args)

    def show_error(self, kind: str, message: str) -> None:
        self.messages[kind].setText(f"<span style='color:#b00020'>{html.escape(message)}</span>")

    # hooks ------------------------------------------------------------------------------------------
    def on_model_changed(self, ref: str) -> None:
        self.bar.follow_session(ref)

    def on_checkpoint(self, run_dir: str, checkpoint: str) -> None:
        self.bar.on_checkpoint(run_dir, checkpoint)

    def showEvent(self, event) -> None:              # noqa: N802 (Qt API)
        super().showEvent(event)
        if self.bar.model is None and not self.last:
            self.run_neighbors()

    # drawing ----------------------------------------------------------------------------------------
    def show_record(self, record) -> None:
        """Draw a Neighbors, AnalogyResult or WordSimilarity record."""
        if isinstance(record, Neighbors):
            self._fill(self.neighbor_table, record.neighbors)
            self.chart.set_bars([n.similarity for n in record.neighbors], [n.word for n in record.neighbors])
            self.chart.view.setTitle(f"cosine similarity to “{record.word}”", color="#202020", size="9pt")
            self._done("neighbors", f"{len(record.neighbors)} nearest to <b>{html.escape(record.word)}</b>")
        elif isinstance(record, AnalogyResult):
            self._fill(self.analogy_table, record.answers)
            best = record.answers[0].word if record.answers else "?"
            self._done("analogy", f"{html.escape(record.a)} : {html.escape(record.b)} :: {html.escape(record.c)} : "
                                  f"<b>{html.escape(best)}</b>")
        elif isinstance(record, WordSimilarity):
            self.similarity_label.setText(f"cos({html.escape(record.word1)}, {html.escape(record.word2)}) = "
                                          f"<b>{record.similarity:.4f}</b>")
            self._done("similarity", "")
        else:
            raise TypeError(f"the word-vectors view draws Neighbors, AnalogyResult or WordSimilarity, not {type(record).__name__}")
        self.records[KINDS[type(record)]] = record

    def _done(self, kind: str, text: str) -> None:
        self.messages[kind].setText(text)

    @staticmethod
    def _fill(tree: QTreeWidget, scores) -> None:
        tree.clear()
        for s in scores:
            tree.addTopLevelItem(QTreeWidgetItem([s.word, f"{s.similarity:.4f}"]))


VIEW = WordQueriesView

if __name__ == "__main__":
    run_standalone(WordQueriesView)
