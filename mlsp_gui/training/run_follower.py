"""Let the other views follow a run: watch its checkpoints, move the step slider, and hand each
new (or replayed) checkpoint to every open view through `View.on_checkpoint(run_dir, checkpoint)`.

Views are found among the application's widgets (centre tabs and floating ones) that share the
dashboard's session, so a view needs no registration. Checkpoints go to the views only while the
run is the session's model ("Open in views"); replaying an older one with the slider opens it.

A view that is not on screen (a tab behind another) is handed only the newest checkpoint, when it
is next shown: re-probing and redrawing hidden views on every checkpoint cost the window (and the
training) time for nothing.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

from mlsp_gui.context import AppContext
from mlsp_gui.training.checkpoint_watch import CheckpointWatcher, complete_checkpoints
from mlsp_gui.training.step_slider import StepSlider


class RunFollower(QObject):
    """The focused run's checkpoints → the step slider → the open views."""

    def __init__(self, ctx: AppContext, slider: StepSlider, owner: QWidget) -> None:
        super().__init__(owner)
        self.ctx, self.slider, self.owner = ctx, slider, owner
        self.run_dir = ""                       # the focused run ("" = none)
        self._waiting: dict = {}                # hidden view -> (run_dir, checkpoint) to hand it when shown
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

    def open_views(self) -> list:
        """Every other view of this session that is open (centre tabs and floating ones)."""
        from mlsp_gui.views.base import View

        found: list = []
        for top in QApplication.topLevelWidgets():
            if not isinstance(top, View) and not top.isVisible():
                continue                        # hidden menus and pop-ups: hundreds, never hold a view
            for v in ([top] if isinstance(top, View) else []) + top.findChildren(View):
                if v is not self.owner and v.ctx.session is self.ctx.session and v not in found:
                    found.append(v)
        return found

    def announce(self, run_dir: str, checkpoint: str) -> None:
        """Call `on_checkpoint` on every open view on screen, now; a hidden view gets the newest
        checkpoint when it is shown. One broken view does not stop the others."""
        views = self.open_views()
        for gone in [v for v in self._waiting if v not in views]:
            del self._waiting[gone]
        for view in views:
            if view.isVisible():
                self._hand(view, run_dir, checkpoint)
                continue
            if view not in self._waiting:
                view.installEventFilter(self)
            self._waiting[view] = (run_dir, checkpoint)

    def waiting(self, view) -> tuple[str, str] | None:
        """The (run, checkpoint) a hidden view will be handed when shown, or None."""
        return self._waiting.get(view)

    def _hand(self, view, run_dir: str, checkpoint: str) -> None:
        try:
            view.on_checkpoint(run_dir, checkpoint)
        except Exception as exc:
            self.ctx.notify("error", f"{view.title}: {type(exc).__name__}: {exc}")

    def eventFilter(self, obj, event) -> bool:          # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Show and obj in self._waiting:
            obj.removeEventFilter(self)
            run_dir, checkpoint = self._waiting.pop(obj)
            if not Path(checkpoint).is_dir():             # rotated away meanwhile: the run's newest one
                newest = complete_checkpoints(run_dir)
                checkpoint = newest[-1][1] if newest else ""
            if checkpoint:
                self._hand(obj, run_dir, checkpoint)
        return False

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
