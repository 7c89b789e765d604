"""Watch one run's checkpoints/ folder and emit each new *complete* checkpoint once.

A QFileSystemWatcher notices changes at once; a slow poll backs it up (watchers miss events
on some network and container file systems, and the folder may not exist yet when the run
starts). Completeness is the engine's call (`engine.training.runs.list_checkpoints` ignores
half-written folders), so a view never loads a checkpoint that is still being written.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

POLL_MS = 1000


def complete_checkpoints(run_dir: str) -> list[tuple[int, str]]:
    """(step, path) of every complete checkpoint of a run, oldest first (cheap: a folder listing)."""
    from engine.training.runs import list_checkpoints

    return [(c.step, str(c.path)) for c in list_checkpoints(Path(run_dir))]


class CheckpointWatcher(QObject):
    """Emits `checkpoint_added(run_dir, path, step)` for every checkpoint that appears in the run,
    and `checkpoints_changed(list)` with the whole (step, path) list whenever it changes
    (rotation removes old checkpoints while a run goes on)."""

    checkpoint_added = Signal(str, str, int)
    checkpoints_changed = Signal(list)

    def __init__(self, parent: QObject | None = None, poll_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self.run_dir = ""
        self._seen: set[str] = set()
        self._current: list[tuple[int, str]] = []
        self._fs = QFileSystemWatcher(self)
        self._fs.directoryChanged.connect(lambda _p: self.scan())
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self.scan)

    def watch(self, run_dir: str, announce_existing: bool = False) -> list[tuple[int, str]]:
        """Follow `run_dir`; returns the checkpoints already there (emitted only if asked)."""
        self.stop()
        self.run_dir = str(run_dir)
        existing = complete_checkpoints(self.run_dir)
        self._seen = set() if announce_existing else {p for _s, p in existing}
        self._current = existing
        self._add_paths()
        self._poll.start()
        self.scan()
        return existing

    def stop(self) -> None:
        self._poll.stop()
        watched = self._fs.directories()
        if watched:
            self._fs.removePaths(watched)
        self.run_dir = ""
        self._seen = set()
        self._current = []

    def _add_paths(self) -> None:
        for folder in (Path(self.run_dir), Path(self.run_dir) / "checkpoints"):
            if folder.is_dir() and str(folder) not in self._fs.directories():
                self._fs.addPath(str(folder))

    def scan(self) -> None:
        """Look now (also called when the trainer reports a checkpoint event)."""
        if not self.run_dir:
            return
        self._add_paths()
        try:
            found = complete_checkpoints(self.run_dir)
        except OSError:
            return
        run_dir = self.run_dir
        for step, path in found:
            if path not in self._seen and self.run_dir == run_dir:
                self._seen.add(path)
                self.checkpoint_added.emit(run_dir, path, step)
        if found != self._current and self.run_dir == run_dir:
            self._current = found
            self.checkpoints_changed.emit(list(found))
