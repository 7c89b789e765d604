"""Uncaught exceptions never end the process: `sys.excepthook` (which PySide6 also calls for
exceptions raised in slots and virtual methods) and `threading.excepthook` are routed to the
GUI thread, where each one becomes a failed entry in the Jobs dock and a non-modal notice."""
from __future__ import annotations

import sys
import threading
import traceback
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal, Slot


def _one_line(exc: BaseException) -> str:
    from engine.errors import MlspError

    if isinstance(exc, MlspError):
        return str(exc)
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


class ErrorReporter(QObject):
    """Installs the hooks; `reported(source, message, traceback)` arrives on the GUI thread."""

    reported = Signal(str, str, str)
    _relay = Signal(str, str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._old_sys = None
        self._old_threading = None
        self.installed = False
        # Queued: whichever thread raised, the handlers run on the thread that owns this object.
        self._relay.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        if self.installed:
            return
        self._old_sys, self._old_threading = sys.excepthook, threading.excepthook
        sys.excepthook = self._sys_hook
        threading.excepthook = self._thread_hook
        self.installed = True

    def uninstall(self) -> None:
        """Put back the hooks found at `install` (only if nobody replaced ours since)."""
        if not self.installed:
            return
        if sys.excepthook == self._sys_hook:
            sys.excepthook = self._old_sys
        if threading.excepthook == self._thread_hook:
            threading.excepthook = self._old_threading
        self.installed = False

    def report(self, source: str, exc: BaseException) -> None:
        """Report an exception caught elsewhere (any thread)."""
        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self._relay.emit(source, _one_line(exc), tb)

    def _sys_hook(self, exc_type: type[BaseException], exc: BaseException,
                  tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt) and self._old_sys is not None:
            self._old_sys(exc_type, exc, tb)
            return
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        sys.stderr.write(text)
        where = "the window" if threading.current_thread() is threading.main_thread() else "a background thread"
        self._relay.emit(f"Error in {where}", _one_line(exc), text)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        text = "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
        sys.stderr.write(text)
        name = args.thread.name if args.thread is not None else "a thread"
        exc = args.exc_value if args.exc_value is not None else args.exc_type()
        self._relay.emit(f"Error in thread {name}", _one_line(exc), text)

    @Slot(str, str, str)
    def _deliver(self, source: str, message: str, tb: str) -> None:
        self.reported.emit(source, message, tb)


def error_html(message: str, prefix: str = "") -> str:
    """A one-line error for a status label: red, escaped (`prefix` is escaped too)."""
    import html

    return f"<span style='color:#b00020'>{html.escape(prefix + message)}</span>"
