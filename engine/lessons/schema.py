"""A lesson file, validated field by field; every error names the file, the line and the field.

Layout (TOML; see any file in seeds/):

    title = "..."            order = 4            topic = "Transformers"
    idea = \"\"\"paragraphs, $inline math$\"\"\"
    equations = ["LaTeX subset", ...]             (engine.lessons.mathtext)
    [preset]
    model = "minilm"          checkpoint = "latest"   (optional)
    input = { text = "..." } | { source = "..." } | { audio = "..." } | { image = "..." } | { record = "..." }
    views = ["view_id", ...]                         (opened in order; the first is focused)
    train = { model = "...", data = "...", steps = 300, set = { key = value } }   (optional)
    [preset.state.VIEW_ID]    any keys: the view's restore_state dict
    [[step]]                  two to five
    text = "..."              views = [...] (optional)   model / input (optional)
    [step.state.VIEW_ID]      ...
    [question]
    text = "..."              answer = "..."
"""
from __future__ import annotations

import re
from pathlib import Path

try:
    import tomllib
except ImportError:                      # Python 3.10
    import tomli as tomllib

from engine.errors import InputError
from engine.lessons.mathtext import MathError, inline_html, to_html
from engine.lessons.toml_lines import key_lines, line_of
from engine.records.lessons import Lesson, LessonInput, LessonStep, LessonTraining

INPUT_KINDS = {"text": "text", "source": "source-target", "audio": "audio", "image": "image", "record": "record"}
VIEW_ID = re.compile(r"^[a-z][a-z0-9_]*$")
TOP_KEYS = {"title", "order", "topic", "idea", "equations", "preset", "step", "question"}
PRESET_KEYS = {"model", "checkpoint", "input", "views", "train", "state"}
STEP_KEYS = {"text", "views", "model", "input", "state"}
MAX_STEPS, MIN_STEPS = 5, 2


class LessonError(InputError):
    """A lesson file that cannot be used: the message is "FILE line N: field: what is wrong"."""

    def __init__(self, path: str, line: int, field: str, problem: str) -> None:
        self.path, self.line, self.field, self.problem = path, line, field, problem
        super().__init__(f"{path} line {line}: {field}: {problem}")


class _Checker:
    def __init__(self, path: Path, text: str) -> None:
        self.path, self.lines = str(path), key_lines(text)

    def fail(self, where: tuple, problem: str):
        raise LessonError(self.path, line_of(self.lines, where), ".".join(str(p) for p in where), problem)

    def text(self, data: dict, where: tuple, required: bool = True, limit: int = 4000) -> str | None:
        key = where[-1]
        if key not in data:
            if required:
                self.fail(where, "is missing")
            return None
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            self.fail(where, f"must be non-empty text, not {value!r}"[:160])
        if len(value) > limit:
            self.fail(where, f"is {len(value)} characters long; keep it under {limit}")
        return value.strip()

    def table(self, data: dict, where: tuple, required: bool = True) -> dict:
        value = data.get(where[-1])
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            self.fail(where, "is missing" if value is None else "must be a table")
        return value

    def known(self, data: dict, allowed: set[str], where: tuple) -> None:
        for key in data:
            if key not in allowed:
                self.fail(where + (key,), f"is not a lesson field here; use one of {', '.join(sorted(allowed))}")

    def views(self, data: dict, where: tuple, required: bool) -> tuple[str, ...]:
        value = data.get(where[-1])
        if value is None and not required:
            return ()
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            self.fail(where, "must be a non-empty list of view ids, e.g. [\"attention_heatmap\"]")
        for v in value:
            if not VIEW_ID.match(v):
                self.fail(where, f"'{v}' is not a view id (lower-case letters, digits and _)")
        return tuple(value)

    def states(self, data: dict, where: tuple) -> dict:
        states = self.table(data, where, required=False)
        for view_id, state in states.items():
            if not VIEW_ID.match(view_id):
                self.fail(where + (view_id,), f"'{view_id}' is not a view id")
            if not isinstance(state, dict):
                self.fail(where + (view_id,), "must be a table of the view's settings")
        return {k: dict(v) for k, v in states.items()}

    def model(self, data: dict, where: tuple) -> str | None:
        ref = self.text(data, where, required=False, limit=500)
        if ref is None:
            return None
        from engine.errors import MlspError
        from engine.zoo import resolve

        if not ref.startswith(("hf:", "run:")):
            try:
                resolve(ref)
            except MlspError as exc:
                self.fail(where, str(exc))
        return ref

    def input(self, data: dict, where: tuple) -> LessonInput | None:
        value = data.get(where[-1])
        if value is None:
            return None
        if not isinstance(value, dict) or len([k for k in value if k in INPUT_KINDS]) != 1:
            self.fail(where, "must be one of { text = \"...\" }, { source = \"...\" }, { audio = \"...\" }, "
                             "{ image = \"...\" } or { record = \"...\" }")
        self.known(value, set(INPUT_KINDS) | {"name"}, where)
        key = next(k for k in value if k in INPUT_KINDS)
        text = self.text(value, where + (key,), limit=4000)
        name = value.get("name", "")
        if not isinstance(name, str):
            self.fail(where + ("name",), "must be text")
        return LessonInput(INPUT_KINDS[key], text, name)

    def training(self, data: dict, where: tuple) -> LessonTraining | None:
        value = data.get(where[-1])
        if value is None:
            return None
        if not isinstance(value, dict):
            self.fail(where, "must be a table { model = ..., data = ..., steps = N }")
        self.known(value, {"model", "data", "steps", "set"}, where)
        model = self.model(value, where + ("model",))
        if model is None:
            self.fail(where + ("model",), "is missing")
        steps = value.get("steps")
        if steps is not None and (not isinstance(steps, int) or isinstance(steps, bool) or not 1 <= steps <= 100_000):
            self.fail(where + ("steps",), f"must be a whole number of steps from 1 to 100000, not {steps!r}")
        settings = value.get("set", {})
        if not isinstance(settings, dict):
            self.fail(where + ("set",), "must be a table of key = value")
        return LessonTraining(model, self.text(value, where + ("data",), required=False, limit=500), steps, dict(settings))

    def math(self, formulas, where: tuple) -> tuple[str, ...]:
        if formulas is None:
            return ()
        if not isinstance(formulas, list) or not all(isinstance(f, str) and f.strip() for f in formulas):
            self.fail(where, "must be a list of formulas (text)")
        for f in formulas:
            try:
                to_html(f)
            except MathError as exc:
                self.fail(where, str(exc))
        return tuple(formulas)


