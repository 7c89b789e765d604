"""GUI test fixtures: private settings/data folders, and `make_main_window`, which opens the real
main window and, on teardown, closes it and FAILS if it left top-level widgets, running jobs or
live threads behind (the model is napari's `make_napari_viewer`)."""
from __future__ import annotations

import gc
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication


@pytest.fixture(autouse=True, scope="session")
def _collect_garbage_on_the_gui_thread(qapp):
    """As in the app (mlsp_gui/gc_guard.py): a test's worker threads never run the collector."""
    from mlsp_gui import gc_guard

    gc_guard.install()
    yield


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path_factory, monkeypatch):
    """No GUI test reads or writes the user's own QSettings."""
    from mlsp_gui.settings import use_settings_dir

    folder = tmp_path_factory.mktemp("qsettings")
    monkeypatch.setenv("MLSP_SETTINGS_DIR", str(folder))
    use_settings_dir(folder)
    yield folder


@dataclass
class AppDirs:
    settings: Path
    data: Path
    home: Path
    files: Path


@pytest.fixture
def app_dirs(tmp_path, monkeypatch) -> AppDirs:
    dirs = AppDirs(tmp_path / "settings", tmp_path / "data", tmp_path / "home", tmp_path / "files")
    for d in (dirs.settings, dirs.data, dirs.home, dirs.files):
        d.mkdir()
    monkeypatch.setenv("MLSP_HOME", str(dirs.home))
    monkeypatch.setenv("MLSP_RUNS", str(dirs.home / "runs"))
    monkeypatch.setenv("MLSP_SETTINGS_DIR", str(dirs.settings))
    return dirs


def _top_level_ids() -> set[int]:
    return {id(w) for w in QApplication.topLevelWidgets()}


def _flush_deletes() -> None:
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
    gc.collect()


@pytest.fixture
def make_main_window(qtbot, app_dirs):
    """`make_main_window(open_views=[], wait_ready=True, **kwargs)` -> a shown MainWindow."""
    from mlsp_gui.app import create_window

    _flush_deletes()
    before_widgets = _top_level_ids()
    before_threads = {t for t in threading.enumerate() if not isinstance(t, threading._DummyThread)}
    windows = []

    def make(open_views: list[str] | None = (), wait_ready: bool = True, **kwargs):
        views = list(open_views) if open_views is not None else None
        window = create_window(str(app_dirs.settings), str(app_dirs.data), open_views=views, **kwargs)
        windows.append(window)
        window.show()
        if wait_ready:
            qtbot.waitUntil(lambda: window.is_ready, timeout=20000)
        return window

    yield make

    problems = []
    for window in windows:
        window.close()                      # cancels every job and waits for the workers
        if not window.ctx.jobs.wait(1000):
            problems.append("the job thread pool was still busy after the window closed")
        QApplication.processEvents()        # deliver the workers' last signals
        running = [j.name for j in window.ctx.jobs.running()]
        if running:
            problems.append(f"jobs still running after close: {running}")
        window.deleteLater()
    windows.clear()
    _flush_deletes()
    leaked = [w for w in QApplication.topLevelWidgets()
              if id(w) not in before_widgets and type(w).__name__ not in ("QTipLabel",)]
    if leaked:
        problems.append(f"leaked top-level widgets: {[type(w).__name__ for w in leaked]}")
    threads = [t for t in threading.enumerate() if t.is_alive() and t not in before_threads
               and not isinstance(t, threading._DummyThread)]
    if threads:
        problems.append(f"threads still running: {[t.name for t in threads]}")
    if problems:
        pytest.fail("; ".join(problems))
