"""Helpers for the main-window tests."""
from __future__ import annotations


def wait_jobs(qtbot, window, timeout: int = 60000) -> None:
    """Wait until no job of `window` is running."""
    qtbot.waitUntil(lambda: not window.ctx.jobs.running(), timeout=timeout)


def jobs_named(window, fragment: str) -> list:
    return [j for j in window.ctx.jobs.jobs() if fragment in j.name]
