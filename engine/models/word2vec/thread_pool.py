"""Side-by-side torch work on a few worker threads, each running its ops on one thread.

On a CPU, torch parallelises each op with OpenMP: every op ends in a barrier, which costs
little on an idle machine and a lot on a busy one (a descheduled thread stalls the other).
`parallel_map` instead runs whole pieces of work side by side: one barrier per call, not per op.
Torch releases the GIL inside ops, so the pieces really run at the same time.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import torch

_POOLS: dict[int, Any] = {}
_LOCK = threading.Lock()


def _single_thread() -> None:
    torch.set_num_threads(1)                  # this worker's OpenMP thread count (a per-thread setting)


def _pool(threads: int):
    from concurrent.futures import ThreadPoolExecutor

    with _LOCK:
        if threads not in _POOLS:
            before = torch.get_num_threads()
            pool = ThreadPoolExecutor(threads, thread_name_prefix="mlsp-worker", initializer=_single_thread)
            barrier = threading.Barrier(threads)
            list(pool.map(lambda _i: barrier.wait(), range(threads)))     # every worker started (and set up) now
            torch.set_num_threads(before)
            _POOLS[threads] = pool
        return _POOLS[threads]


def _no_grad(fn: Callable, item: Any) -> Any:
    with torch.no_grad():                     # grad mode is per thread: workers start with it on
        return fn(item)


def parallel_map(fn: Callable, items: list, threads: int) -> list:
    """[fn(item) for item in items] under no_grad, on `threads` workers (in order when threads <= 1)."""
    if threads <= 1 or len(items) <= 1:
        with torch.no_grad():
            return [fn(item) for item in items]
    pool = _pool(threads)
    before = torch.get_num_threads()
    torch.set_num_threads(1)                  # MKL's thread count is process-wide: one per worker meanwhile
    try:
        return list(pool.map(partial(_no_grad, fn), items))
    finally:
        torch.set_num_threads(before)
