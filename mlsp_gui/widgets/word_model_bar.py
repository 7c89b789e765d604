"""The row above the word2vec views: which word-vector model they query, its status, and the
vocabulary (a QStringListModel for completers). The model is `word2vec` (the shipped vectors),
a word2vec run folder typed or picked, or the session's model when that is a word2vec run.

Models load through the ModelStore (a job); `on_checkpoint` loads one checkpoint of the shown
run in a job and swaps it in, so the views refresh while training goes on.
"""
from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QStringListModel, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from engine.contract.capabilities import Capability
from engine.paths import same_path
from mlsp_gui.errors import error_html

DEFAULT_MODEL = "word2vec"


def is_word_model(ref: str) -> bool:
    """Whether `ref` declares word vectors (the word2vec entry, a word2vec run; cheap: no torch)."""
    if not ref:
        return False
    try:
        from engine.contract.capabilities import Capability
        from engine.zoo import resolve

        return resolve(ref).can(Capability.WORD_VECTORS)
    except Exception:                        # not a model reference at all
        return False


def _load_checkpoint(state, run_dir: str, checkpoint: str, device: str):
    state.progress(0.1, f"loading {Path(checkpoint).name}")
    from engine.loaders.word2vec import load_word2vec_checkpoint

    return load_word2vec_checkpoint(run_dir, checkpoint, device)


class WordModelBar(QWidget):
    """Model picker + status; emits `model_ready(model)` whenever (re)loaded vectors are in place."""

    model_ready = Signal(object)

    def __init__(self, ctx, owner: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.owner = ctx, owner
        self.model = None
        self.vocabulary = QStringListModel(self)
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.addItem(DEFAULT_MODEL)
        self.combo.setMinimumContentsLength(24)
        self.combo.setToolTip("word2vec (the shipped vectors) or the folder of a word2vec training run")
        self.combo.lineEdit().returnPressed.connect(self.load)
        self.combo.activated.connect(lambda _i: self.load())
        self.browse = QPushButton("Run folder…")
        self.browse.setToolTip("Query the vectors of a word2vec training run (its newest checkpoint)")
        self.browse.clicked.connect(self._pick_run)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Vectors:"))
        row.addWidget(self.combo)
        row.addWidget(self.browse)
        row.addWidget(self.status, 1)
        ctx.models.loaded.connect(self._on_store_loaded)

    def ref(self) -> str:
        return self.combo.currentText().strip() or DEFAULT_MODEL

    def set_ref(self, ref: str) -> None:
        if self.combo.findText(ref) < 0:
            self.combo.addItem(ref)
        self.combo.setCurrentText(ref)

    def follow_session(self, ref: str) -> None:
        """The session's model changed: follow it when it is a word2vec model or run."""
        if is_word_model(ref) and ref != self.ref():
            self.set_ref(ref)
            self.load()

    def load(self) -> None:
        ref, device = self.ref(), self.ctx.session.device
        if not is_word_model(ref):
            self.show_error(f"'{ref}' is not a word2vec model or run folder; pick word2vec or a word2vec run.")
            return
        self.status.setText(f"loading <b>{html.escape(ref)}</b>…")
        self.ctx.models.get(ref, device, self._ready)

    def on_checkpoint(self, run_dir: str, checkpoint: str) -> bool:
        """Reload from `checkpoint` when the shown model is that run; True when a reload started."""
        if not same_path(self.ref(), run_dir):
            return False
        ref, device = self.ref(), self.ctx.session.device
        self.status.setText(f"loading checkpoint {html.escape(Path(checkpoint).name)}…")
        self.ctx.jobs.submit(f"Load word vectors of {Path(checkpoint).name}", _load_checkpoint, run_dir, checkpoint,
                             device, owner=f"{self.owner}:checkpoint",
                             on_done=lambda m: self.ctx.models.replace(ref, device, m),
                             on_error=self.show_error)
        return True

    def show_error(self, message: str) -> None:
        self.status.setText(error_html(message))

    def _pick_run(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "word2vec run folder")
        if folder:
            self.set_ref(folder)
            self.load()

    def _on_store_loaded(self, ref: str, model) -> None:
        if ref == self.ref() and model is not self.model and model.can(Capability.WORD_VECTORS):
            self._ready(model)

    def _ready(self, model) -> None:
        if model is self.model:
            return
        self.model = model
        self.vocabulary.setStringList(list(model.words))
        step = getattr(model, "checkpoint_step", None)
        where = f" · step {step}" if step is not None else ""
        self.status.setText(f"<b>{html.escape(model.name)}</b>: {len(model.words)} words × "
                            f"{model.vectors.shape[1]} dimensions{where}")
        self.model_ready.emit(model)
