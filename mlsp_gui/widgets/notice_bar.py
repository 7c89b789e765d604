"""Non-modal notices above the views, stacked in one place: the newest notice shows, the older
ones fold under a "+N more" button (at most MAX_NOTICES kept). Every notice can be dismissed, and
old ones expire (information after seconds, warnings and errors after a minute or two; their
errors stay in the Jobs dock). A notice with actions waits for its answer. The same message again
counts up ("×2") instead of stacking a copy. Nothing here blocks the user."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QToolButton, QVBoxLayout, QWidget

LEVELS = {  # level: (background, border, symbol)
    "info": ("#e8f1fb", "#7aa7d9", "ℹ"),
    "warning": ("#fff6dd", "#d9b25a", "⚠"),
    "error": ("#fde8e8", "#d97a7a", "✖"),
}
INFO_TIMEOUT_MS = 8000
EXPIRES_MS = {"info": INFO_TIMEOUT_MS, "warning": 45000, "error": 90000}
MAX_NOTICES = 4


class Notice(QWidget):
    """One notice row: symbol, message, action buttons, close button."""

    closed = Signal(object)

    def __init__(self, level: str, message: str,
                 actions: list[tuple[str, Callable[[], None]]] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = level if level in LEVELS else "info"
        self.message = message
        self.count = 1
        self.expiry = QTimer(self)
        self.expiry.setSingleShot(True)
        self.expiry.timeout.connect(self.dismiss)
        bg, border, symbol = LEVELS[self.level]
        self.setObjectName("notice")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"#notice {{ background: {bg}; border: 1px solid {border}; border-radius: 4px; }}"
                           "#notice QLabel { color: #202020; }")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 3, 4, 3)
        icon = QLabel(symbol)
        icon.setStyleSheet(f"color: {border}; font-weight: bold;")
        self.label = QLabel(message)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        row.addWidget(icon)
        row.addWidget(self.label, 1)
        self.buttons: dict[str, QPushButton] = {}
        for text, callback in actions or []:
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, cb=callback: self._run_action(cb))
            row.addWidget(button)
            self.buttons[text] = button
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.dismiss)
        row.addWidget(close)

    def repeat(self) -> None:
        """The same message once more: count it and start its time again."""
        self.count += 1
        self.label.setText(f"{self.message}  (×{self.count})")
        if self.expiry.interval() > 0 and not self.buttons:
            self.expiry.start()

    def _run_action(self, callback: Callable[[], None]) -> None:
        self.dismiss()
        callback()

    def dismiss(self) -> None:
        self.hide()
        self.closed.emit(self)


class NoticeBar(QWidget):
    """A column of notices; `show_notice(level, message, actions)` is what AppContext.notify calls."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(4, 4, 4, 0)
        self._layout.setSpacing(3)
        self._notices: list[Notice] = []
        self.expanded = False
        self.more_button = QToolButton()
        self.more_button.setAutoRaise(True)
        self.more_button.setToolTip("Show or fold the older notices")
        self.more_button.clicked.connect(self.toggle_expanded)
        self._layout.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignRight)
        self.setVisible(False)

    def show_notice(self, level: str, message: str,
                    actions: list[tuple[str, Callable[[], None]]] | None = None) -> Notice:
        for old in self._notices:
            if old.message == message and old.level == level and not actions and not old.buttons:
                old.repeat()
                self._notices.remove(old)
                self._notices.insert(0, old)
                self._layout.removeWidget(old)
                self._layout.insertWidget(0, old)
                self._arrange()
                return old
        notice = Notice(level, message, actions, self)
        notice.closed.connect(self._remove)
        self._notices.insert(0, notice)
        self._layout.insertWidget(0, notice)
        while len(self._notices) > MAX_NOTICES:
            self._notices[-1].dismiss()
        if not actions:
            notice.expiry.start(EXPIRES_MS[notice.level])
        self._arrange()
        return notice

    def toggle_expanded(self) -> None:
        self.expanded = not self.expanded
        self._arrange()

    def _arrange(self) -> None:
        """The newest notice on show; the others under "+N more" unless expanded."""
        for i, notice in enumerate(self._notices):
            notice.setVisible(i == 0 or self.expanded)
        older = len(self._notices) - 1
        self.more_button.setVisible(older > 0)
        self.more_button.setText("fold ▴" if self.expanded else f"+{older} more ▾")
        self.setVisible(bool(self._notices))

    def notices(self) -> list[Notice]:
        """The notices on show, newest first."""
        return list(self._notices)

    def messages(self) -> list[str]:
        return [n.message for n in self._notices]

    def clear(self) -> None:
        for notice in list(self._notices):
            notice.dismiss()

    def _remove(self, notice: Notice) -> None:
        if notice in self._notices:
            self._notices.remove(notice)
            self._layout.removeWidget(notice)
            notice.deleteLater()
        if len(self._notices) <= 1:
            self.expanded = False
        self._arrange()
