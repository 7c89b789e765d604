"""Let the other views follow a run: watch its checkpoints, move the step slider, and put each new
(or replayed) checkpoint in the session (`Session.set_checkpoint`), whose `checkpoint_changed`
reaches every view of the session (mlsp_gui/views/base.py hands it to `View.on_checkpoint`: at
once on screen, the newest one when a hidden view is next shown). No window is searched for views.

Checkpoints go to the views only while the run is the session's model ("Open in views");
replaying an older one with the slider opens it.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from mlsp_gui.context import AppContext
from mlsp_gui.training.checkpoint_watch import CheckpointWatcher
from mlsp_gui.training.step_slider import StepSlider


class RunFollower(QObject):
    """The focused run's checkpoints → the step slider → the open views."""

    def __init__(self, ctx: AppContext, slider: StepSlider, owner: QWidget) -> None:
        super().__init__(owner)
        self.ctx, self.slider, self.owner = ctx, slider, owner
        self.run_dir = ""                       # the focused run ("" = none)
        self.watcher = CheckpointWatcher(self)
        self.watcher.checkpoint_added.connect(self._on_added)
        self.watcher.checkpoints_changed.connect(slider.set_checkpoints)
        slider.checkpoint_selected.connect(self._on_selected)

    def focus(self, run_dir: str) -> bool:
        """Follow `run_dir` (its checkpoints fill the slider); False when it already was."""
        if run_dir == self.run_dir:
            return False
        self.run_dir = run_dir
        if not run_dir:
            self.watcher.stop()
            self.slider.set_checkpoints([])
        else:
            self.slider.follow.setChecked(True)
            self.slider.set_checkpoints(self.watcher.watch(run_dir))
        return True

    def stop(self) -> None:
        self.watcher.stop()

    def open_in_views(self) -> None:
        """Make the focused run the session's model: every view loads its newest checkpoint."""
        if self.run_dir:
            self.ctx.session.set_model(self.run_dir)

    def is_open_in_views(self, run_dir: str) -> bool:
        model = self.ctx.session.model
        try:
            return bool(model) and Path(model).resolve() == Path(run_dir).resolve()
        except OSError:
            return False

    def announce(self, run_dir: str, checkpoint: str) -> None:
        """Hand `checkpoint` of `run_dir` to every view of the session (through the session)."""
        self.ctx.session.set_checkpoint(run_dir, checkpoint)

    def _on_added(self, run_dir: str, path: str, step: int) -> None:
        moved = self.slider.add_checkpoint(step, path)
        if moved and self.is_open_in_views(run_dir):
            self.announce(run_dir, path)

    def _on_selected(self, path: str) -> None:
        if not self.run_dir:
            return
        if not self.is_open_in_views(self.run_dir):
            self.ctx.session.set_model(self.run_dir)
        self.announce(self.run_dir, path)
