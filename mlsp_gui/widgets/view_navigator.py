"""The Views navigator: every discovered view under its topic (`View.group`, in the order of
mlsp_gui.views.base.GROUPS), as an accordion like Orange's widget toolbox. One topic is open at a
time, so the list always fits its dock and any view is at most two clicks away (its topic, then
the view). A search box filters every topic at once. Open views are bold, the one in front is
selected, and a view the chosen model cannot serve is greyed with the models that can in its
tooltip (it still opens, and says the same inside)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

VIEW_ROLE = Qt.ItemDataRole.UserRole
GROUP_ROLE = Qt.ItemDataRole.UserRole + 1


def group_of(cls: type) -> str:
    from mlsp_gui.views.base import GROUPS

    group = getattr(cls, "group", "Other")
    return group if group in GROUPS else "Other"


def grouped(classes: dict[str, type]) -> dict[str, list[str]]:
    """{group: [view ids]} in GROUPS order, only the groups that have views; ids by (order, title)."""
    from mlsp_gui.views.base import GROUPS

    out: dict[str, list[str]] = {g: [] for g in GROUPS}
    for vid, cls in sorted(classes.items(), key=lambda kv: (getattr(kv[1], "order", 100), kv[1].title)):
        out[group_of(cls)].append(vid)
    return {g: ids for g, ids in out.items() if ids}


class ViewNavigator(QWidget):
    view_activated = Signal(str)           # a view id the user picked
    group_opened = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.classes: dict[str, type] = {}
        self.items: dict[str, QTreeWidgetItem] = {}
        self.group_items: dict[str, QTreeWidgetItem] = {}
        self._syncing = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search views  (Ctrl+K)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._activate_first_match)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(True)
        self.tree.setIndentation(12)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.itemClicked.connect(self._on_clicked)
        self.tree.itemActivated.connect(self._on_activated)
        self.tree.itemExpanded.connect(self._on_expanded)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)

    # content -------------------------------------------------------------------------------------
    def set_views(self, classes: dict[str, type]) -> None:
        opened = self.open_group()
        self.classes = dict(classes)
        self.tree.clear()
        self.items.clear()
        self.group_items.clear()
        bold = QFont()
        bold.setBold(True)
        for group, ids in grouped(self.classes).items():
            gitem = QTreeWidgetItem([f"{group}  ({len(ids)})"])
            gitem.setData(0, GROUP_ROLE, group)
            gitem.setFont(0, bold)
            gitem.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(gitem)
            self.group_items[group] = gitem
            for vid in ids:
                cls = self.classes[vid]
                item = QTreeWidgetItem([cls.title])
                item.setData(0, VIEW_ROLE, vid)
                item.setToolTip(0, (cls.__doc__ or cls.title).strip().splitlines()[0])
                gitem.addChild(item)
                self.items[vid] = item
        self.open_group_named(opened or next(iter(self.group_items), ""))
        self._fix_height()

    def _fix_height(self) -> None:
        """Tall enough for every topic plus the largest one open, so the list never scrolls."""
        rows = len(self.group_items) + max((g.childCount() for g in self.group_items.values()), default=0)
        row_h = max(self.tree.sizeHintForRow(0), self.fontMetrics().height() + 4) if self.group_items else 20
        self.tree.setMinimumHeight(rows * row_h + 2 * self.tree.frameWidth() + 4)

    def group_of_view(self, view_id: str) -> str:
        cls = self.classes.get(view_id)
        return group_of(cls) if cls is not None else ""

    # the accordion -------------------------------------------------------------------------------
    def open_group(self) -> str:
        for group, item in self.group_items.items():
            if item.isExpanded():
                return group
        return ""

    def open_group_named(self, group: str) -> None:
        item = self.group_items.get(group)
        if item is not None:
            item.setExpanded(True)            # collapses the others (_on_expanded)

    def _on_expanded(self, item: QTreeWidgetItem) -> None:
        if self._syncing or self.search.text():
            return
        self._syncing = True
        try:
            for other in self.group_items.values():
                if other is not item:
                    other.setExpanded(False)
        finally:
            self._syncing = False
        self.group_opened.emit(item.data(0, GROUP_ROLE) or "")

    def _on_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        vid = item.data(0, VIEW_ROLE)
        if vid:
            self.view_activated.emit(vid)
        elif item.data(0, GROUP_ROLE):
            item.setExpanded(not item.isExpanded())

    def _on_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        vid = item.data(0, VIEW_ROLE)
        if vid:
            self.view_activated.emit(vid)

    def click_view(self, view_id: str) -> None:
        """What a click on the view's row does (tests, the palette)."""
        self._on_clicked(self.items[view_id])

    # search --------------------------------------------------------------------------------------
    def _filter(self, text: str) -> None:
        words = text.lower().split()
        for gitem in self.group_items.values():
            shown = 0
            for i in range(gitem.childCount()):
                item = gitem.child(i)
                hay = haystack(self.classes[item.data(0, VIEW_ROLE)])
                hit = all(w in hay for w in words)
                item.setHidden(not hit)
                shown += hit
            gitem.setHidden(shown == 0)
            if words:
                gitem.setExpanded(shown > 0)
        if not words:
            self.open_group_named(self.group_of_view(self.current_view()) or next(iter(self.group_items), ""))

    def matches(self) -> list[str]:
        return [vid for vid, item in self.items.items() if not item.isHidden() and not item.parent().isHidden()]

    def _activate_first_match(self) -> None:
        found = self.matches()
        if found and self.search.text():
            self.view_activated.emit(found[0])

    # what is open, current, servable -------------------------------------------------------------
    def current_view(self) -> str:
        item = self.tree.currentItem()
        return item.data(0, VIEW_ROLE) or "" if item is not None else ""

    def mark(self, open_ids: list[str], current: str | None, gaps: dict[str, str]) -> None:
        """Bold the open views, select `current` (opening its topic), grey the ones in `gaps`."""
        for vid, item in self.items.items():
            font = item.font(0)
            font.setBold(vid in open_ids)
            item.setFont(0, font)
            gap = gaps.get(vid)
            item.setForeground(0, QBrush(QColor("#8a8a8a")) if gap else QBrush())
            cls = self.classes[vid]
            tip = (cls.__doc__ or cls.title).strip().splitlines()[0]
            item.setToolTip(0, f"{tip}\n{gap}" if gap else tip)
        if current and current in self.items and self.current_view() != current:
            self.open_group_named(self.group_of_view(current))
            self.tree.setCurrentItem(self.items[current])


def haystack(cls: type) -> str:
    """What the search looks through: title, topic, id and the first line of the docstring."""
    doc = (cls.__doc__ or "").strip().splitlines()
    return " ".join([cls.title, group_of(cls), getattr(cls, "view_id", ""), doc[0] if doc else ""]).lower()
