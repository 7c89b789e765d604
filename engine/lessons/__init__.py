"""The lecture as runnable lessons: one TOML file per topic in `seeds/` (top level of the project).

    list_lessons(folder=None) -> list[Lesson]      every valid lesson, in lecture order
    check_lessons(paths) -> list[LessonError]       every problem of every file (nothing raised)
    parse_lesson(path) -> Lesson                    one file; LessonError names file, line and field

The window's Lessons panel opens them; `mlsp lesson list|check|shots` works on them headless.
"""
from __future__ import annotations

import os
from pathlib import Path

from engine.lessons.schema import LessonError, parse_lesson
from engine.records.lessons import Lesson

__all__ = ["LESSONS_DIR", "Lesson", "LessonError", "check_lessons", "lesson_files", "list_lessons", "parse_lesson"]

LESSONS_DIR = Path(os.environ.get("MLSP_LESSONS", Path(__file__).resolve().parents[2] / "seeds"))


def lesson_files(folder: str | Path | None = None) -> list[Path]:
    folder = Path(folder) if folder is not None else LESSONS_DIR
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def check_lessons(paths: list[str | Path]) -> tuple[list[Lesson], list[LessonError]]:
    """Parse every file; the valid lessons (in lecture order) and the errors, one per bad file."""
    good, bad = [], []
    for p in paths:
        try:
            good.append(parse_lesson(p))
        except LessonError as exc:
            bad.append(exc)
    orders: dict[int, str] = {}
    for lesson in sorted(good, key=lambda x: x.path):
        if lesson.order in orders:
            bad.append(LessonError(lesson.path, 1, "order", f"{lesson.order} is also the order of {orders[lesson.order]}"))
        orders.setdefault(lesson.order, Path(lesson.path).name)
    return sorted(good, key=lambda x: x.order), bad


def list_lessons(folder: str | Path | None = None) -> list[Lesson]:
    """The valid lessons of `folder` (default: the project's seeds/), in lecture order."""
    return check_lessons(lesson_files(folder))[0]