def parse_lesson(path: str | Path, text: str | None = None) -> Lesson:
    """Read and validate one lesson file; LessonError names the file, line and field."""
    path = Path(path)
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise LessonError(str(path), 1, "file", f"cannot be read as UTF-8 text ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 1
        raise LessonError(str(path), line, "file", f"is not valid TOML: {exc}") from None
    except RecursionError:
        raise LessonError(str(path), 1, "file", "is nested too deeply to be a lesson") from None
    c = _Checker(path, text)
    c.known(data, TOP_KEYS, ())
    title = c.text(data, ("title",), limit=120)
    order = data.get("order")
    if not isinstance(order, int) or isinstance(order, bool) or not 1 <= order <= 99:
        c.fail(("order",), f"must be a whole number from 1 to 99 (the lesson's place in the lecture), not {order!r}")
    idea = c.text(data, ("idea",), limit=3000)
    try:
        inline_html(idea)
    except MathError as exc:
        c.fail(("idea",), str(exc))
    preset = c.table(data, ("preset",))
    c.known(preset, PRESET_KEYS, ("preset",))
    steps_data = data.get("step")
    if not isinstance(steps_data, list) or not MIN_STEPS <= len(steps_data) <= MAX_STEPS:
        c.fail(("step",), f"a lesson has {MIN_STEPS} to {MAX_STEPS} [[step]] items (\"try this\"), "
                          f"not {len(steps_data) if isinstance(steps_data, list) else 0}")
    steps = tuple(_step(c, s, i) for i, s in enumerate(steps_data))
    question = c.table(data, ("question",))
    c.known(question, {"text", "answer"}, ("question",))
    checkpoint = preset.get("checkpoint")
    if checkpoint is not None and not (checkpoint == "latest" or (isinstance(checkpoint, int) and checkpoint >= 0)):
        c.fail(("preset", "checkpoint"), f"must be \"latest\" or a step number, not {checkpoint!r}")
    return Lesson(path=str(path), order=order, title=title, topic=c.text(data, ("topic",), limit=80),
                  idea=idea, equations=c.math(data.get("equations"), ("equations",)),
                  model=c.model(preset, ("preset", "model")), input=c.input(preset, ("preset", "input")),
                  views=c.views(preset, ("preset", "views"), required=True),
                  states=c.states(preset, ("preset", "state")), steps=steps,
                  question=c.text(question, ("question", "text"), limit=600),
                  answer=c.text(question, ("question", "answer"), limit=1500),
                  training=c.training(preset, ("preset", "train")),
                  checkpoint=None if checkpoint is None else str(checkpoint))


def _step(c: _Checker, data, i: int) -> LessonStep:
    where = ("step", i)
    if not isinstance(data, dict):
        c.fail(where, "must be a table")
    c.known(data, STEP_KEYS, where)
    text = c.text(data, where + ("text",), limit=800)
    try:
        inline_html(text)
    except MathError as exc:
        c.fail(where + ("text",), str(exc))
    return LessonStep(text=text, states=c.states(data, where + ("state",)),
                      views=c.views(data, where + ("views",), required=False),
                      model=c.model(data, where + ("model",)), input=c.input(data, where + ("input",)))
