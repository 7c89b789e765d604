"""Notices: things a reader did on the user's behalf that they should hear about, without failing
(a damaged checkpoint skipped for an older one, unreadable lines of a metrics file left out,
non-finite audio samples replaced by silence).

`notice(text)` hands the sentence to the listeners of the calling thread (`listening(fn)`: the CLI
prints "mlsp CMD: note: ...", a window job shows it); with none, it goes to stderr."""
from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_local = threading.local()


def _stack() -> list[Callable[[str], None]]:
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


def notice(text: str) -> None:
    """Tell the user `text` (one sentence) through the innermost listener of this thread."""
    stack = _stack()
    if stack:
        stack[-1](text)
    else:
        print(f"note: {text}", file=sys.stderr)


@contextmanager
def listening(fn: Callable[[str], None]) -> Iterator[None]:
    """Within the block, this thread's notices go to `fn`."""
    stack = _stack()
    stack.append(fn)
    try:
        yield
    finally:
        stack.remove(fn)


@contextmanager
def collecting() -> Iterator[list[str]]:
    """Within the block, this thread's notices are appended to the yielded list."""
    found: list[str] = []
    with listening(found.append):
        yield found
