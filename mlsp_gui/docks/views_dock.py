"""The Views dock (left, above Inputs): the topic navigator (mlsp_gui/widgets/view_navigator.py)."""
from __future__ import annotations

from PySide6.QtWidgets import QDockWidget, QWidget

from mlsp_gui.widgets.view_navigator import ViewNavigator


class ViewsDock(QDockWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Views", parent)
        self.setObjectName("ViewsDock")
        self.navigator = ViewNavigator()
        self.setWidget(self.navigator)
