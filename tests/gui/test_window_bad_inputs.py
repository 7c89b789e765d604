"""Every bad input of issue #2 through the window: the app stays up, a notice names the file and
the reason, the job fails (or, for damaged-but-readable audio, the input loads with a warning),
and what was loaded before is still there."""
import os

import input_files as files
import pytest
from window_support import jobs_named, wait_jobs

# (file maker, what the failed job's message says)
FAILING = {
    "binary as text": (files.binary_as_text, "binary"),
    "empty file": (files.empty_file, "empty"),
    "WAV with 0 samples": (files.zero_sample_wav, "no samples|truncated"),
    "50000x50000 PNG": (files.png_bomb, "decompression bomb"),
    "deleted before opening": (files.deleted_file, "does not exist"),
    "no read permission": (files.unreadable_file, "permission denied"),
}
# (file maker, what the warning notice says, seconds loaded at most)
PARTIAL = {
    "truncated WAV": (files.truncated_wav, "truncated", 0.25),
    "3-hour WAV": (files.three_hour_wav, "at most", 600.0),
}


@pytest.fixture
def window_with_input(make_main_window, app_dirs, qtbot):
    window = make_main_window()
    good = files.text_file(app_dirs.files, "good.txt")
    window.open_paths([str(good)])
    qtbot.waitUntil(lambda: len(window.ctx.session.inputs) == 1, timeout=15000)
    return window


def _still_has_the_good_input(window) -> None:
    assert [i.name for i in window.ctx.session.inputs if i.name == "good.txt"] == ["good.txt"]
    assert window.isVisible()


@pytest.mark.parametrize("case", list(FAILING))
def test_bad_file_fails_its_job_and_keeps_what_was_loaded(window_with_input, app_dirs, qtbot, case):
    import re

    maker, reason = FAILING[case]
    if case == "no read permission" and os.geteuid() == 0:
        pytest.skip("running as root: a file without read permission is still readable")
    window = window_with_input
    path = maker(app_dirs.files)
    window.open_paths([str(path)])
    wait_jobs(qtbot, window)
    [job] = jobs_named(window, f"Open {path.name}")
    assert job.status == "failed"
    assert path.name in job.error and re.search(reason, job.error, re.I), job.error
    notices = window.notices.messages()
    assert any(path.name in m and job.error in m for m in notices), notices
    assert window.notices.isVisible()
    row = window.jobs_dock.row_of(job.id)
    assert row.text(1) == "failed" and job.error in row.text(4)
    window.jobs_dock.tree.setCurrentItem(row)                     # clicking the error shows its traceback
    assert "Traceback" in window.jobs_dock.details.toPlainText()
    _still_has_the_good_input(window)


@pytest.mark.parametrize("case", list(PARTIAL))
def test_damaged_or_long_audio_loads_what_fits_and_warns(window_with_input, app_dirs, qtbot, case):
    maker, words, max_seconds = PARTIAL[case]
    window = window_with_input
    path = maker(app_dirs.files)
    window.open_paths([str(path)])
    qtbot.waitUntil(lambda: len(window.ctx.session.inputs) == 2, timeout=30000)
    wait_jobs(qtbot, window)
    item = next(i for i in window.ctx.session.inputs if i.name == path.name)
    assert item.record.truncated and 0 < item.record.duration <= max_seconds
    assert item.record.samples.nbytes <= max_seconds * 16000 * 4        # never the whole 3 hours in memory
    assert "truncated" in item.info
    assert any(path.name in m and words in m for m in window.notices.messages()), window.notices.messages()
    _still_has_the_good_input(window)


def test_several_bad_files_at_once_fail_separately(window_with_input, app_dirs, qtbot):
    window = window_with_input
    bad = [files.binary_as_text(app_dirs.files), files.empty_file(app_dirs.files)]
    good = files.wav_file(app_dirs.files, "fine.wav")
    window.open_paths([str(p) for p in bad + [good]])
    qtbot.waitUntil(lambda: len(window.ctx.session.inputs) == 2, timeout=15000)
    wait_jobs(qtbot, window)
    assert sorted(i.name for i in window.ctx.session.inputs) == ["fine.wav", "good.txt"]
    assert sorted(j.name for j in window.ctx.jobs.jobs() if j.status == "failed") == \
        sorted(f"Open {p.name}" for p in bad)
