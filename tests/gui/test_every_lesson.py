"""Every lesson of seeds/ opens in a real window offscreen: its model loads from the shipped
weights, its input is made, no job fails, and each view it opens draws something (a view grabbed
as a picture has more than a handful of colours, which an empty plot or a blank page does not)."""
import numpy as np
import pytest
from PySide6.QtGui import QImage

from engine.lessons import list_lessons

LESSONS = list_lessons()


def colours(widget) -> int:
    img = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    arr = np.frombuffer(img.constBits(), np.uint8, img.sizeInBytes()).reshape(img.height(), img.bytesPerLine())
    return len(np.unique(arr[:, : img.width() * 4].reshape(-1, 4)[::7], axis=0))


def wait_jobs(qtbot, window, timeout):
    qtbot.waitUntil(lambda: not window.ctx.jobs.running(), timeout=timeout)
    qtbot.wait(300)
    qtbot.waitUntil(lambda: not window.ctx.jobs.running(), timeout=timeout)


@pytest.mark.parametrize("lesson", LESSONS, ids=[x.id for x in LESSONS])
def test_the_lesson_opens_and_every_view_draws(make_main_window, qtbot, lesson):
    window = make_main_window()
    window.resize(1400, 880)
    failed_before = {j.id for j in window.ctx.jobs.jobs() if j.status == "failed"}
    window.lessons.open(lesson)
    wait_jobs(qtbot, window, 240_000)
    for view_id in lesson.views:
        view = window.views.open(view_id, focus=True)
        assert view is not None, f"{lesson.id}: no view {view_id}"
        wait_jobs(qtbot, window, 240_000)
    failed = [j for j in window.ctx.jobs.jobs() if j.status == "failed" and j.id not in failed_before]
    assert not failed, f"{lesson.id}: " + "; ".join(f"{j.name}: {j.error or j.message}" for j in failed)
    for view_id in lesson.views:
        view = window.views.open(view_id, focus=True)
        qtbot.wait(200)
        assert colours(view) > 40, f"{lesson.id}: view {view_id} looks empty"
