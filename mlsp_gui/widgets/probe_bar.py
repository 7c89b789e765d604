"""The row above every attention view: which model and text, sentence B, tokens to generate, status."""
from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget


class ProbeBar(QWidget):
    """Shows what is probed and edits the options every attention view shares (an AttentionOptions,
    mlsp_gui/attention_options.py): it writes them and follows them, whoever changes them."""

    sample_requested = Signal()

    def __init__(self, options, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.options = options
        self.source_label = QLabel("")
        self.source_label.setWordWrap(True)            # a narrow window wraps it rather than cutting it off
        self.pair_edit = QLineEdit()
        self.pair_edit.setPlaceholderText("Sentence B (optional, BERT-family pairs)")
        self.pair_edit.setToolTip("A second sentence: the model sees [CLS] A [SEP] B [SEP]; "
                                  "the head view then filters A→A, A→B, B→A, B→B")
        self.pair_edit.setClearButtonEnabled(True)
        self.generate_spin = QSpinBox()
        self.generate_spin.setRange(0, 64)
        self.generate_spin.setPrefix("generate ")
        self.generate_spin.setSuffix(" tokens")
        self.generate_spin.setToolTip("Causal models (GPT-2 style): continue the text and show the "
                                      "attention of the generated tokens too")
        self.sample_button = QPushButton("Use the sample sentence")
        self.sample_button.setToolTip("Add a sample text to the inputs and probe it")
        self.status_label = QLabel("")
        self.status_label.setStyleSheet("color: #555;")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.source_label, 2)
        row.addWidget(self.sample_button)
        row.addWidget(self.pair_edit, 1)
        row.addWidget(self.generate_spin)
        row.addWidget(self.status_label)
        self.pair_edit.editingFinished.connect(lambda: self.options.set_pair(self.pair_edit.text()))
        self.generate_spin.valueChanged.connect(self.options.set_generate)
        self.sample_button.clicked.connect(self.sample_requested)
        options.pair_changed.connect(self._show_pair)
        options.generate_changed.connect(self._show_generate)
        self._show_pair(options.pair)
        self._show_generate(options.generate)

    def _show_pair(self, text: str) -> None:
        if self.pair_edit.text() != text and not self.pair_edit.hasFocus():
            self.pair_edit.setText(text)

    def _show_generate(self, n: int) -> None:
        if self.generate_spin.value() != n:
            self.generate_spin.setValue(n)

    def set_source(self, model: str, text: str | None, kinds: tuple[str, ...] = ("text",)) -> None:
        """Say what is probed (`text`: the text, or the name of an audio/image input); with nothing
        the model can read, say what it takes, offering the sample sentence to text models."""
        wants_text = "text" in kinds or "source-target" in kinds
        if text is None:
            want = "text" if wants_text else " or ".join(k for k in kinds if k in ("audio", "image")) or kinds[0]
            how = "open or type one in Inputs, or" if wants_text else "open or record one in Inputs"
            self.source_label.setText(f"<b>{html.escape(model)}</b> · no {html.escape(want)} input: {how}")
        else:
            shown = text if len(text) <= 40 else text[:39] + "…"
            self.source_label.setText(f"<b>{html.escape(model)}</b> · “{html.escape(shown)}”")
        self.sample_button.setVisible(text is None and wants_text)

    GENERATE_TIP = "Causal models (GPT-2 style): continue the text and show the attention of the generated tokens too"

    def set_generate_gap(self, gap) -> None:
        """`gap` (mlsp_gui.capabilities.Gap) when the chosen model cannot generate: the box is
        disabled and says which models can; None enables it."""
        self.generate_spin.setEnabled(gap is None)
        self.generate_spin.setToolTip(self.GENERATE_TIP if gap is None else gap.message())

    def set_status(self, text: str) -> None:
        self.status_label.setText(text)
