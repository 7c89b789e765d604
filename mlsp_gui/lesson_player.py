"""Sets the window up for a lesson, or for one of its "try this" steps: the model, the input, the
views in order (the first in front) and each view's state — through the same evented models and
`view.restore_state` a user's clicks go through (docs/CONTRIBUTING.md, "View state and scripting").

Work that takes time (loading a model, computing a generated input, a probe) runs as the usual
jobs; the player only says what it started (`status`). An input the lesson made before is made
current again instead of being added twice.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from engine.errors import MlspError


class LessonPlayer(QObject):
    status = Signal(str)                # what the lesson is setting up, or "" when done
    record_requested = Signal(str)      # a step asks the user to record (the prompt)

    def __init__(self, window, parent: QObject | None = None) -> None:
        super().__init__(parent or window)
        self.window = window
        self.lesson = None

    # whole lessons ---------------------------------------------------------------------------
    def open(self, lesson) -> None:
        """Apply the lesson's preset. The lesson's views replace the open ones (a tour sets up its
        own bench; the previous lesson's views would otherwise stay open on a model that may not
        serve them)."""
        self.lesson = lesson
        notices = getattr(self.window, "notices", None)
        if notices is not None:
            notices.clear()                               # the previous bench's notices do not belong to this one
        keep = list(lesson.views) + (["training"] if lesson.training is not None else [])
        self.window.views.set_open([v for v in keep if v in self.window.views.classes])
        self._model(lesson.model)
        self._input(lesson.input)
        self._views(lesson.views, lesson.states)
        if lesson.training is not None:
            self._prefill_training(lesson.training)
        self.status.emit(f"“{lesson.title}” is set up: {len(lesson.views)} view(s) open.")

    def apply_step(self, index: int) -> None:
        """Apply one "try this" item of the open lesson (its model, input, views and states)."""
        if self.lesson is None or not 0 <= index < len(self.lesson.steps):
            return
        step = self.lesson.steps[index]
        self._model(step.model)
        if step.input is not None and step.input.kind == "record":
            self.record_requested.emit(step.input.value)
        else:
            self._input(step.input)
        views = list(step.views) + [v for v in step.states if v not in step.views]
        self._views(tuple(views), step.states)

    # parts -----------------------------------------------------------------------------------
    def _model(self, ref: str | None) -> None:
        if ref:
            self.window.ctx.session.set_model(ref)

    def _input(self, inp) -> None:
        if inp is None:
            return
        from engine.lessons.inputs import materialize

        try:
            material = materialize(inp)
        except MlspError as exc:
            self.window.notify("error", f"Lesson: {exc}")
            return
        session = self.window.ctx.session
        for item in session.inputs:
            same_text = material.text is not None and item.text == material.text
            same_file = material.path is not None and item.path == str(material.path)
            if same_text or same_file:
                session.set_current(item)
                return
        if material.text is not None:
            self.window.loader.add_text(material.text, material.name or "lesson text")
        else:
            self.window.loader.open_file(str(material.path))

    def _views(self, views: tuple[str, ...], states: dict) -> None:
        tabs = self.window.views
        for i, view_id in enumerate(views):
            view = tabs.open(view_id, focus=(i == 0))
            if view is None:
                self.window.notify("warning", f"Lesson: the window has no view '{view_id}'.")
        if views:
            tabs.open(views[0], focus=True)
        for view_id, state in states.items():
            tabs.set_state(view_id, state)

    def _prefill_training(self, training) -> None:
        view = self.window.views.open("training")
        if view is not None and hasattr(view, "form"):
            view.form.prefill(training.model, training.data or "", training.steps, training.settings)
