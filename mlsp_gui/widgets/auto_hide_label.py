"""A QLabel that takes no room while it has nothing to say (a view's message or notice line: an
empty QLabel still takes a line of height, which a 1280 x 720 window cannot spare)."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel


class AutoHideLabel(QLabel):
    def __init__(self, text: str = "", parent=None) -> None:
        super().__init__(text, parent)
        self.setVisible(bool(text))

    def setText(self, text: str) -> None:                     # noqa: N802 (Qt API)
        super().setText(text)
        self.setVisible(bool(text))
