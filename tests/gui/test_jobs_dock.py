"""The Jobs dock paints progress with a delegate: rows hold no widgets, and each row's progress
fraction and text follow its job from "working…" to a percentage to done."""
from __future__ import annotations

import threading

from PySide6.QtWidgets import QWidget

from mlsp_gui.context import AppContext
from mlsp_gui.docks.jobs_dock import COL_CANCEL, COL_MESSAGE, COL_PROGRESS, COL_STATUS, JobsDock
from mlsp_gui.widgets.progress_delegate import PROGRESS_ROLE


def test_progress_is_painted_not_a_widget_per_row(qtbot):
    ctx = AppContext.create()
    dock = JobsDock(ctx)
    qtbot.addWidget(dock)
    dock.resize(900, 300)
    dock.show()
    go, reported, finish = threading.Event(), threading.Event(), threading.Event()

    def job(state):
        go.wait(10)
        state.progress(0.25, "a quarter")
        reported.set()
        finish.wait(10)
        return 7

    running = ctx.jobs.submit("Slow job", job)
    row = dock.row_of(running.id)
    assert row.data(COL_PROGRESS, PROGRESS_ROLE) < 0 and row.text(COL_PROGRESS) == "working…"
    assert row.text(COL_CANCEL) == "✕"
    go.set()
    reported.wait(10)
    qtbot.waitUntil(lambda: row.text(COL_PROGRESS) == "25%", timeout=5000)
    assert row.data(COL_PROGRESS, PROGRESS_ROLE) == 0.25 and row.text(COL_MESSAGE) == "a quarter"
    finish.set()
    qtbot.waitUntil(lambda: row.text(COL_STATUS) == "done", timeout=5000)
    assert row.data(COL_PROGRESS, PROGRESS_ROLE) == 1.0
    assert row.text(COL_PROGRESS).endswith(" s") and row.text(COL_CANCEL) == ""
    assert row.text(COL_MESSAGE) == ""                     # the last progress message is stale once done
    for i in range(20):
        ctx.jobs.submit(f"Quick job {i}", lambda state, i=i: i)
    assert ctx.jobs.wait(10000)
    qtbot.waitUntil(lambda: all(j.status == "done" for j in ctx.jobs.jobs()), timeout=5000)
    assert dock.tree.topLevelItemCount() == 21
    tree = dock.tree
    assert not any(tree.itemWidget(tree.topLevelItem(i), c) for i in range(21) for c in range(tree.columnCount()))
    assert not tree.viewport().findChildren(QWidget)
    assert not dock.grab().isNull()                        # the delegate paints without errors
