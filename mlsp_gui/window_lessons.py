"""The Lessons panel in the main window: built with the other docks, filled after the first paint
(reading seeds/ imports no torch), opened on the first lesson at the very first launch, and back
on the lesson and step the user left at every later one."""
from __future__ import annotations

from PySide6.QtCore import Qt

from mlsp_gui.docks.lessons_dock import LessonsDock
from mlsp_gui.lesson_player import LessonPlayer


def _read_lessons(state):
    from engine.lessons import list_lessons

    state.progress(0.5, "reading seeds/")
    return list_lessons()


class WindowLessons:
    """Owns the dock and the player; `window.lessons`."""

    def __init__(self, window) -> None:
        self.window = window
        self.dock = LessonsDock(window)
        self.player = LessonPlayer(window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.model_dock, self.dock)
        self.dock.open_requested.connect(self.open)
        self.dock.step_requested.connect(self._step)
        self.dock.record_clicked.connect(window.record_dialog)
        self.player.status.connect(self.dock.set_status)
        self.player.record_requested.connect(lambda prompt: self.dock.set_status(f"Record: {prompt}"))
        # The very first launch (no saved layout, no lesson, no views asked for): open lesson 1.
        self.first_launch = (window._requested_views is None and window.settings.open_views is None
                             and not window.settings.lesson)

    def load(self) -> None:
        """Fill the panel (a job); then reopen where the user left off, or lesson 1 at first launch."""
        self.window.ctx.jobs.submit("Read the lessons", _read_lessons, on_done=self._loaded,
                                    on_error=self.dock.show_error)

    def _loaded(self, lessons: list) -> None:
        self.dock.set_lessons(lessons)
        if self.dock.lesson is not None:                 # the user (or a script) opened one meanwhile
            self.dock.show_lesson(self.dock.lesson, self.dock.step)
            return
        if not lessons:
            self.dock.set_status("No lessons found in seeds/.")
            return
        saved = self._saved_lesson(lessons)
        if saved is not None:
            step = self.window.settings.lesson_step
            self.dock.show_lesson(saved, int(step) if str(step).isdigit() else 0)
        elif self.first_launch:
            self.dock.show()
            self.dock.raise_()
            self.dock.open_index(0)
        else:
            self.dock.show_lesson(lessons[0])

    def _saved_lesson(self, lessons: list):
        """The lesson open at the last quit: one of seeds/, or the user's own file if it still reads."""
        saved = self.window.settings.lesson
        if not saved:
            return None
        match = next((x for x in lessons if x.path == saved), None)
        if match is not None:
            return match
        from engine.lessons import LessonError, parse_lesson

        try:
            return parse_lesson(saved)
        except LessonError:
            return None

    def open(self, lesson) -> None:
        self.window.settings.lesson = lesson.path
        self.window.settings.lesson_step = "0"
        self.player.open(lesson)

    def _step(self, index: int) -> None:
        self.window.settings.lesson_step = str(index)
        self.player.apply_step(index)

