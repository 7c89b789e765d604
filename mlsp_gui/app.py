"""`mlsp-explorer` / `python -m mlsp_gui`: open the window.

The window is painted before torch is imported: this module, the window and the docks import
only Qt and the standard library; torch, the engine's heavy modules and the views (pyqtgraph)
load after the first paint, torch in a background job shown in the Jobs dock.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from mlsp_gui import gc_guard
from mlsp_gui.settings import APPLICATION, ORGANIZATION, AppSettings, use_settings_dir


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="mlsp-explorer", description="MLSP Explorer: the window.")
    p.add_argument("paths", nargs="*", help="text, audio or image files (or folders) to open")
    p.add_argument("--session", help="a saved session file to open")
    p.add_argument("--settings-dir", default=os.environ.get("MLSP_SETTINGS_DIR"),
                   help="keep settings in this folder instead of the user's (also MLSP_SETTINGS_DIR)")
    p.add_argument("--data-dir", help="autosave and crash-recovery folder (default: the user-data folder)")
    p.add_argument("--startup-report", action="store_true",
                   help="print when the window is first painted and when the engine is warm (diagnostics)")
    p.add_argument("--quit-after", choices=("paint", "ready", "warm"),
                   help="quit once the window is painted, its views are built, or torch is imported")
    return p.parse_args(argv)


def application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("MLSP Explorer")
    gc_guard.install()
    return app


def create_window(settings_dir: str | None = None, data_dir: str | None = None, **kwargs):
    """The application (created if needed) and a main window, not yet shown."""
    from engine.paths import user_data_dir
    from mlsp_gui.context import AppContext
    from mlsp_gui.icons import app_icon
    from mlsp_gui.window import MainWindow

    app = application()
    app.setWindowIcon(app_icon())
    use_settings_dir(settings_dir)
    settings = AppSettings()
    ctx = AppContext.create(settings=settings)
    return MainWindow(ctx, settings, data_dir or user_data_dir(), **kwargs)


def _report(what: str, window) -> None:
    loaded = [m for m in ("torch", "pyqtgraph", "transformers") if m in sys.modules]
    print(f"MLSP_STARTUP {what} {time.time():.6f} loaded={','.join(loaded) or '-'} frozen={gc.get_freeze_count()}",
          flush=True)


def _wire_startup_report(window, args: argparse.Namespace) -> None:
    quit_on = args.quit_after

    def on(what: str) -> None:
        if args.startup_report:
            _report(what, window)
        if quit_on == what:
            QTimer.singleShot(0, window.close)

    window.first_paint.painted.connect(lambda _t: on("paint"))
    window.ready.connect(lambda: on("ready"))
    window.engine_ready.connect(lambda _v: on("warm"))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = application(sys.argv[:1])
    window = create_window(args.settings_dir, args.data_dir)
    _wire_startup_report(window, args)
    if args.session or args.paths:
        def open_requested() -> None:
            if args.session:
                window.open_session(args.session)
            if args.paths:
                window.open_paths(args.paths)
        window.ready.connect(open_requested)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
