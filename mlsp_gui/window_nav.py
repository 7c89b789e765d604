"""Navigation of the main window, a mixin of MainWindow: the Views dock (topics → views), the view
palette (Ctrl+K, Ctrl+Shift+P), a list of the open views beside the tabs, the keyboard shortcuts,
and the layout remembered between launches (the dock layout, the view in front, the open topic).

Every view is reachable without the tab bar: one or two clicks in the Views dock, or a few letters
in the palette; the tab bar only holds the views open now."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QToolButton

from mlsp_gui.docks.views_dock import ViewsDock


class WindowNavigation:
    """Mixed into MainWindow (which provides ctx, settings, views, tabs, menus)."""

    def _build_navigation(self) -> None:
        self.views_dock = ViewsDock(self)
        self.navigator = self.views_dock.navigator
        self.navigator.view_activated.connect(self.show_view)
        self.navigator.group_opened.connect(self._remember_group)
        self.views.changed.connect(self._sync_navigator)
        self.ctx.session.model_changed.connect(lambda _ref: self._sync_navigator())
        self.ctx.capabilities.changed.connect(self._sync_navigator)
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        corner = QToolButton()
        corner.setText("☰")
        corner.setAutoRaise(True)
        corner.setToolTip("The open views, and Open a view… (Ctrl+K)")
        corner.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.open_views_menu = QMenu(corner)
        self.open_views_menu.aboutToShow.connect(self._fill_open_views_menu)
        corner.setMenu(self.open_views_menu)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        self.tabs_corner = corner

    def _navigation_shortcuts(self) -> None:
        """Window-wide keys (the View menu lists the main ones)."""
        for n in range(1, 10):
            QShortcut(QKeySequence(f"Ctrl+{n}"), self, activated=lambda n=n: self._tab_at(n - 1))
        QShortcut(QKeySequence("Ctrl+Tab"), self, activated=lambda: self._step_tab(1))
        QShortcut(QKeySequence("Ctrl+Shift+Tab"), self, activated=lambda: self._step_tab(-1))

    def navigation_actions(self, menu: QMenu) -> dict[str, QAction]:
        """The View menu's navigation entries (built by Menus)."""
        entries = {
            "find_view": ("&Find a view…", self.open_view_palette, [QKeySequence("Ctrl+K"), QKeySequence("Ctrl+Shift+P")]),
            "close_view": ("&Close view", self.views.close_current, [QKeySequence("Ctrl+W")]),
            "next_view": ("&Next view", lambda: self._step_tab(1), [QKeySequence("Ctrl+PgDown")]),
            "previous_view": ("&Previous view", lambda: self._step_tab(-1), [QKeySequence("Ctrl+PgUp")]),
            "focus_navigator": ("Views &navigator", self.focus_navigator, [QKeySequence("Ctrl+Shift+V")]),
        }
        actions = {}
        for key, (text, slot, keys) in entries.items():
            action = menu.addAction(text)
            action.setShortcuts(keys)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _=False, s=slot: s())
            actions[key] = action
        return actions

    # doing -----------------------------------------------------------------------------------------
    def show_view(self, view_id: str):
        """Open `view_id` (if it is not) and bring it to the front: what the navigator and palette do."""
        view = self.views.open(view_id, focus=True)
        self.menus.check_view(view_id, view_id in self.views.open_ids())
        return view

    def open_view_palette(self):
        from mlsp_gui.dialogs.view_palette import ViewPalette

        palette = ViewPalette(self.views.classes, self.views.open_ids(), self.views.gaps(), self)
        palette.view_chosen.connect(self.show_view)
        palette.finished.connect(palette.deleteLater)
        palette.open()
        palette.edit.setFocus()
        self.palette = palette
        return palette

    def focus_navigator(self) -> None:
        self.views_dock.show()
        self.views_dock.raise_()
        self.navigator.search.setFocus()
        self.navigator.search.selectAll()

    def _tab_at(self, index: int) -> None:
        if 0 <= index < self.tabs.count():
            self.tabs.setCurrentIndex(index)

    def _step_tab(self, step: int) -> None:
        if self.tabs.count():
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    def _fill_open_views_menu(self) -> None:
        menu = self.open_views_menu
        menu.clear()
        current = self.views.current_id()
        for vid in self.views.open_ids():
            action = menu.addAction(self.views.classes[vid].title)
            action.setCheckable(True)
            action.setChecked(vid == current)
            action.triggered.connect(lambda _=False, v=vid: self.show_view(v))
        menu.addSeparator()
        menu.addAction("Open a view…  (Ctrl+K)", self.open_view_palette)

    # following ---------------------------------------------------------------------------------------
    def _sync_navigator(self) -> None:
        if getattr(self, "_shut_down", False) or not getattr(self, "_nav_ready", False):
            return
        self.navigator.mark(self.views.open_ids(), self.views.current_id(), self.views.gaps())
        current = self.views.current_id()
        if current:
            self.settings.current_view = current

    def _remember_group(self, group: str) -> None:
        if group:
            self.settings.nav_group = group

    def _navigation_ready(self) -> None:
        """After discovery: fill the navigator, bring back the view in front and the open topic."""
        self.navigator.set_views(self.views.classes)
        self._nav_ready = True
        wanted = self.settings.current_view
        if wanted and wanted in self.views.open_ids():
            self.views.open(wanted, focus=True)
        group = self.settings.nav_group
        self._sync_navigator()
        if group and not self.views.current_id():
            self.navigator.open_group_named(group)
