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
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.records.words import AnalogyResult, Neighbors, WordSimilarity
from mlsp_gui.errors import error_html
from mlsp_gui.evented import int_in
from mlsp_gui.views._word_view import WordVectorsView
from mlsp_gui.views.base import run_standalone, take
from mlsp_gui.widgets.bar_chart import BarChart

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


class WordQueriesView(WordVectorsView):
    """Neighbours, analogies and similarity of word2vec vectors."""

    title = "Word vectors"
    order = 41
    group = "Text & embeddings"
    view_id = "word_queries"

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.records: dict[str, object] = {}
        self.last: dict[str, tuple] = {}
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
        self.edits[key] = self.make_word_edit(EXAMPLES[key], placeholder, run)
        return self.edits[key]

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
        grid = QGridLayout()                 # two rows, so that each word box is wide enough to read
        for i, (key, text) in enumerate((("a", "A"), ("b", "is to  B"), ("c", "as  C"))):
            grid.addWidget(QLabel(text), i // 2, 2 * (i % 2), Qt.AlignmentFlag.AlignRight)
            grid.addWidget(self._edit(key, self.run_analogy, text.split()[-1]), i // 2, 2 * (i % 2) + 1)
        grid.addWidget(QLabel("is to  ?"), 1, 2, Qt.AlignmentFlag.AlignRight)
        button = QPushButton("Solve")
        button.clicked.connect(self.run_analogy)
        grid.addWidget(button, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        form.addLayout(grid)
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

    # view state: {"vectors", "words": {word, a, b, c, w1, w2}, "k"} ------------------------------------
    def current_state(self) -> dict:
        return {**super().current_state(), "words": {k: e.text() for k, e in self.edits.items()},
                "k": self.k_spin.value()}

    def apply_state(self, state: dict) -> dict | None:
        words = state.get("words") if isinstance(state.get("words"), dict) else {}
        changed = {k for k, text in words.items() if k in self.edits and isinstance(text, str)
                   and text != self.edits[k].text()}
        for key in changed:
            self.edits[key].setText(words[key])
        k = take(state, "k", int_in(self.k_spin.minimum(), self.k_spin.maximum()))
        if k is not None and k != self.k_spin.value():
            self.k_spin.blockSignals(True)
            self.k_spin.setValue(k)
            self.k_spin.blockSignals(False)
            changed.add("word")
        super().apply_state(state)
        runs = {"neighbors": ({"word"}, self.run_neighbors), "analogy": ({"a", "b", "c"}, self.run_analogy),
                "similarity": ({"w1", "w2"}, self.run_similarity)}
        for kind, (keys, run) in runs.items():
            if kind in self.last and keys & changed:
                run()                                     # a query on show follows its new words
        return None

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
                             owner=f"{self.owner}:{kind}", on_done=self.show_record,
                             on_error=lambda msg, k=kind: self.show_error(k, msg))

    def _on_model_ready(self, _model) -> None:
        for kind, args in list(self.last.items()):
            self._run(kind, args)

    def show_error(self, kind: str, message: str) -> None:
        self.messages[kind].setText(error_html(message))

    def has_result(self) -> bool:
        return bool(self.last)

    def first_query(self) -> None:
        """The three example queries (king; man : king :: woman : ?; paris ~ rome)."""
        self.run_neighbors()
        self.run_analogy()
        self.run_similarity()

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
            raise TypeError("the word-vectors view draws Neighbors, AnalogyResult or WordSimilarity, "
                            f"not {type(record).__name__}")
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
