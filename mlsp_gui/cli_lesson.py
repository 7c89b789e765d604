"""`mlsp lesson list|check|shots`: the lecture's lessons (seeds/*.toml) headless.

    mlsp lesson list [--json]                one line per lesson, in lecture order
    mlsp lesson check [FILE...] [--json]     validate every lesson (default: all of seeds/); exit 2
                                             naming the file, line and field of each error
    mlsp lesson shots --out DIR [FILE...]    open each lesson offscreen and save a screenshot of its views

`check` also checks that every view a lesson names exists in the window, which is why this
command lives in the application layer."""
from __future__ import annotations

import argparse
from pathlib import Path

from engine.cli.common import add_command, print_json
from engine.errors import ConfigError, InputError


def register(subparsers) -> None:
    p = add_command(subparsers, "lesson", "the lecture's lessons: list, check, screenshots", __doc__, run)
    p.add_argument("action", choices=("list", "check", "shots"), help="list | check | shots")
    p.add_argument("files", nargs="*", metavar="FILE", help="lesson files (default: every lesson in seeds/)")
    p.add_argument("--out", metavar="DIR", help="shots: the folder for the PNG files")
    p.add_argument("--size", default="1400x880", metavar="WxH", help="shots: window size (default 1400x880)")
    p.add_argument("--json", action="store_true", help="one JSON document instead of text")


def _files(args) -> list[Path]:
    from engine.lessons import lesson_files

    if not args.files:
        return lesson_files()
    paths = [Path(f).expanduser() for f in args.files]
    for p in paths:
        if not p.is_file():
            raise InputError(f"{p} is not a lesson file; give .toml files from seeds/ (or none for all of them).")
    return paths


def view_problems(lessons) -> list[InputError]:
    """Views a lesson names that the window does not have (one error per lesson and view)."""
    from engine.lessons import LessonError
    from engine.lessons.toml_lines import key_lines, line_of
    from mlsp_gui.views import available_views
    from mlsp_gui.window_views import view_id_of

    known = {view_id_of(c) for c in available_views()}
    problems = []
    for lesson in lessons:
        lines = key_lines(Path(lesson.path).read_text(encoding="utf-8"))
        named = [(("preset", "views"), v) for v in lesson.views]
        named += [(("preset", "state", v), v) for v in lesson.states]
        for i, step in enumerate(lesson.steps):
            named += [(("step", i, "views"), v) for v in step.views]
            named += [(("step", i, "state", v), v) for v in step.states]
        for where, view in named:
            if view not in known:
                problems.append(LessonError(lesson.path, line_of(lines, where), ".".join(map(str, where)),
                                            f"there is no view '{view}'; views are {', '.join(sorted(known))}"))
                break
    return problems


def run(args: argparse.Namespace) -> int:
    from engine.lessons import check_lessons

    lessons, errors = check_lessons(_files(args))
    if args.action == "list":
        if args.json:
            print_json([{"order": x.order, "id": x.id, "title": x.title, "topic": x.topic, "path": x.path}
                        for x in lessons])
        else:
            for x in lessons:
                print(f"{x.order:2d}  {x.title}  ({x.topic}; {Path(x.path).name})")
        return 0
    errors += view_problems(lessons)
    if args.action == "check":
        if args.json:
            print_json({"lessons": len(lessons), "errors": [str(e) for e in errors]})
        else:
            for e in errors:
                print(f"error: {e}")
            bad = {e.path for e in errors}
            total = len({x.path for x in lessons} | bad)
            print(f"{total - len(bad)} of {total} lessons are valid")
        return 2 if errors else 0
    if not args.out:
        raise ConfigError("give --out DIR for the screenshots.")
    if errors:
        raise InputError(f"{len(errors)} lesson problem(s); the first: {errors[0]}")
    from mlsp_gui.lesson_shots import save_shots

    written = save_shots(lessons, Path(args.out), args.size)
    if args.json:
        print_json({"files": [str(p) for p in written]})
    else:
        for p in written:
            print(f"wrote {p}")
    return 0
