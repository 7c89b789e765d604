"""Garbage is collected on the GUI thread only (mlsp_gui/gc_guard.py): a worker thread that
allocates past every threshold must not run the collector, because collecting there can destroy
the GUI thread's Qt objects and deadlock (CI hung for 90 minutes on exactly that)."""
import gc
import threading

from mlsp_gui import gc_guard
from mlsp_gui.jobs import JobManager


class _Cycle:
    """A reference cycle whose finalizer records the thread that collected it."""

    def __init__(self, seen: list) -> None:
        self.me, self.seen = self, seen

    def __del__(self) -> None:
        self.seen.append(threading.current_thread() is threading.main_thread())


def test_a_job_manager_moves_collection_to_the_gui_thread(qapp):
    JobManager()
    assert gc_guard.collector() is not None and gc_guard.collector().parent() is qapp
    assert not gc.isenabled()
    assert gc_guard.install() is gc_guard.collector()         # once per application


def test_garbage_made_while_a_worker_allocates_is_collected_on_the_gui_thread(qtbot, qapp):
    collector = gc_guard.install()
    gc.collect()
    seen: list[bool] = []
    _Cycle(seen)                                              # garbage, waiting in generation 0
    kept: list = []

    def allocate() -> None:                                   # far past the thresholds (700, 10, 10)
        kept.extend([[] for _ in range(7 * gc.get_threshold()[0] * 110)])

    worker = threading.Thread(target=allocate)
    worker.start()
    worker.join()
    assert seen == []                                         # the worker collected nothing
    before = list(collector.collections)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [True]
    assert sum(collector.collections) > sum(before)


def test_check_collects_the_oldest_generation_due(qapp):
    collector = gc_guard.install()
    gc.collect()
    assert collector.check() is None                          # nothing due right after a collection
    junk = [[] for _ in range(collector.thresholds[0] + 100)]
    assert collector.check() == 0
    del junk
