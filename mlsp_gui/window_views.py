"""The centre tabs: views discovered by `mlsp_gui.views.available_views()`, closable, re-openable
from the View menu, and remembered in the session (`session.views`), each with its state.

This is also what a script (a guided lesson) drives:

    view = window.views.open("attention_heatmap", focus=True)    # the built view, in front
    view.restore_state({"layer": 3, "head": 5})                  # or window.views.set_state(...)
    window.views.view_states()                                   # {view id: view_state()} of the open views
"""
from __future__ import annotations

import traceback

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QWidget

from mlsp_gui.context import AppContext

WELCOME = ("<h3>MLSP Explorer</h3><p>Open text, audio or images with <b>File → Open</b> (or drop files "
           "here), choose a model on the right, and open a view from the <b>View</b> menu.</p>")


def view_id_of(cls: type) -> str:
    """A view's stable id: its `view_id`, or its module's name when it kept the default."""
    vid = getattr(cls, "view_id", "view")
    return vid if vid and vid != "view" else cls.__module__.rsplit(".", 1)[-1]


class _PendingPage(QLabel):
    """What a tab holds until its view is built."""

    def __init__(self, title: str) -> None:
        super().__init__(f"Opening {title}…")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)


class ViewTabs(QObject):
    changed = Signal()                  # the open views, their order or the one in front changed

    def __init__(self, ctx: AppContext, tabs: QTabWidget, placeholder: QLabel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tabs = tabs
        self.placeholder = placeholder
        self.classes: dict[str, type] = {}
        self._open: dict[str, QWidget] = {}          # view id -> View, or _PendingPage until built
        self._states: dict[str, dict] = {}           # view id -> state to restore when the view is built
        self._adding = False
        tabs.tabCloseRequested.connect(self._close_index)
        tabs.currentChanged.connect(self._on_current_changed)
        tabs.currentChanged.connect(lambda _i: self.changed.emit())
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

    def set_open(self, ids: list[str]) -> None:
        """Open exactly `ids` (known ones, in that order) and close the others. Only the current
        tab's view is built now; the others are built when shown or by `build_pending_later`."""
        for vid in list(self._open):
            if vid not in ids:
                self.close(vid)
        for vid in ids:
            self.open(vid, build=False)
        current = self.tabs.currentWidget()
        if isinstance(current, _PendingPage):
            self._on_current_changed(self.tabs.currentIndex())
        if self.tabs.count() > 1 and self.tabs.indexOf(self.placeholder) >= 0:
            self.tabs.removeTab(self.tabs.indexOf(self.placeholder))
        self._sync_session()
        if self.pending():                 # a session opened after start-up: its other tabs, in idle time
            QTimer.singleShot(0, self.build_pending_later)

    def open(self, view_id: str, focus: bool = False, build: bool = True):
        """Open (or focus) a view's tab. With `build=False` the tab holds a light placeholder and the
        view is built when its tab is first shown, or by `build_pending_later` in idle time."""
        if view_id in self._open:
            if focus:
                self.tabs.setCurrentWidget(self._open[view_id])
            return self.view(view_id)
        cls = self.classes.get(view_id)
        if cls is None:
            return None
        page = self._build(view_id) if build else _PendingPage(cls.title)
        if page is None:
            return None
        self._open[view_id] = page
        self._adding = True
        index = self.tabs.addTab(page, cls.title)
        self._adding = False
        self.tabs.setTabToolTip(index, (cls.__doc__ or cls.title).strip().splitlines()[0])
        placeholder = self.tabs.indexOf(self.placeholder)
        if placeholder >= 0:
            self.tabs.removeTab(placeholder)
        if focus:
            self.tabs.setCurrentWidget(page)
        self._sync_session()
        parent = self.parent()
        if parent is not None and hasattr(parent, "menus"):
            parent.menus.check_view(view_id, True)
        return page if build else None

    def _build(self, view_id: str):
        """Construct a view; one that fails to build is reported (Jobs dock + notice), not fatal."""
        cls = self.classes[view_id]
        try:
            view = cls(self.ctx)
            view.on_input_changed(self.ctx.session.current)
            if view_id in self._states:
                view.restore_state(self._states.pop(view_id))
            if getattr(view, "needs", None) and not getattr(view, "own_model", False):
                from mlsp_gui.widgets.capability_gate import CapabilityGate

                view.capability_gate = CapabilityGate(view, self.ctx)
        except Exception as exc:
            self.ctx.jobs.add_failed(f"Open view {getattr(cls, 'title', view_id)}",
                                     f"{type(exc).__name__}: {exc}", traceback.format_exc())
            return None
        return view

    def view(self, view_id: str):
        """The open view `view_id` (built now if its tab still holds a placeholder), else None."""
        page = self._open.get(view_id)
        if isinstance(page, _PendingPage):
            return self._materialize(view_id)
        return page

    def _materialize(self, view_id: str):
        page = self._open[view_id]
        view = self._build(view_id)
        index = self.tabs.indexOf(page)
        was_current = self.tabs.currentIndex() == index
        self._adding = True
        self.tabs.removeTab(index)
        if view is not None:
            self._open[view_id] = view
            self.tabs.insertTab(index, view, self.classes[view_id].title)
            self.tabs.setTabToolTip(index, page.toolTip())
            if was_current:
                self.tabs.setCurrentIndex(index)
        else:
            del self._open[view_id]
        self._adding = False
        page.deleteLater()
        self._sync_session()
        return view

    def _on_current_changed(self, index: int) -> None:
        if self._adding:
            return
        page = self.tabs.widget(index)
        if isinstance(page, _PendingPage):
            for vid, p in list(self._open.items()):
                if p is page:
                    self._materialize(vid)

    def pending(self) -> list[str]:
        return [vid for vid, p in self._open.items() if isinstance(p, _PendingPage)]

    def build_pending_later(self) -> None:
        """Build the placeholder tabs' views one per event-loop turn, so the window stays responsive."""
        pending = self.pending()
        if pending:
            self._materialize(pending[0])
            QTimer.singleShot(0, self.build_pending_later)

    # view states ---------------------------------------------------------------------------------
    def view_states(self) -> dict[str, dict]:
        """{view id: view_state()} of every open view (a tab not built yet: the state it waits for)."""
        states: dict[str, dict] = {}
        for vid, page in self._open.items():
            if isinstance(page, _PendingPage):
                if vid in self._states:
                    states[vid] = dict(self._states[vid])
                continue
            try:
                states[vid] = page.view_state()
            except Exception as exc:                  # one broken view never keeps a session from saving
                self.ctx.jobs.add_failed(f"Save the state of {getattr(page, 'title', vid)}",
                                         f"{type(exc).__name__}: {exc}", traceback.format_exc())
        return states

    def restore_states(self, states: dict[str, dict]) -> None:
        """Give each view its state: built views now, the others when they are built."""
        for vid, state in states.items():
            page = self._open.get(vid)
            if page is not None and not isinstance(page, _PendingPage):
                page.restore_state(state)
            else:
                self._states[vid] = state

    def set_state(self, view_id: str, state: dict, focus: bool = False):
        """Open `view_id` (built now), restore `state` in it and return it; None for an unknown id."""
        view = self.open(view_id, focus=focus)
        if view is not None:
            view.restore_state(state)
        return view

    def close(self, view_id: str) -> None:
        self._states.pop(view_id, None)
        view = self._open.pop(view_id, None)
        if view is None:
            return
        index = self.tabs.indexOf(view)
        if index >= 0:
            self.tabs.removeTab(index)
        view.close()
        from mlsp_gui.widgets.plot_menus import release_plot_menus

        release_plot_menus(view)          # pyqtgraph's parentless menus would outlive the view
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
        """Close every tab without building any placeholder tab on the way (used on quit)."""
        self._adding = True
        try:
            for vid in list(self._open):
                self.close(vid)
        finally:
            self._adding = False

    def current_id(self) -> str:
        """The view in front ('' for the welcome page)."""
        widget = self.tabs.currentWidget()
        return next((vid for vid, page in self._open.items() if page is widget), "")

    def close_current(self) -> None:
        vid = self.current_id()
        if vid:
            self.close(vid)

    def gaps(self) -> dict[str, str]:
        """{view id: why the chosen model cannot serve it} for the views it cannot serve."""
        ref = self.ctx.session.model or "minilm"
        out = {}
        for vid, cls in self.classes.items():
            if getattr(cls, "own_model", False):
                continue
            gap = self.ctx.capabilities.unmet(getattr(cls, "needs", None), ref, tuple(getattr(cls, "needs_inputs", ())))
            if gap is not None:
                out[vid] = gap.message()
        return out

    def _sync_session(self) -> None:
        self.ctx.session.set_views(self.open_ids())
        self.changed.emit()
