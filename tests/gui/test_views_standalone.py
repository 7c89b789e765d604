"""Every view opens on its own, as `python -m mlsp_gui.views.NAME` does (`run_standalone`): it is
built, shown and painted, the event loop runs, and on quit no job it started is left running."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from mlsp_gui.views import available_views, discovery_errors
from mlsp_gui.views.base import run_standalone

VIEWS = available_views()


def test_every_view_module_imports():
    assert not discovery_errors() and len(VIEWS) >= 10


@pytest.mark.parametrize("cls", VIEWS, ids=lambda c: c.view_id)
def test_view_opens_alone_and_quits_cleanly(cls, qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("MLSP_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MLSP_RUNS", str(tmp_path / "runs"))
    app = QApplication.instance()
    seen = {}

    def look_then_quit() -> None:
        windows = [w for w in app.topLevelWidgets() if isinstance(w, cls) and w.isVisible()]
        seen["view"] = windows[0] if windows else None
        if windows:
            seen["title"] = windows[0].windowTitle()
            seen["jobs"] = windows[0].ctx.jobs
            seen["painted"] = not windows[0].grab().isNull()
        app.quit()

    QTimer.singleShot(300, look_then_quit)
    # The view's window closing outside exec() would otherwise leave Qt's quit pending, and every
    # later QEventLoop (qtbot.wait, waitUntil) in this process would return at once.
    quit_on_last = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    try:
        assert run_standalone(cls) == 0
    finally:
        if seen.get("view") is not None:
            seen["view"].close()
            seen["view"].deleteLater()
            app.processEvents()
        app.setQuitOnLastWindowClosed(quit_on_last)
    assert seen["view"] is not None and seen["title"] == f"MLSP Explorer — {cls.title}" and seen["painted"]
    assert seen["jobs"].wait(0)                       # the workers are idle: cancelled and waited for on quit
    app.processEvents()                               # deliver their last signals
    assert not seen["jobs"].running()
