"""Python's cyclic garbage collector runs on the GUI thread only.

Left automatic, a collection runs on whichever thread happens to allocate when a threshold is
crossed. On a job's worker thread it can destroy Qt objects that belong to the GUI thread (the
widgets, timers and event loops of a closed view): `~QObject` takes Qt's signal-slot lock and then
waits for the GIL, while the GUI thread holds the GIL and waits for that lock in `connect`. Both
stop for good. CI hung that way for 90 minutes (py-spy: a worker in `gc_collect_main` →
`QObject::~QObject` → `GilState::acquire`; the GUI thread in `QObject::connectImpl`).

So the automatic collector is switched off and a timer on the GUI thread collects instead, with
the interpreter's own thresholds: the recipe pyqtgraph ships as `pyqtgraph.util.garbage_collector`
(credited there to Erik Janssens), here installed once per application and on by default. Full
collections are spaced by at least `FULL_EVERY_S`, as the interpreter's own heuristic spaces them.
"""
from __future__ import annotations

import gc
import time

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer

INTERVAL_MS = 200
FULL_EVERY_S = 5.0


class MainThreadCollector(QObject):
    """Owns the timer; `check()` runs one collection when the allocation counts call for it."""

    def __init__(self, app: QCoreApplication, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(app)
        self.thresholds = gc.get_threshold()
        self.collections = [0, 0, 0]          # how many of each generation this collector ran
        self._last_full = time.monotonic()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> int | None:
        """Collect the oldest generation whose count passed its threshold; returns it (or None)."""
        counts = gc.get_count()
        generation = None
        for g in range(3):
            if counts[g] > self.thresholds[g]:
                generation = g
        if generation == 2 and time.monotonic() - self._last_full < FULL_EVERY_S:
            generation = 1
        if generation is None:
            return None
        gc.collect(generation)
        self.collections[generation] += 1
        if generation == 2:
            self._last_full = time.monotonic()
        return generation

    def uninstall(self) -> None:
        self._timer.stop()
        gc.enable()


_collector: MainThreadCollector | None = None


def install() -> MainThreadCollector | None:
    """Move garbage collection to the GUI thread of the running QCoreApplication (idempotent).
    Does nothing without an application, or when called off the GUI thread."""
    global _collector
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return None
    if _collector is not None:
        try:
            if _collector.parent() is app:
                return _collector
        except RuntimeError:                 # its application was destroyed
            pass
    _collector = MainThreadCollector(app)
    return _collector


def collector() -> MainThreadCollector | None:
    return _collector
