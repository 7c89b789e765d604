"""The main window: Inputs (left), Model (right), Jobs (bottom), views as centre tabs, notices
above them. It is painted before torch is imported; after the first paint it discovers the
views and starts the background jobs (imports, registry, devices)."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from mlsp_gui import startup
from mlsp_gui.context import AppContext
from mlsp_gui.docks.inputs_dock import InputsDock
from mlsp_gui.docks.jobs_dock import JobsDock
from mlsp_gui.docks.model_dock import ModelDock
from mlsp_gui.errors import ErrorReporter
from mlsp_gui.icons import app_icon
from mlsp_gui.inputs import InputLoader
from mlsp_gui.menus import Menus
from mlsp_gui.session_io import AUTOSAVE_INTERVAL_MS, Autosaver, find_crashed_session
from mlsp_gui.settings import AppSettings
from mlsp_gui.window_actions import WindowActions
from mlsp_gui.window_lessons import WindowLessons
from mlsp_gui.window_nav import WindowNavigation
from mlsp_gui.window_views import ViewTabs

CENTRE_MIN_WIDTH = 360


class MainWindow(WindowNavigation, WindowActions, QMainWindow):
    """The application window. `ready` fires when the views are built and the jobs started."""

    ready = Signal()
    engine_ready = Signal(str)          # torch version, when the warm-up job is done

    def __init__(self, ctx: AppContext, settings: AppSettings, data_dir: str | os.PathLike,
                 autosave_ms: int = AUTOSAVE_INTERVAL_MS, open_views: list[str] | None = None) -> None:
        super().__init__()
        self.ctx, self.settings = ctx, settings
        self.data_dir = Path(data_dir)
        self.session_path: Path | None = None
        self.devices: list | None = None
        self.torch_version = ""
        self._requested_views = open_views
        self._shut_down = False
        ctx.settings = settings
        ctx.notify = self.notify
        self.setWindowTitle("MLSP Explorer")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.reporter = ErrorReporter(self)
        self.reporter.reported.connect(self._on_uncaught)
        self.reporter.install()
        self.loader = InputLoader(ctx, self)
        self.loader.file_opened.connect(self._remember_recent)
        self._build_centre()
        self._build_docks()
        self._default_state = self.saveState()
        self.menus = Menus(self)
        self._navigation_shortcuts()
        self._restore_settings()
        ctx.jobs.job_failed.connect(self._on_job_failed)
        ctx.jobs.job_notice.connect(lambda job, text: self.notify("warning", text))
        self.recovered = find_crashed_session(self.data_dir)
        self.autosaver = Autosaver(ctx.session, self.data_dir, autosave_ms, self, view_states=self.views.view_states)
        self.autosaver.start()
        self.first_paint = startup.FirstPaintWatcher(self)
        self.first_paint.painted.connect(lambda _t: QTimer.singleShot(0, self._after_first_paint))
        self.is_ready = False

    # layout --------------------------------------------------------------------------------------
    def _build_centre(self) -> None:
        from mlsp_gui.widgets.notice_bar import NoticeBar

        centre = QWidget()
        # The tabs' minimum is the widest view's; without a floor of its own the centre would take it
        # from the docks (squeezing Inputs to ~120 px whenever a wide view is open, shown or not).
        centre.setMinimumWidth(CENTRE_MIN_WIDTH)
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.notices = NoticeBar()
        self.tabs = QTabWidget()
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setDocumentMode(True)
        self.placeholder = QLabel("Loading views…")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tabs.addTab(self.placeholder, "Welcome")
        layout.addWidget(self.notices)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(centre)
        self.views = ViewTabs(self.ctx, self.tabs, self.placeholder, self)
        self.engine_label = QLabel("Engine: starting…")
        self.statusBar().addPermanentWidget(self.engine_label)

    def _build_docks(self) -> None:
        self.inputs_dock = InputsDock(self.ctx, self)
        self.model_dock = ModelDock(self.ctx, self)
        self.jobs_dock = JobsDock(self.ctx, self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.inputs_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.model_dock)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.jobs_dock)
        # The side docks run the window's full height; Jobs sits under the views only.
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self._build_navigation()
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.views_dock)
        self.splitDockWidget(self.views_dock, self.inputs_dock, Qt.Orientation.Vertical)
        self.inputs_dock.open_requested.connect(self.open_files_dialog)
        self.inputs_dock.new_text_requested.connect(self.new_text_dialog)
        self.inputs_dock.record_requested.connect(self.record_dialog)
        self.model_dock.checkpoint_requested.connect(self.load_checkpoint_dialog)
        self.model_dock.run_folder_requested.connect(self.load_run_folder_dialog)
        self.model_dock.hf_folder_requested.connect(self.load_hf_folder_dialog)
        self.lessons = WindowLessons(self)

    def docks(self) -> list:
        return [self.views_dock, self.inputs_dock, self.model_dock, self.jobs_dock, self.lessons.dock]

    def reset_layout(self) -> None:
        self.restoreState(self._default_state)
        for dock in self.docks():
            dock.show()
        self._default_dock_sizes()

    def _restore_settings(self) -> None:
        s = self.settings
        if not s.geometry.isEmpty():
            self.restoreGeometry(s.geometry)
        else:
            self.resize(1400, 880)
        if not s.window_state.isEmpty():
            self.restoreState(s.window_state)
        else:
            self._default_dock_sizes()
        self.ctx.session.set_model(s.model)
        self.ctx.session.set_device(s.device)
        self.ctx.session.model_changed.connect(self._save_model)
        self.ctx.session.device_changed.connect(self._save_device)

    def _default_dock_sizes(self) -> None:
        """Docks wide enough for their toolbars and lists (asked once the window has its size: sizes
        asked for before that are lost when the first layout squeezes the docks)."""
        self.resizeDocks([self.inputs_dock, self.model_dock], [280, 330], Qt.Orientation.Horizontal)
        self.resizeDocks([self.jobs_dock], [self.jobs_dock.resting_height()], Qt.Orientation.Vertical)
        nav = self.views_dock.navigator.minimumSizeHint().height() + 24
        self.resizeDocks([self.views_dock, self.inputs_dock], [nav, max(200, self.height() - nav)], Qt.Orientation.Vertical)

    def _save_model(self, ref: str) -> None:
        self.settings.model = ref

    def _save_device(self, name: str) -> None:
        self.settings.device = name

    # after the first paint -----------------------------------------------------------------------
    def _after_first_paint(self) -> None:
        jobs = self.ctx.jobs
        jobs.submit("Read the model registry", startup.read_registry, on_done=self._on_registry)
        wanted = self._requested_views if self._requested_views is not None else self.settings.open_views
        self.views.discover(wanted)         # imports the view modules (pyqtgraph) on this thread
        self.menus.set_views(self.views.classes)
        for view_id in self.views.open_ids():
            self.menus.check_view(view_id, True)
        self._navigation_ready()
        # torch's import holds the GIL for seconds: start it once the views are built, not during.
        jobs.submit("Warm up: import torch and the engine", startup.warm_up, on_done=self._on_warm)
        jobs.submit("Find compute devices", startup.find_devices, on_done=self._on_devices)
        QTimer.singleShot(0, self.views.build_pending_later)       # the other tabs, in idle time
        self.lessons.load()
        if self.recovered is not None:
            self._offer_recovery(self.recovered)
        self.is_ready = True
        self.ready.emit()

    def _on_warm(self, version: str) -> None:
        self.torch_version = version
        startup.freeze_long_lived()
        self.engine_label.setText(f"Engine ready · torch {version}")
        self.engine_ready.emit(version)

    def _on_registry(self, specs: dict) -> None:
        self.ctx.capabilities.set_specs(specs)
        self.model_dock.set_registry(specs)
        self.menus.set_registry(specs)

    def _on_devices(self, devices: list) -> None:
        self.devices = devices
        self.model_dock.set_devices(devices)
        wanted = self.ctx.session.device
        if wanted not in self.model_dock.available_devices():
            self.notify("warning", f"The device '{wanted}' chosen last time is not available here; using Auto.")
            self.ctx.session.set_device("auto")

    def set_view_open(self, view_id: str, on: bool) -> None:
        if on:
            self.views.open(view_id)
        else:
            self.views.close(view_id)
        self.menus.check_view(view_id, view_id in self.views.open_ids())

    # notices and errors --------------------------------------------------------------------------
    def notify(self, level: str, message: str, actions=None):
        """AppContext.notify: a non-modal notice above the views (and the status bar for info)."""
        if level == "info":
            self.statusBar().showMessage(message, 8000)
        return self.notices.show_notice(level, message, actions)

    def _on_job_failed(self, job, _tb: str) -> None:
        self.notify("error", f"{job.name} failed: {job.error}")

    def _on_uncaught(self, source: str, message: str, tb: str) -> None:
        self.ctx.jobs.add_failed(source, message, tb)       # job_failed -> a notice as well

    # drag and drop -------------------------------------------------------------------------------
    @staticmethod
    def _local_paths(event) -> list[str]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._local_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if self._local_paths(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._local_paths(event)
        if paths:
            event.acceptProposedAction()
            self.open_paths(paths)

    # shutdown ------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self, wait_ms: int = 15000) -> None:
        """Save settings and the session, stop jobs, remove the hooks. Safe to call twice."""
        if self._shut_down:
            return
        self._shut_down = True
        geometry, state = self.saveGeometry(), self.saveState()
        self.hide()                         # gone at once, even while a running import is awaited
        s = self.settings
        s.geometry = geometry
        s.window_state = state
        if self.is_ready:
            s.open_views = self.views.open_ids()
        s.sync()
        self.autosaver.stop()
        self.views.close_all()              # views stop their own work (training children, timers)
        self.ctx.jobs.cancel_all()
        self.ctx.jobs.wait(wait_ms)
        self.reporter.uninstall()
