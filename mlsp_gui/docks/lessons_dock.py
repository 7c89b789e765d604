"""The Lessons panel (right, beside the Model dock): the lecture's lessons in order. Opening one
sets up its model, input and views (mlsp_gui/lesson_player.py); its idea is shown with the
equations rendered; "Try this" steps set the views one click at a time; a question checks
understanding, its answer revealed on demand. A user's own lesson file (same format) opens too."""
from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mlsp_gui.errors import error_html


class LessonsDock(QDockWidget):
    """Lists the lessons; `open_requested(lesson)` / `step_requested(index)` go to the player."""

    open_requested = Signal(object)         # a Lesson: set the window up for it
    step_requested = Signal(int)            # apply "try this" item i of the shown lesson
    record_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Lessons", parent)
        self.setObjectName("LessonsDock")
        self.lessons: list = []
        self.lesson = None
        self.step = 0
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self._chooser())
        self.title = QLabel("")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.title)
        self.idea = QTextBrowser()
        self.idea.setOpenExternalLinks(False)
        self.idea.setMinimumHeight(120)
        layout.addWidget(self.idea, 3)
        layout.addWidget(self._steps_box(), 2)
        layout.addWidget(self._question_box(), 1)
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.RichText)      # messages are escaped HTML
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #555;")
        layout.addWidget(self.status)
        self.setWidget(body)

    # widgets ---------------------------------------------------------------------------------
    def _chooser(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.prev_lesson = QToolButton(text="◀")
        self.prev_lesson.setToolTip("The previous lesson")
        self.combo = QComboBox()
        self.combo.setMinimumContentsLength(6)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.next_lesson = QToolButton(text="▶")
        self.next_lesson.setToolTip("The next lesson")
        self.open_file = QToolButton(text="Open…")
        self.open_file.setToolTip("Open a lesson file of your own (the same TOML format as seeds/)")
        for w in (self.prev_lesson, self.combo, self.next_lesson, self.open_file):
            row.addWidget(w, 1 if w is self.combo else 0)
        self.combo.activated.connect(lambda i: self.open_index(i))
        self.prev_lesson.clicked.connect(lambda: self.open_index(self.combo.currentIndex() - 1))
        self.next_lesson.clicked.connect(lambda: self.open_index(self.combo.currentIndex() + 1))
        self.open_file.clicked.connect(self._ask_file)
        return row

    def _steps_box(self) -> QGroupBox:
        box = QGroupBox("Try this")
        self.steps_box = box
        v = QVBoxLayout(box)
        self.step_text = QLabel("")
        self.step_text.setWordWrap(True)
        self.step_text.setTextFormat(Qt.TextFormat.RichText)
        self.step_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        v.addWidget(self.step_text, 1)
        row = QHBoxLayout()
        self.prev_step = QToolButton(text="◀")
        self.prev_step.setToolTip("The previous step (sets its views up)")
        self.show_step = QToolButton(text="Show me")
        self.show_step.setToolTip("Set the views up for this step")
        self.next_step = QToolButton(text="Next ▶")
        self.next_step.setToolTip("The next step (sets its views up)")
        self.record_button = QToolButton(text="Record…")
        self.record_button.setVisible(False)
        for w in (self.prev_step, self.show_step, self.next_step, self.record_button):
            row.addWidget(w)
        v.addLayout(row)
        self.prev_step.clicked.connect(lambda: self.go_step(self.step - 1, apply=True))
        self.next_step.clicked.connect(lambda: self.go_step(self.step + 1, apply=True))
        self.show_step.clicked.connect(lambda: self.step_requested.emit(self.step))
        self.record_button.clicked.connect(self.record_clicked)
        return box

    def _question_box(self) -> QGroupBox:
        box = QGroupBox("Check yourself")
        v = QVBoxLayout(box)
        self.question = QLabel("")
        self.question.setWordWrap(True)
        self.question.setTextFormat(Qt.TextFormat.RichText)
        self.answer = QLabel("")
        self.answer.setWordWrap(True)
        self.answer.setTextFormat(Qt.TextFormat.RichText)
        self.answer.setVisible(False)
        self.answer_button = QPushButton("Show the answer")
        self.answer_button.clicked.connect(self.reveal_answer)
        v.addWidget(self.question)
        v.addWidget(self.answer_button, 0, Qt.AlignmentFlag.AlignLeft)
        v.addWidget(self.answer)
        return box

    # contents --------------------------------------------------------------------------------
    def set_lessons(self, lessons: list) -> None:
        self.lessons = list(lessons)
        self.combo.blockSignals(True)
        self.combo.clear()
        for lesson in self.lessons:
            self.combo.addItem(f"{lesson.order} · {lesson.title}", lesson.path)
        self.combo.blockSignals(False)
        self._update_buttons()

    def open_index(self, index: int) -> None:
        if 0 <= index < len(self.lessons):
            self.show_lesson(self.lessons[index])
            self.open_requested.emit(self.lessons[index])

    def show_lesson(self, lesson, step: int = 0) -> None:
        """Show a lesson's text (without setting anything up)."""
        from engine.lessons.mathtext import MathError, inline_html, to_html

        self.lesson = lesson
        index = self.combo.findData(lesson.path)
        if index < 0:
            self.combo.addItem(f"{lesson.order} · {lesson.title} (your file)", lesson.path)
            self.lessons.append(lesson)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)
        self.title.setText(f"<h3 style='margin:2px 0'>{html.escape(lesson.title)}</h3>"
                           f"<span style='color:#666'>Lesson {lesson.order} · {html.escape(lesson.topic)}</span>")
        try:
            paragraphs = "".join(f"<p>{inline_html(p.strip())}</p>" for p in lesson.idea.split("\n\n") if p.strip())
            formulas = "".join(f"<p align='center' style='font-size:115%'>{to_html(e)}</p>" for e in lesson.equations)
        except MathError as exc:                         # a checked lesson never gets here
            paragraphs, formulas = error_html(str(exc)), ""
        self.idea.setHtml(paragraphs + formulas)
        self.question.setText(inline_html(lesson.question))
        self.answer.setText(inline_html(lesson.answer))
        self.answer.setVisible(False)
        self.answer_button.setVisible(True)
        self.go_step(step, apply=False)

    def go_step(self, index: int, apply: bool) -> None:
        from engine.lessons.mathtext import inline_html

        if self.lesson is None:
            return
        self.step = max(0, min(index, len(self.lesson.steps) - 1))
        step = self.lesson.steps[self.step]
        self.steps_box.setTitle(f"Try this · {self.step + 1} of {len(self.lesson.steps)}")
        self.step_text.setText(inline_html(step.text))
        self.record_button.setVisible(step.input is not None and step.input.kind == "record")
        self._update_buttons()
        if apply:
            self.step_requested.emit(self.step)

    def reveal_answer(self) -> None:
        self.answer.setVisible(True)
        self.answer_button.setVisible(False)

    def set_status(self, text: str) -> None:
        self.status.setText(html.escape(text))

    def show_error(self, message: str) -> None:
        self.status.setText(error_html(message))

    def _update_buttons(self) -> None:
        i, n = self.combo.currentIndex(), self.combo.count()
        self.prev_lesson.setEnabled(i > 0)
        self.next_lesson.setEnabled(0 <= i < n - 1)
        steps = len(self.lesson.steps) if self.lesson is not None else 0
        self.prev_step.setEnabled(self.step > 0)
        self.next_step.setEnabled(self.step < steps - 1)
        self.show_step.setEnabled(steps > 0)

    def _ask_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a lesson file", "", "Lessons (*.toml);;All files (*)")
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Open a lesson file (a user's own); a malformed one says which line and field."""
        from engine.lessons import LessonError, parse_lesson

        try:
            lesson = parse_lesson(Path(path))
        except LessonError as exc:
            self.show_error(str(exc))
            return False
        self.show_lesson(lesson)
        self.open_requested.emit(lesson)
        return True
