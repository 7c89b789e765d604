"""Issue 14, failure 4 in the window: bad bytes in one run's metrics.jsonl, or an unreadable run,
never hide the other runs of the Training view's list; the row says what was skipped."""
from __future__ import annotations

from runs_fixtures import checkpoint, truncate, word2vec_run

from mlsp_gui.context import AppContext
from mlsp_gui.training.runs_list import RunsList, read_curves


def test_runs_list_shows_every_run_and_what_was_skipped(qtbot, tmp_path):
    bad = word2vec_run(tmp_path, name="bad-bytes")
    with open(bad / "metrics.jsonl", "ab") as f:
        f.write(b"\xff\xfe\x00 not utf-8\n")
    truncate(checkpoint(bad, 20) / "model.safetensors")
    word2vec_run(tmp_path, name="good")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "config.json").write_bytes(b"\x80\x81")
    ctx = AppContext.create()
    failures = []
    ctx.jobs.job_changed.connect(lambda job: failures.append(job.error) if job.status == "failed" else None)
    runs = RunsList(ctx)
    qtbot.addWidget(runs)
    with qtbot.waitSignal(runs.scanned, timeout=30_000):
        runs.set_runs_dir(str(tmp_path))
    rows = {runs.tree.topLevelItem(i).text(0): runs.tree.topLevelItem(i) for i in range(runs.tree.topLevelItemCount())}
    assert set(rows) == {"bad-bytes", "good", "broken"} and not failures
    tip = rows["bad-bytes"].toolTip(0)
    assert "1 unreadable line(s)" in tip and "step-00000020" in tip
    assert "broken" in rows["broken"].toolTip(0) and rows["broken"].text(2)
    curves = read_curves(None, str(bad))
    assert curves.series["loss"][0] == [10.0, 20.0]
    ctx.jobs.cancel_all()
    ctx.jobs.wait(10_000)
