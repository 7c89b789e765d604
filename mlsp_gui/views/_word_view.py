"""The base of the views on word vectors (word_queries, word2vec_slide): the WordModelBar above
them, word boxes that complete from its vocabulary, following the session's model and a training
run's new checkpoints, and a first query when the view is first shown with nothing drawn yet."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from mlsp_gui.evented import as_str
from mlsp_gui.views.base import View, take
from mlsp_gui.widgets.word_model_bar import WordModelBar, is_word_model


class WordVectorsView(View):
    """Subclasses override `has_result()` and `first_query()`, and connect `bar.model_ready`."""

    needs = "word-vectors"
    own_model = True                     # falls back to a model of its own: never gated by the chosen one
    needs_inputs = ("text",)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.owner = f"view:{self.view_id}:{id(self)}"
        self.bar = WordModelBar(ctx, owner=self.owner)

    def make_word_edit(self, text: str, placeholder: str, on_enter: Callable[[], None]) -> QLineEdit:
        """A word box with a clear button that completes from the vocabulary; Enter runs `on_enter`."""
        edit = QLineEdit(text)
        edit.setPlaceholderText(placeholder)
        edit.setClearButtonEnabled(True)
        completer = QCompleter(self.bar.vocabulary, edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setModelSorting(QCompleter.ModelSorting.UnsortedModel)
        edit.setCompleter(completer)
        edit.returnPressed.connect(on_enter)
        return edit

    def has_result(self) -> bool:
        """Whether something is drawn or on its way (subclasses say)."""
        return True

    def first_query(self) -> None:
        """Run the example query, loading the vectors first when needed (subclasses do)."""

    # view state: the vectors queried ({"vectors": "word2vec" or a run folder}); subclasses add theirs --
    def current_state(self) -> dict:
        return {"vectors": self.bar.ref()}

    def apply_state(self, state: dict) -> dict | None:
        ref = take(state, "vectors", as_str)
        if ref and ref != self.bar.ref() and is_word_model(ref):
            self.bar.set_ref(ref)
            if self.bar.model is not None:
                self.bar.load()                           # the views repeat their queries on the new vectors
        return None

    # hooks ------------------------------------------------------------------------------------------
    def on_model_changed(self, ref: str) -> None:
        self.bar.follow_session(ref)

    def on_checkpoint(self, run_dir: str, checkpoint: str) -> None:
        self.bar.on_checkpoint(run_dir, checkpoint)

    def showEvent(self, event) -> None:              # noqa: N802 (Qt API)
        super().showEvent(event)
        if not self.has_result():                    # the vectors may already be loaded by the other view
            self.first_query()
