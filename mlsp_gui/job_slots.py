"""One job of each kind per view ("project", "search", "knn", ...): the view asks whether a kind
is running, and a new job of a kind replaces the old one (the JobManager cancels a job whose
owner submits again, so a stale result never paints over a newer one)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any


class JobSlots:
    """Submits jobs under `owner:kind` and remembers the running one of each kind."""

    def __init__(self, jobs, owner: str) -> None:
        self.jobs, self.owner = jobs, owner
        self._ids: dict[str, int] = {}

    def submit(self, kind: str, name: str, fn: Callable[..., Any], *args: Any,
               on_done: Callable[[Any], None], on_error: Callable[[str], None]):
        """Run `fn(state, *args)` as job `name`; the slot is freed before `on_done`/`on_error` run."""
        def done(result, kind=kind) -> None:
            self._ids.pop(kind, None)
            on_done(result)

        def failed(message, kind=kind) -> None:
            self._ids.pop(kind, None)
            on_error(message)

        job = self.jobs.submit(name, fn, *args, owner=f"{self.owner}:{kind}", on_done=done, on_error=failed)
        self._ids[kind] = job.id
        return job

    def running(self, *kinds: str) -> bool:
        """Whether a job of any of `kinds` (of any kind when none are named) is running."""
        return any(k in self._ids for k in kinds) if kinds else bool(self._ids)

    def id_of(self, kind: str) -> int | None:
        return self._ids.get(kind)

    def forget(self, kind: str) -> None:
        """The job of `kind` ended without calling back (cancelled)."""
        self._ids.pop(kind, None)

    def cancel(self, kind: str) -> None:
        job_id = self._ids.get(kind)
        if job_id is not None:
            self.jobs.cancel(job_id)
