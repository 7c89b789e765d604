"""A layout that places its widgets left to right and wraps them onto new lines when the width
runs out (Qt's "flow layout" example, as a small QLayout). Widgets keep their size hints, so a
row of token buttons never squeezes a word to a few clipped letters."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 3) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    # QLayout's item list --------------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:                    # noqa: N802 (Qt API)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:              # noqa: N802 (Qt API)
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:              # noqa: N802 (Qt API)
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    # sizes ------------------------------------------------------------------------------------------
    def expandingDirections(self) -> Qt.Orientation:                 # noqa: N802 (Qt API)
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:                             # noqa: N802 (Qt API)
        return True

    def heightForWidth(self, width: int) -> int:                     # noqa: N802 (Qt API)
        return self._arrange(QRect(0, 0, width, 0), place=False)

    def sizeHint(self) -> QSize:                                     # noqa: N802 (Qt API)
        return self.minimumSize()

    def minimumSize(self) -> QSize:                                  # noqa: N802 (Qt API)
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def setGeometry(self, rect: QRect) -> None:                      # noqa: N802 (Qt API)
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    def _arrange(self, rect: QRect, place: bool) -> int:
        """Lay the items out in `rect` (moving them when `place`), each centred on its line's height;
        returns the height the lines take."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        lines: list[list[tuple[QLayoutItem, int, QSize]]] = [[]]
        x = area.x()
        for item in self._items:
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            if lines[-1] and x + hint.width() > area.right() + 1:
                lines.append([])
                x = area.x()
            lines[-1].append((item, x, hint))
            x += hint.width() + self._gap
        y = area.y()
        for line in lines:
            height = max((hint.height() for _, _, hint in line), default=0)
            if place:
                for item, left, hint in line:
                    item.setGeometry(QRect(QPoint(left, y + (height - hint.height()) // 2), hint))
            y += height + self._gap
        return max(y - self._gap, area.y()) - rect.y() + m.bottom()
