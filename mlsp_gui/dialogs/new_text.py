"""File → New text…: type or paste text into a new text input."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget


class NewTextDialog(QDialog):
    """Name + text; the window opens it with `open()` (it never blocks) and reads it on accept."""

    def __init__(self, default_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New text")
        self.resize(560, 380)
        form = QFormLayout()
        self.name_edit = QLineEdit(default_name)
        form.addRow("Name", self.name_edit)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setPlaceholderText("Type or paste text here. For sentence similarity, put one sentence per line.")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(self.buttons)
        self.text_edit.textChanged.connect(self._update_ok)
        self._update_ok()

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.text_edit.toPlainText().strip()))

    def values(self) -> tuple[str, str]:
        return self.name_edit.text().strip(), self.text_edit.toPlainText()
