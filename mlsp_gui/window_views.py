"""The centre tabs: views discovered by `mlsp_gui.views.available_views()`, closable, re-openable
from the View menu, and remembered in the session (`session.views`)."""
from __future__ import annotations

import traceback

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QTabWidget

from mlsp_gui.context import AppContext

WELCOME = ("<h3>MLSP Explorer</h3><p>Open text, audio or images with <b>File → Open</b> (or drop files "
           "here), choose a model on the right, and open a view from the <b>View</b> menu.</p>")


def view_id_of(cls: type) -> str:
    """A view's stable id: its `view_id`, or its module's name when it kept the default."""
    vid = getattr(cls, "view_id", "view")
    return vid if vid and vid != "view" else cls.__module__.rsplit(".", 1)[-1]


class ViewTabs(QObject):
    def __init__(self, ctx: AppContext, tabs: QTabWidget, placeholder: QLabel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tabs = tabs
        self.placeholder = placeholder
        self.classes: dict[str, type] = {}
        self._open: dict[str, object] = {}
        tabs.tabCloseRequested.connect(self._close_index)
        tabs.tabBar().tabMoved.connect(lambda _a, _b: self._sync_session())

    def discover(self, wanted: list[str] | None) -> None:
        """Find the views (imports their modules), then open `wanted` (None: all of them)."""
        from mlsp_gui.views import available_views, discovery_errors

        for cls in available_views():
            self.classes.setdefault(view_id_of(cls), cls)
        for module, tb in discovery_errors().items():
            self.ctx.jobs.add_failed(f"Load view module {module}", tb.strip().splitlines()[-1], tb)
        self.placeholder.setText(WELCOME)
        self.placeholder.setWordWrap(True)
        self.set_open(list(self.classes) if wanted is None else wanted)

    def open_ids(self) -> list[str]:
        """Open views in tab order."""
        ids = []
        for i in range(self.tabs.count()):
            widget = self.tabs.widget(i)
            ids += [vid for vid, view in self._open.items() if view is widget]
        return ids

    def view(self, view_id: str):
        return self._open.get(view_id)

    def set_open(self, ids: list[str]) -> None:
        """Open exactly `ids` (known ones, in that order) and close the others."""
        for vid in list(self._open):
            if vid not in ids:
                self.close(vid)
        for vid in ids:
            self.open(vid)
        if self.tabs.count() > 1 and self.tabs.indexOf(self.placeholder) >= 0:
            self.tabs.removeTab(self.tabs.indexOf(self.placeholder))
        self._sync_session()

    def open(self, view_id: str, focus: bool = False):
        """Open (or focus) a view's tab; a view that fails to build is reported, not fatal."""
        if view_id in self._open:
            view = self._open[view_id]
            if focus:
                self.tabs.setCurrentWidget(view)
            return view
        cls = self.classes.get(view_id)
        if cls is None:
            return None
        try:
            view = cls(self.ctx)
            view.on_input_changed(self.ctx.session.current)
        except Exception as exc:
            self.ctx.jobs.add_failed(f"Open view {getattr(cls, 'title', view_id)}",
                                     f"{type(exc).__name__}: {exc}", traceback.format_exc())
            return None
        self._open[view_id] = view
        index = self.tabs.addTab(view, cls.title)
        self.tabs.setTabToolTip(index, (cls.__doc__ or cls.title).strip().splitlines()[0])
        placeholder = self.tabs.indexOf(self.placeholder)
        if placeholder >= 0:
            self.tabs.removeTab(placeholder)
        if focus:
            self.tabs.setCurrentWidget(view)
        self._sync_session()
        return view

    def close(self, view_id: str) -> None:
        view = self._open.pop(view_id, None)
        if view is None:
            return
        index = self.tabs.indexOf(view)
        if index >= 0:
            self.tabs.removeTab(index)
        view.close()
        view.deleteLater()
        if self.tabs.count() == 0:
            self.tabs.addTab(self.placeholder, "Welcome")
        self._sync_session()
        parent = self.parent()
        if parent is not None and hasattr(parent, "menus"):
            parent.menus.check_view(view_id, False)

    def _close_index(self, index: int) -> None:
        widget = self.tabs.widget(index)
        for vid, view in list(self._open.items()):
            if view is widget:
                self.close(vid)
                return

    def close_all(self) -> None:
        for vid in list(self._open):
            self.close(vid)

    def _sync_session(self) -> None:
        self.ctx.session.set_views(self.open_ids())
