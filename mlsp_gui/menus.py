"""The main window's menus: File, View, Models, Help. Built from the window's own methods, so
every menu entry is something a test can trigger too."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence

if TYPE_CHECKING:
    from mlsp_gui.window import MainWindow


class Menus:
    """Holds the menus and the actions other code updates (recent files, views, models)."""

    def __init__(self, w: MainWindow) -> None:
        self.w = w
        bar = w.menuBar()
        self.file = bar.addMenu("&File")
        self.view = bar.addMenu("&View")
        self.models = bar.addMenu("&Models")
        self.help = bar.addMenu("&Help")
        self.actions: dict[str, QAction] = {}
        self._build_file()
        self._build_view()
        self._build_models()
        self._build_help()

    def _add(self, menu, key: str, text: str, slot, shortcut=None) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(lambda _=False: slot())
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        self.actions[key] = action
        return action

    def _build_file(self) -> None:
        w, m = self.w, self.file
        self._add(m, "open", "&Open…", w.open_files_dialog, QKeySequence.StandardKey.Open)
        self._add(m, "open_folder", "Open &Folder…", w.open_folder_dialog, "Ctrl+Shift+O")
        self._add(m, "new_text", "&New text…", w.new_text_dialog, QKeySequence.StandardKey.New)
        self._add(m, "record", "&Record from Microphone…", w.record_dialog, "Ctrl+R")
        self.recent = m.addMenu("Open &Recent")
        m.addSeparator()
        self._add(m, "open_session", "Open &Session…", w.open_session_dialog)
        self._add(m, "save_session", "Sa&ve Session", w.save_session, QKeySequence.StandardKey.Save)
        self._add(m, "save_session_as", "Save Session &As…", w.save_session_as, QKeySequence.StandardKey.SaveAs)
        m.addSeparator()
        self._add(m, "settings", "Se&ttings…", w.settings_dialog, QKeySequence.StandardKey.Preferences)
        m.addSeparator()
        self._add(m, "quit", "&Quit", w.close, QKeySequence.StandardKey.Quit)
        self.refresh_recent()

    def refresh_recent(self) -> None:
        self.recent.clear()
        recent = self.w.settings.recent_files
        for path in recent:
            action = self.recent.addAction(Path(path).name)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self.w.open_paths([p]))
        if recent:
            self.recent.addSeparator()
            self.recent.addAction("Clear list", self._clear_recent)
        else:
            self.recent.addAction("(none yet)").setEnabled(False)

    def _clear_recent(self) -> None:
        self.w.settings.clear_recent()
        self.refresh_recent()

    def _build_view(self) -> None:
        w, m = self.w, self.view
        for dock in w.docks():
            action = dock.toggleViewAction()
            action.setText(f"{dock.windowTitle().split(' (')[0]} dock")
            m.addAction(action)
        self._add(m, "reset_layout", "&Reset layout", w.reset_layout)
        m.addSeparator()
        self.actions.update(w.navigation_actions(m))
        self.views_section = m.addSection("Views")
        self.view_actions: dict[str, QAction] = {}
        self.group_menus: dict = {}

    def set_views(self, classes: dict) -> None:
        """One checkable entry per discovered view: checked while its tab is open."""
        from mlsp_gui.widgets.view_navigator import grouped

        for menu in self.group_menus.values():
            self.view.removeAction(menu.menuAction())
        self.group_menus.clear()
        self.view_actions.clear()
        for group, ids in grouped(classes).items():          # one submenu per topic, as in the Views dock
            menu = self.group_menus[group] = self.view.addMenu(group)
            for view_id in ids:
                action = menu.addAction(classes[view_id].title)
                action.setCheckable(True)
                action.toggled.connect(lambda on, vid=view_id: self.w.set_view_open(vid, on))
                self.view_actions[view_id] = action

    def check_view(self, view_id: str, on: bool) -> None:
        action = self.view_actions.get(view_id)
        if action is not None and action.isChecked() != on:
            action.blockSignals(True)
            action.setChecked(on)
            action.blockSignals(False)

    def _build_models(self) -> None:
        w, m = self.w, self.models
        self._add(m, "load_model", "&Load chosen model", w.model_dock.load_current)
        self._add(m, "load_checkpoint", "Load &checkpoint…", w.load_checkpoint_dialog)
        self._add(m, "load_run", "Load training &run folder…", w.load_run_folder_dialog)
        self._add(m, "load_hf", "Open &HuggingFace folder (hf:PATH)…", w.load_hf_folder_dialog)
        m.addSeparator()
        self.registry_section = m.addSection("Registry")
        self.model_group = QActionGroup(m)
        self.model_actions: dict[str, QAction] = {}
        w.ctx.session.model_changed.connect(self._check_model)

    def set_registry(self, specs: dict) -> None:
        for action in self.model_actions.values():
            self.models.removeAction(action)
            self.model_group.removeAction(action)
        self.model_actions.clear()
        for spec in specs.values():
            if spec.source == "folder":
                continue
            action = self.models.addAction(f"{spec.id} — {spec.title}")
            action.setCheckable(True)
            action.setToolTip(spec.description)
            action.setChecked(spec.id == self.w.ctx.session.model)
            action.triggered.connect(lambda _=False, ref=spec.id: self.w.ctx.session.set_model(ref))
            self.model_group.addAction(action)
            self.model_actions[spec.id] = action

    def _check_model(self, ref: str) -> None:
        for model_id, action in self.model_actions.items():
            action.setChecked(model_id == ref)

    def _build_help(self) -> None:
        self._add(self.help, "about", "&About MLSP Explorer", self.w.about_dialog)
