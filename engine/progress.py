"""The state handle long projections report to: progress, and a way to ask them to stop."""
from __future__ import annotations

from typing import Protocol


class Cancelled(Exception):
    """The caller asked the computation to stop (its `cancelled()` returned True)."""


class State(Protocol):
    """What a long computation is handed: the GUI's `JobState` and `NullState` both fit."""

    def progress(self, fraction: float, message: str = "") -> None: ...

    def cancelled(self) -> bool: ...


class NullState:
    """Reports nowhere and never cancels (the CLI and plain calls)."""

    def progress(self, fraction: float, message: str = "") -> None:
        pass

    def cancelled(self) -> bool:
        return False


class SubState:
    """Maps a child's 0..1 progress into [start, end] of the parent's; cancel passes through."""

    def __init__(self, parent: State, start: float, end: float) -> None:
        self.parent, self.start, self.end = parent, start, end

    def progress(self, fraction: float, message: str = "") -> None:
        f = min(max(float(fraction), 0.0), 1.0)
        self.parent.progress(self.start + (self.end - self.start) * f, message)

    def cancelled(self) -> bool:
        return self.parent.cancelled()


def check(state: State) -> None:
    """Raise Cancelled when the state says stop."""
    if state.cancelled():
        raise Cancelled()
