"""`mlsp lesson shots`: open each lesson in a real window (offscreen unless a display is set), let
its models load and its views draw, and save a screenshot of the window per lesson."""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

SETTLE_S = 1.5          # no job for this long: the views have drawn
TIMEOUT_S = 240         # per lesson


def wait_idle(app, window, timeout: float = TIMEOUT_S) -> bool:
    """Process events until no job has run for SETTLE_S seconds (True), or `timeout` passes."""
    deadline, quiet_since = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
        if window.ctx.jobs.running():
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= SETTLE_S:
            return True
    return False


def save_shots(lessons: list, out_dir: Path, size: str = "1400x880") -> list[Path]:
    """One PNG per lesson, `NN-id.png`, in `out_dir`; returns the paths."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from engine.errors import ConfigError

    try:
        width, height = (int(v) for v in size.lower().split("x"))
    except ValueError:
        raise ConfigError(f"--size must be WIDTHxHEIGHT, e.g. 1400x880, not '{size}'.") from None
    from engine.paths import make_folder

    make_folder(out_dir, "--out")
    from mlsp_gui.app import application, create_window

    app = application()
    with tempfile.TemporaryDirectory(prefix="mlsp-shots-") as tmp:
        window = create_window(settings_dir=os.path.join(tmp, "settings"), data_dir=os.path.join(tmp, "data"),
                               open_views=[])
        window.resize(width, height)
        window.show()
        while not window.is_ready:
            app.processEvents()
            time.sleep(0.02)
        written = []
        try:
            for lesson in lessons:
                window.lessons.dock.show()
                window.lessons.dock.raise_()
                window.lessons.dock.show_lesson(lesson)
                window.lessons.open(lesson)
                wait_idle(app, window)
                path = out_dir / f"{lesson.order:02d}-{lesson.id.split('-', 1)[-1]}.png"
                window.grab().save(str(path))
                written.append(path)
        finally:
            window.close()
            app.processEvents()
    return written
