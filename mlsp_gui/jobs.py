"""Background jobs: probes and model loading run on worker threads and come back as signals.

A job is a plain function `fn(state, *args) -> result`. `state.progress(fraction, message)`
reports progress and `state.cancelled()` says whether to stop early (then return None or
raise `Cancelled`). Results and errors are delivered on the GUI thread. Submitting a job
with the same `owner` as a running one cancels the old one and drops its result, so a stale
attention map never paints over a new one.
"""
from __future__ import annotations

import itertools
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from mlsp_gui import gc_guard

_ids = itertools.count(1)


class Cancelled(Exception):
    """Raised by a job function that noticed `state.cancelled()`."""


@dataclass
class JobState:
    """The small handle a job function gets: progress, status, cancel."""

    job_id: int
    _emit_progress: Callable[[int, float, str], None]
    _cancel: threading.Event = field(default_factory=threading.Event)
    _last: float = 0.0

    def progress(self, fraction: float, message: str = "") -> None:
        now = time.monotonic()
        if now - self._last >= 0.05 or fraction >= 1.0:      # throttle to 20 Hz
            self._last = now
            self._emit_progress(self.job_id, float(fraction), message)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()


@dataclass
class Job:
    """What the Jobs dock shows about one job."""

    id: int
    name: str
    owner: str | None
    state: JobState
    status: str = "running"     # running | done | failed | cancelled
    progress: float = 0.0
    message: str = ""
    error: str = ""
    traceback: str = ""         # full traceback text of a failed job (the Jobs dock shows it)
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None

    def cancel(self) -> None:
        self.state._cancel.set()


class _Signals(QObject):
    done = Signal(int, object)
    failed = Signal(int, str, str)
    progress = Signal(int, float, str)
    notice = Signal(int, str)


class _Runnable(QRunnable):
    def __init__(self, job: Job, fn: Callable, args: tuple, signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._job, self._fn, self._args, self._signals = job, fn, args, signals

    def run(self) -> None:
        from engine.notices import listening

        try:
            with listening(lambda text: self._signals.notice.emit(self._job.id, text)):
                result = self._fn(self._job.state, *self._args)
        except Cancelled:
            self._signals.done.emit(self._job.id, Cancelled())
        except Exception as exc:  # delivered to the GUI thread, never swallowed
            self._signals.failed.emit(self._job.id, _one_line(exc), traceback.format_exc())
        else:
            self._signals.done.emit(self._job.id, result)


def _one_line(exc: BaseException) -> str:
    from engine.errors import MlspError

    if isinstance(exc, MlspError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


class JobManager(QObject):
    """Runs jobs on a thread pool; every signal arrives on the GUI thread."""

    job_added = Signal(object)         # Job
    job_changed = Signal(object)       # Job (progress, status)
    job_finished = Signal(object, object)  # Job, result
    job_failed = Signal(object, str)   # Job, traceback text
    job_removed = Signal(object)       # Job (forgotten by `clear_finished`)
    job_notice = Signal(object, str)   # Job, a sentence the engine wants the user to hear (engine.notices)

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        gc_guard.install()          # workers run Python: the garbage collector must not (see gc_guard)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._jobs: dict[int, Job] = {}
        self._callbacks: dict[int, tuple[Callable | None, Callable | None]] = {}
        self._by_owner: dict[str, int] = {}
        self._signals = _Signals()
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(self._on_failed)
        self._signals.progress.connect(self._on_progress)
        self._signals.notice.connect(lambda job_id, text: self.job_notice.emit(self._jobs.get(job_id), text))

    def submit(self, name: str, fn: Callable[..., Any], *args: Any, owner: str | None = None,
               on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[str], None] | None = None) -> Job:
        """Start `fn(state, *args)` on a worker; `on_done(result)` runs on the GUI thread."""
        if owner is not None and owner in self._by_owner:
            old = self._jobs.get(self._by_owner[owner])
            if old is not None and old.status == "running":
                old.cancel()
                self._callbacks[old.id] = (None, None)     # its result is stale: drop it
        job = Job(id=next(_ids), name=name, owner=owner, state=JobState(0, self._signals.progress.emit))
        job.state.job_id = job.id
        self._jobs[job.id] = job
        self._callbacks[job.id] = (on_done, on_error)
        if owner is not None:
            self._by_owner[owner] = job.id
        self.job_added.emit(job)
        self._pool.start(_Runnable(job, fn, args, self._signals))
        return job

    def jobs(self) -> list[Job]:
        return list(self._jobs.values())

    def running(self) -> list[Job]:
        return [job for job in self._jobs.values() if job.status == "running"]

    def add_failed(self, name: str, message: str, tb: str = "") -> Job:
        """Record an error that happened outside any job (a slot, a thread) as a failed job."""
        job = Job(id=next(_ids), name=name, owner=None, state=JobState(0, self._signals.progress.emit))
        job.state.job_id = job.id
        self._jobs[job.id] = job
        self.job_added.emit(job)
        self._fail(job, message, tb)
        return job

    def clear_finished(self) -> None:
        """Forget every job that is no longer running."""
        for job in [j for j in self._jobs.values() if j.status != "running"]:
            del self._jobs[job.id]
            self.job_removed.emit(job)

    def cancel(self, job_id: int) -> None:
        job = self._jobs.get(job_id)
        if job is not None and job.status == "running":
            job.cancel()

    def cancel_all(self) -> None:
        for job in self._jobs.values():
            if job.status == "running":
                job.cancel()

    def wait(self, msecs: int = 10000) -> bool:
        """Block until every worker is idle (used on quit and in tests)."""
        return self._pool.waitForDone(msecs)

    def _finish(self, job: Job, status: str) -> None:
        job.status = status
        job.finished = time.monotonic()
        if job.owner is not None and self._by_owner.get(job.owner) == job.id:
            del self._by_owner[job.owner]

    def _on_progress(self, job_id: int, fraction: float, message: str) -> None:
        job = self._jobs.get(job_id)
        if job is not None and job.status == "running":
            job.progress, job.message = fraction, message
            self.job_changed.emit(job)

    def _on_done(self, job_id: int, result: object) -> None:
        job = self._jobs[job_id]
        on_done, _ = self._callbacks.pop(job_id, (None, None))
        if isinstance(result, Cancelled) or job.state.cancelled():
            self._finish(job, "cancelled")
            self.job_changed.emit(job)
            return
        job.progress, job.message = 1.0, ""          # "importing torch" is stale once it is done
        self._finish(job, "done")
        self.job_changed.emit(job)
        self.job_finished.emit(job, result)
        if on_done is not None:
            try:                    # a callback that raises fails its job instead of vanishing
                on_done(result)
            except Exception as exc:
                self._fail(job, _one_line(exc), traceback.format_exc())

    def _on_failed(self, job_id: int, message: str, tb: str) -> None:
        job = self._jobs[job_id]
        _, on_error = self._callbacks.pop(job_id, (None, None))
        if job.state.cancelled():
            job.error = message
            self._finish(job, "cancelled")
            self.job_changed.emit(job)
            return
        self._fail(job, message, tb)
        if on_error is not None:
            on_error(message)

    def _fail(self, job: Job, message: str, tb: str) -> None:
        job.error, job.traceback = message, tb
        self._finish(job, "failed")
        self.job_changed.emit(job)
        self.job_failed.emit(job, tb)
