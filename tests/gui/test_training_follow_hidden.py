"""New checkpoints reach the views through the session, not by searching windows: the views on
screen at once (a tab, a view opened on its own), a view in a hidden tab only the newest one, when
its tab is shown (and the run's newest complete one if rotation removed it); a view that fails on
a checkpoint is reported and the others still get it."""
from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QTabWidget

from mlsp_gui.context import AppContext
from mlsp_gui.training.run_follower import RunFollower
from mlsp_gui.training.step_slider import StepSlider
from mlsp_gui.views.embeddings import EmbeddingsView


def _checkpoint(run: Path, step: int) -> str:
    """A complete checkpoint folder as engine.training.checkpoint.list_checkpoints recognises one."""
    folder = run / "checkpoints" / f"step-{step:08d}"
    folder.mkdir(parents=True)
    (folder / "state.json").write_text("{}")
    (folder / "model.safetensors").write_bytes(b"")
    return str(folder)


def _recording(view) -> list:
    calls: list = []
    real = view.on_checkpoint
    view.on_checkpoint = lambda r, c: (calls.append((r, c)), real(r, c))
    return calls


def test_hidden_views_get_the_newest_checkpoint_when_shown(qtbot, tmp_path):
    ctx = AppContext.create()
    owner = StepSlider()
    qtbot.addWidget(owner)
    follower = RunFollower(ctx, owner, owner)
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    shown, hidden = EmbeddingsView(ctx), EmbeddingsView(ctx)
    tabs.addTab(shown, "shown")
    tabs.addTab(hidden, "hidden")
    tabs.show()
    qtbot.waitExposed(tabs)
    seen_shown, seen_hidden = _recording(shown), _recording(hidden)
    run = tmp_path / "run"
    first, second, third = (_checkpoint(run, s) for s in (10, 20, 30))

    follower.announce(str(run), first)
    follower.announce(str(run), second)
    assert seen_shown == [(str(run), first), (str(run), second)]
    assert seen_hidden == [] and hidden.waiting_checkpoint() == (str(run), second)
    tabs.setCurrentWidget(hidden)
    assert seen_hidden == [(str(run), second)]                     # only the newest, once
    assert hidden.waiting_checkpoint() is None

    follower.announce(str(run), third)                             # now `shown` is the hidden tab
    assert seen_hidden[-1] == (str(run), third) and seen_shown[-1] == (str(run), second)
    shutil.rmtree(third)                                           # rotated away before it is shown
    tabs.setCurrentWidget(shown)
    assert seen_shown[-1] == (str(run), second)                    # the run's newest complete checkpoint
    tabs.setCurrentWidget(hidden)
    tabs.setCurrentWidget(shown)
    assert len(seen_shown) == 3                                    # handed once, not on every show


def test_views_outside_any_window_get_checkpoints_and_a_broken_one_stops_none(qtbot, tmp_path):
    notices: list = []
    ctx = AppContext.create(notify=lambda level, msg: notices.append((level, msg)))
    other_ctx = AppContext.create()
    owner = StepSlider()
    qtbot.addWidget(owner)
    follower = RunFollower(ctx, owner, owner)
    alone, broken, stranger = EmbeddingsView(ctx), EmbeddingsView(ctx), EmbeddingsView(other_ctx)
    for view in (alone, broken, stranger):                         # top-level windows of their own
        qtbot.addWidget(view)
        view.show()
        qtbot.waitExposed(view)
    seen, seen_stranger = _recording(alone), _recording(stranger)
    broken.on_checkpoint = lambda r, c: 1 / 0
    run = tmp_path / "run"
    ckpt = _checkpoint(run, 10)
    follower.announce(str(run), ckpt)
    assert seen == [(str(run), ckpt)] and seen_stranger == []     # another session's view is not told
    assert ctx.session.checkpoint == (str(run), ckpt)
    assert notices == [("error", "Sentence similarity: ZeroDivisionError: division by zero")]
    alone.hide()
    follower.announce(str(run), _checkpoint(run, 20))
    ctx.session.set_model("minilm")                                # another model: the waiting one is dropped
    assert alone.waiting_checkpoint() is None and ctx.session.checkpoint == ("", "")
    alone.show()
    assert len(seen) == 1
