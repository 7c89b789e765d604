"""Defect 11 of issue 13 (training CLI): `mlsp train --nproc 2` of a model that trains in one
process says so once, before any worker starts (no torchrun traceback); the progress bar's rate is
smoothed instead of jumping between single steps' rates."""
from __future__ import annotations

import io

from engine.cli import main
from engine.training.sinks import ProgressBarSink


def test_nproc_refused_once_before_workers_start(tmp_path, capsys, monkeypatch):
    from engine.training import distributed

    launched = []
    monkeypatch.setattr(distributed, "launch", lambda *a, **k: launched.append(a) or 1)
    rc = main(["train", "word2vec", "--nproc", "2", "--steps", "1", "--out", str(tmp_path / "run")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and launched == []
    assert len(err) == 1 and "word2vec trains in one process" in err[0] and "Traceback" not in err[0]


def test_progress_rate_is_smoothed():
    sink = ProgressBarSink(io.StringIO())
    sink.emit({"event": "start", "total_steps": 100, "start_step": 0, "model": "word2vec"})
    shown = []
    for step in range(1, 41):
        rate = 421.0 if step % 2 else 56_618.0                  # what single steps report
        sink.emit({"event": "step", "step": step, "loss": 1.0, "lr": 0.01, "throughput": rate, "unit": "words/s"})
        shown.append(sink.rate)
    late = shown[20:]
    assert max(late) / min(late) < 1.3                          # no longer a factor of 134
    assert 15_000 < late[-1] < 45_000
    sink.emit({"event": "end"})
