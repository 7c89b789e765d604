"""A grey, centred hint laid over a plot that has nothing to draw yet ("press Load …"): it follows
the plot's size and lets the mouse through."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QWidget


class EmptyHint(QLabel):
    """Shown over `host` while `show_if(True)` and it has text."""

    def __init__(self, host: QWidget, text: str = "") -> None:
        super().__init__(text, host)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setStyleSheet("color: #606060; background: transparent;")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        host.installEventFilter(self)
        self._fit()
        self.hide()

    def show_if(self, empty: bool) -> None:
        self.setVisible(empty and bool(self.text()))
        if self.isVisible():
            self.raise_()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:      # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Resize and obj is self.parentWidget():
            self._fit()
        return False

    def _fit(self) -> None:
        margin = min(40, self.parentWidget().width() // 8)
        self.setGeometry(self.parentWidget().rect().adjusted(margin, margin, -margin, -margin))
