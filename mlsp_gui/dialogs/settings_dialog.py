"""Edit → Settings…: the runs folder (where training runs are written)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class SettingsDialog(QDialog):
    def __init__(self, runs_dir: str, default_runs_dir: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.resize(620, 150)
        self._default = default_runs_dir
        self.runs_edit = QLineEdit(runs_dir)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        reset = QPushButton("Default")
        reset.setToolTip(default_runs_dir)
        reset.clicked.connect(lambda: self.runs_edit.setText(self._default))
        row = QHBoxLayout()
        row.addWidget(self.runs_edit, 1)
        row.addWidget(browse)
        row.addWidget(reset)
        form = QFormLayout()
        form.addRow("Runs folder", row)
        hint = QLabel("New training runs are written here; the runs list reads it.")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addStretch(1)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Runs folder", self.runs_edit.text())
        if folder:
            self.runs_edit.setText(folder)

    def runs_dir(self) -> str:
        return self.runs_edit.text().strip() or self._default
