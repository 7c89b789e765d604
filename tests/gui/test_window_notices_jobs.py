"""Notices stack in one place (the newest on show, the others folded under "+N more"), can be
dismissed, count repeats and expire; the Jobs dock folds start-up housekeeping away and rests
small until the user's work runs or something fails."""
from __future__ import annotations

import threading

from window_support import wait_jobs


def test_notices_stack_fold_count_and_expire(make_main_window, qtbot, monkeypatch):
    from mlsp_gui.widgets import notice_bar

    monkeypatch.setitem(notice_bar.EXPIRES_MS, "warning", 300)
    window = make_main_window()
    bar = window.notices
    bar.clear()
    first = window.notify("error", "first problem")
    second = window.notify("warning", "second problem")
    third = window.notify("warning", "second problem")           # the same again: counted, not stacked
    assert third is second and second.count == 2 and "×2" in second.label.text()
    assert bar.notices() == [second, first]
    assert second.isVisible() and not first.isVisible()           # one row above the views
    assert bar.more_button.isVisible() and bar.more_button.text() == "+1 more ▾"
    bar.more_button.click()
    assert first.isVisible()
    first.dismiss()
    assert bar.notices() == [second] and not bar.more_button.isVisible()
    qtbot.waitUntil(lambda: bar.notices() == [], timeout=3000)   # the warning expired
    assert not bar.isVisible()
    kept = window.notify("warning", "answer me", [("OK", lambda: None)])
    assert not kept.expiry.isActive()                              # a question waits for its answer


def test_housekeeping_folds_away_and_the_dock_rests_small(make_main_window, qtbot):
    window = make_main_window()
    wait_jobs(qtbot, window)
    dock = window.jobs_dock
    folder = dock.housekeeping_row
    assert folder is not None and not folder.isExpanded()
    names = [folder.child(i).text(0) for i in range(folder.childCount())]
    assert any(n.startswith("Warm up") for n in names) and any("registry" in n for n in names)
    assert all(not r.text(0).startswith(("Warm up", "Read the model registry")) for r in dock.user_rows())
    assert dock.height() <= dock.resting_height() + 30
    go = threading.Event()
    job = window.ctx.jobs.submit("Project 1,000 points", lambda state: go.wait(10))
    assert dock.working
    qtbot.waitUntil(lambda: dock.height() > dock.resting_height() + 40, timeout=3000)
    go.set()
    wait_jobs(qtbot, window)
    assert job.status == "done"
    window.ctx.jobs.add_failed("Read the config of broken", "cannot read it")   # housekeeping that fails shows
    assert dock.user_rows()[0].text(0) == "Read the config of broken"
    assert dock.working
    assert dock.tree.topLevelItem(dock.tree.topLevelItemCount() - 1) is folder
