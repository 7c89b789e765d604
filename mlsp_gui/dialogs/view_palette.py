"""The view palette (Ctrl+K or Ctrl+Shift+P): type a few letters of a view's name, topic or what
it shows, press Enter to open it — VS Code's command palette for the window's views."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from mlsp_gui.widgets.view_navigator import group_of, haystack

VIEW_ROLE = Qt.ItemDataRole.UserRole


class ViewPalette(QDialog):
    view_chosen = Signal(str)

    def __init__(self, classes: dict[str, type], open_ids: list[str], gaps: dict[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open a view")
        self.classes = classes
        layout = QVBoxLayout(self)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Type to find a view (name, topic, what it shows); Enter opens it")
        self.list = QListWidget()
        hint = QLabel("<small>↑↓ choose · Enter open · Esc close · bold: already open</small>")
        layout.addWidget(self.edit)
        layout.addWidget(self.list, 1)
        layout.addWidget(hint)
        self.open_ids, self.gaps = list(open_ids), dict(gaps)
        self.edit.textChanged.connect(self._filter)
        self.edit.returnPressed.connect(self._choose_current)
        self.list.itemActivated.connect(lambda item: self._choose(item))
        self.list.itemClicked.connect(lambda item: self._choose(item))
        self.edit.installEventFilter(self)
        self._filter("")
        self.resize(520, 420)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:   # noqa: N802 (Qt API)
        if obj is self.edit and event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._move(-1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        return False

    def visible_ids(self) -> list[str]:
        return [self.list.item(i).data(VIEW_ROLE) for i in range(self.list.count()) if not self.list.item(i).isHidden()]

    def _filter(self, text: str) -> None:
        """Rebuild the list: the views whose text has every typed word, title matches first."""
        words = text.lower().split()
        ranked = []
        for vid, cls in self.classes.items():
            if all(w in haystack(cls) for w in words):
                title = cls.title.lower()
                rank = 0 if words and title.startswith(words[0]) else 1 if all(w in title for w in words) else 2
                ranked.append((rank if words else 0, group_of(cls), cls.order, cls.title, vid))
        self.list.clear()
        for *_key, vid in sorted(ranked):
            cls = self.classes[vid]
            label = f"{cls.title}   —   {group_of(cls)}" + ("   (needs another model)" if vid in self.gaps else "")
            item = QListWidgetItem(label)
            item.setData(VIEW_ROLE, vid)
            item.setToolTip(self.gaps.get(vid, (cls.__doc__ or cls.title).strip().splitlines()[0]))
            if vid in self.open_ids:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _move(self, step: int) -> None:
        rows = [i for i in range(self.list.count()) if not self.list.item(i).isHidden()]
        if not rows:
            return
        row = self.list.currentRow()
        pos = rows.index(row) if row in rows else -1
        self.list.setCurrentRow(rows[max(0, min(len(rows) - 1, pos + step))])

    def _choose_current(self) -> None:
        item = self.list.currentItem()
        if item is not None and not item.isHidden():
            self._choose(item)

    def _choose(self, item: QListWidgetItem) -> None:
        self.view_chosen.emit(item.data(VIEW_ROLE))
        self.accept()
