"""A row of coloured head buttons: click toggles a head, double-click shows it alone (again: all)."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

# Paul Tol's colour-blind-safe "muted" scheme plus three Okabe–Ito colours: 12 distinct hues.
HEAD_COLORS = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77",
               "#CC6677", "#882255", "#AA4499", "#E69F00", "#0072B2", "#D55E00"]


def head_colors(n: int) -> list[QColor]:
    """One colour per head (cycling past 12)."""
    return [QColor(HEAD_COLORS[h % len(HEAD_COLORS)]) for h in range(n)]


class _HeadButton(QToolButton):
    double_clicked = Signal()

    def mouseDoubleClickEvent(self, event) -> None:     # noqa: N802 (Qt API)
        self.double_clicked.emit()


class HeadPicker(QWidget):
    """Emits `heads_changed(set)` whenever the set of shown heads changes."""

    heads_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(2)
        self._row.addWidget(QLabel("heads"))
        self.buttons: list[_HeadButton] = []
        self._on: set[int] = set()
        self._before_click: tuple[int, set[int]] | None = None   # a double-click starts with a click

    def set_count(self, n: int) -> None:
        """Make `n` buttons; keeps the current choice when the count is unchanged, else shows all."""
        if n == len(self.buttons):
            return
        for b in self.buttons:
            self._row.removeWidget(b)
            b.deleteLater()
        self.buttons = []
        for h, color in enumerate(head_colors(n)):
            b = _HeadButton(self)
            b.setText(str(h))
            b.setCheckable(True)
            b.setToolTip(f"head {h}: click to show or hide, double-click to show it alone")
            b.setStyleSheet(self._style(color))
            b.clicked.connect(lambda _c=False, h=h: self.toggle(h))
            b.double_clicked.connect(lambda h=h: self.solo(h))
            self._row.addWidget(b)
            self.buttons.append(b)
        self.set_heads(set(range(n)))

    @staticmethod
    def _style(color: QColor) -> str:
        text = "white" if color.lightness() < 140 else "black"
        return (f"QToolButton {{ background: #eeeeee; color: #777; border: 2px solid {color.name()};"
                f" border-radius: 3px; min-width: 18px; }}"
                f"QToolButton:checked {{ background: {color.name()}; color: {text}; }}")

    def heads(self) -> set[int]:
        return set(self._on)

    def set_heads(self, heads: set[int]) -> None:
        heads = {h for h in heads if 0 <= h < len(self.buttons)}
        for h, b in enumerate(self.buttons):
            b.setChecked(h in heads)
        if heads != self._on:
            self._on = heads
            self.heads_changed.emit(set(heads))

    def toggle(self, head: int) -> None:
        self._before_click = (head, set(self._on))
        self.set_heads(self._on ^ {head})

    def solo(self, head: int) -> None:
        """Show only `head`; when it is already alone, show every head again."""
        before = self._on
        if self._before_click is not None and self._before_click[0] == head:
            before = self._before_click[1]          # undo the click that began this double-click
        self._before_click = None
        self.set_heads(set(range(len(self.buttons))) if before == {head} else {head})
