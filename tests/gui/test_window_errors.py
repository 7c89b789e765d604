"""Exceptions in slots, threads, jobs and job callbacks: each becomes a failed entry in the Jobs
dock and a notice; none ends the process."""
import sys
import threading

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from window_support import wait_jobs


class _Emitter(QObject):
    fire = Signal()


def _failed(window):
    return [j for j in window.ctx.jobs.jobs() if j.status == "failed"]


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_slot_is_reported_not_fatal(make_main_window, qtbot):
    window = make_main_window()
    assert sys.excepthook == window.reporter._sys_hook

    def broken_slot():
        raise ValueError("slot went wrong")

    emitter = _Emitter()
    emitter.fire.connect(broken_slot)
    emitter.fire.emit()
    qtbot.waitUntil(lambda: len(_failed(window)) == 1, timeout=5000)
    [job] = _failed(window)
    assert job.error == "ValueError: slot went wrong"
    assert "broken_slot" in job.traceback
    assert any("slot went wrong" in m for m in window.notices.messages())
    assert window.isVisible()


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_thread_is_reported_not_fatal(make_main_window, qtbot):
    window = make_main_window()

    def work():
        raise RuntimeError("thread went wrong")

    thread = threading.Thread(target=work, name="worker-x")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(_failed(window)) == 1, timeout=5000)
    [job] = _failed(window)
    assert "worker-x" in job.name and job.error == "RuntimeError: thread went wrong"
    assert any("thread went wrong" in m for m in window.notices.messages())


def test_exception_in_a_job_and_in_its_callback(make_main_window, qtbot):
    window = make_main_window()

    def job_raises(state):
        raise KeyError("missing")

    def callback_raises(result):
        raise ZeroDivisionError("callback went wrong")

    window.ctx.jobs.submit("Job that raises", job_raises)
    window.ctx.jobs.submit("Job whose callback raises", lambda state: 42, on_done=callback_raises)
    wait_jobs(qtbot, window)
    by_name = {j.name: j for j in _failed(window)}
    assert by_name["Job that raises"].error == "KeyError: 'missing'"
    assert "job_raises" in by_name["Job that raises"].traceback
    assert by_name["Job whose callback raises"].error == "ZeroDivisionError: callback went wrong"
    messages = window.notices.messages()
    assert any("Job that raises failed" in m for m in messages)
    assert any("callback went wrong" in m for m in messages)
    assert window.jobs_dock.windowTitle() == "Jobs (2 failed)"


def test_cancel_a_running_job_from_the_dock(make_main_window, qtbot):
    window = make_main_window()
    started = threading.Event()

    def long_job(state):
        started.set()
        while not state.cancelled():
            state.progress(0.5, "waiting")
            threading.Event().wait(0.01)
        state.check()

    job = window.ctx.jobs.submit("Long job", long_job)
    started.wait(5)
    qtbot.waitUntil(lambda: job.progress == 0.5, timeout=5000)
    dock = window.jobs_dock
    row = dock.row_of(job.id)
    assert row.text(3) == "✕" and row.text(2) == "50%"
    cell = dock.tree.visualItemRect(row)
    cell.setLeft(dock.tree.header().sectionViewportPosition(3))
    cell.setWidth(dock.tree.header().sectionSize(3))
    qtbot.mouseClick(dock.tree.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())     # the ✕ of its row
    wait_jobs(qtbot, window)
    assert job.status == "cancelled"
    assert row.text(1) == "cancelled"
    assert row.text(3) == ""                                  # no cross on a finished job


def test_notices_do_not_block_and_can_be_dismissed(make_main_window):
    window = make_main_window()
    notice = window.ctx.notify("error", "something to read")
    assert window.notices.isVisible() and notice.isVisible()
    assert window.ctx.notify("info", "for a moment") in window.notices.notices()
    notice.dismiss()
    assert "something to read" not in window.notices.messages()
