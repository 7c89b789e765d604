"""What a view shows over itself when the chosen model cannot serve it: what is missing, which
models can, and a button per model to switch to it (never a view that is enabled and then fails).

It is a child of the view laid over its whole area (no view's layout changes), shown only while
`ctx.capabilities.unmet(view.needs, model)` says the model cannot."""
from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

MAX_BUTTONS = 4


class CapabilityGate(QFrame):
    def __init__(self, view: QWidget, ctx) -> None:
        super().__init__(view)
        self.view, self.ctx = view, ctx
        self.gap = None
        self.setObjectName("capabilityGate")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#capabilityGate { background: rgba(250, 250, 250, 245); }")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.label)
        self.buttons_row = QHBoxLayout()
        self.buttons_row.addStretch(1)
        self.buttons_row.addStretch(1)
        outer.addLayout(self.buttons_row)
        outer.addStretch(2)
        self.buttons: dict[str, QPushButton] = {}
        self.hide()
        view.installEventFilter(self)
        ctx.session.model_changed.connect(self.update_gate)
        ctx.capabilities.changed.connect(self.update_gate)
        self.update_gate()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:   # noqa: N802 (Qt API)
        if obj is self.view and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.view.rect())
        return False

    def update_gate(self, *_args) -> None:
        view = self.view
        ref = self.ctx.session.model or "minilm"
        self.gap = self.ctx.capabilities.unmet(getattr(view, "needs", None), ref, tuple(getattr(view, "needs_inputs", ())))
        for button in self.buttons.values():
            self.buttons_row.removeWidget(button)
            button.deleteLater()
        self.buttons.clear()
        if self.gap is None:
            self.hide()
            return
        title = html.escape(getattr(view, "title", "This view"))
        can = ", ".join(f"<b>{html.escape(m)}</b>" for m in self.gap.can) or "none of the listed models"
        self.label.setText(f"<h3>{title} needs a model that can {html.escape(self.gap.verb)}</h3>"
                           f"<p>The chosen model, <b>{html.escape(self.gap.ref)}</b>, cannot. Models that can: {can}."
                           "<br>Choose one below or in the Model dock (a run folder or hf:PATH folder that can works too).</p>")
        for model_id in self.gap.can[:MAX_BUTTONS]:
            button = QPushButton(f"Use {model_id}")
            button.clicked.connect(lambda _=False, m=model_id: self.ctx.session.set_model(m))
            self.buttons_row.insertWidget(self.buttons_row.count() - 1, button)
            self.buttons[model_id] = button
        self.setGeometry(view.rect())
        self.raise_()
        self.show()
