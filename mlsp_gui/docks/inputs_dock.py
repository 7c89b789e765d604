"""The Inputs dock (left): every loaded text, audio and image with its kind, name and size.
Selecting a row makes it the session's current input, which every view follows."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QLabel,
    QMenu,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mlsp_gui.context import AppContext
from mlsp_gui.icons import kind_icon
from mlsp_gui.session import InputItem
from mlsp_gui.widgets.input_list_delegate import INFO_ROLE, InputListDelegate

ITEM_ROLE = Qt.ItemDataRole.UserRole
HINT = ("Open text, audio or image files with Open… (or drop them on the window), type or paste text "
        "with New text…, or record from a microphone with Record…")


class InputsDock(QDockWidget):
    """Lists `session.inputs`; remove, rename pasted text; asks the window to open or paste."""

    open_requested = Signal()
    new_text_requested = Signal()
    record_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Inputs", parent)
        self.setObjectName("InputsDock")
        self.ctx = ctx
        self._syncing = False
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(2, 2, 2, 2)
        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.addAction("Open…", self.open_requested.emit)
        self.toolbar.addAction("New text…", self.new_text_requested.emit)
        self.toolbar.addAction("Record…", self.record_requested.emit)
        self.remove_action = self.toolbar.addAction("Remove", self.remove_selected)
        self.rename_action = self.toolbar.addAction("Rename", self.rename_selected)
        self.remove_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        layout.addWidget(self.toolbar)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(1)
        self.tree.setItemDelegate(InputListDelegate(self.tree))
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.DoubleClicked)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.currentItemChanged.connect(self._on_row_changed)
        self.tree.itemChanged.connect(self._on_item_edited)
        layout.addWidget(self.tree, 1)
        self.details = QLabel(HINT)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setStyleSheet("color: #505050; padding: 2px;")
        layout.addWidget(self.details)
        self.setWidget(body)
        ctx.session.inputs_changed.connect(self.refresh)
        ctx.session.current_changed.connect(self._select)
        self.refresh()

    # model -> rows -------------------------------------------------------------------------------
    def refresh(self) -> None:
        self._syncing = True
        try:
            self.tree.clear()
            for item in self.ctx.session.inputs:
                row = QTreeWidgetItem([item.name])
                row.setIcon(0, kind_icon(item.kind))
                row.setData(0, ITEM_ROLE, item)
                row.setData(0, INFO_ROLE, item.info)
                row.setToolTip(0, f"{item.path or item.name + ' (pasted text)'}\n{item.info}")
                flags = row.flags()
                if item.path is None:
                    flags |= Qt.ItemFlag.ItemIsEditable
                row.setFlags(flags)
                self.tree.addTopLevelItem(row)
        finally:
            self._syncing = False
        self._select(self.ctx.session.current)

    def rows(self) -> list[InputItem]:
        return [self.tree.topLevelItem(i).data(0, ITEM_ROLE) for i in range(self.tree.topLevelItemCount())]

    def _row_of(self, item: InputItem | None) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            row = self.tree.topLevelItem(i)
            if row.data(0, ITEM_ROLE) is item:
                return row
        return None

    def _select(self, item: InputItem | None) -> None:
        self._syncing = True
        try:
            self.tree.setCurrentItem(self._row_of(item))
        finally:
            self._syncing = False
        self._show_details(item)
        self.remove_action.setEnabled(item is not None)
        self.rename_action.setEnabled(item is not None and item.path is None)

    def _show_details(self, item: InputItem | None) -> None:
        if item is None:                                 # nothing selected (or the last input removed)
            self.details.setText(HINT)
            return
        where = html.escape(item.path or "pasted text (kept in the session file)")
        note = html.escape(item.details.get("note") or "")
        self.details.setText(f"<b>{html.escape(item.name)}</b> — {item.kind}<br>{html.escape(item.info)}"
                             f"<br><small>{where}</small>" + (f"<br><i>{note}</i>" if note else ""))

    # rows -> model -------------------------------------------------------------------------------
    def _on_row_changed(self, row: QTreeWidgetItem | None, _old: QTreeWidgetItem | None) -> None:
        if not self._syncing and row is not None:
            self.ctx.session.set_current(row.data(0, ITEM_ROLE))

    def _on_item_edited(self, row: QTreeWidgetItem, column: int) -> None:
        if self._syncing or column != 0:
            return
        item = row.data(0, ITEM_ROLE)
        name = row.text(0).strip()
        if item is not None and name and name != item.name:
            self.ctx.session.rename_input(item, name)
        elif item is not None:
            self._syncing = True
            row.setText(0, item.name)
            self._syncing = False

    def selected(self) -> InputItem | None:
        row = self.tree.currentItem()
        return row.data(0, ITEM_ROLE) if row is not None else None

    def remove_selected(self) -> None:
        item = self.selected()
        if item is not None:
            self.ctx.session.remove_input(item)

    def rename_selected(self) -> None:
        row = self.tree.currentItem()
        if row is not None and row.data(0, ITEM_ROLE).path is None:
            self.tree.editItem(row, 0)

    def _context_menu(self, pos) -> None:
        row = self.tree.itemAt(pos)
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if row is not None:
            item = row.data(0, ITEM_ROLE)
            menu.addAction("Remove", lambda: self.ctx.session.remove_input(item))
            rename = QAction("Rename", menu)
            rename.setEnabled(item.path is None)
            rename.triggered.connect(lambda: self.tree.editItem(row, 0))
            menu.addAction(rename)
            menu.addSeparator()
        menu.addAction("Open…", self.open_requested.emit)
        menu.addAction("New text…", self.new_text_requested.emit)
        menu.popup(self.tree.viewport().mapToGlobal(pos))
