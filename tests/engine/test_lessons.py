"""Lesson files: every lesson in seeds/ validates; a malformed file gives an error naming the
file, the line and the field; the LaTeX subset renders as rich text and refuses what it does not know."""
from __future__ import annotations

import pytest

from engine.lessons import check_lessons, lesson_files, parse_lesson
from engine.lessons.mathtext import MathError, inline_html, to_html
from engine.lessons.schema import LessonError

GOOD = '''title = "A lesson"
order = 7
topic = "Tests"
idea = "Words $x_t$ look at each other."
equations = ["a_t = \\\\frac{\\\\exp(e_t)}{\\\\sum_s \\\\exp(e_s)}"]

[preset]
model = "minilm"
input = { text = "the cat sat" }
views = ["attention_heatmap"]

[preset.state.attention_heatmap]
layer = 1

[[step]]
text = "Look at layer 1."

[[step]]
text = "Now layer 2."
[step.state.attention_heatmap]
layer = 2

[question]
text = "Why?"
answer = "Because."
'''


def _write(tmp_path, text: str):
    path = tmp_path / "lesson.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_shipped_lesson_validates():
    files = lesson_files()
    assert files, "seeds/ holds no lessons"
    lessons, errors = check_lessons(files)
    assert not errors, [str(e) for e in errors]
    assert [x.order for x in lessons] == sorted(x.order for x in lessons)


def test_a_good_file_reads_into_a_lesson(tmp_path):
    lesson = parse_lesson(_write(tmp_path, GOOD))
    assert (lesson.title, lesson.order, lesson.model, lesson.views) == ("A lesson", 7, "minilm", ("attention_heatmap",))
    assert lesson.input.kind == "text" and lesson.input.value == "the cat sat"
    assert lesson.states == {"attention_heatmap": {"layer": 1}}
    assert [s.states for s in lesson.steps] == [{}, {"attention_heatmap": {"layer": 2}}]


@pytest.mark.parametrize("change, line, field, words", [
    (("order = 7", "order = \"seven\""), 2, "order", "whole number"),
    (("title = \"A lesson\"\n", ""), 1, "title", "is missing"),
    (("topic = \"Tests\"", "topic = \"Tests\"\ncolour = \"red\""), 4, "colour", "not a lesson field"),
    (("model = \"minilm\"", "model = \"no-such-model\""), 8, "preset.model", "unknown model"),
    (("input = { text = \"the cat sat\" }", "input = { text = \"a\", audio = \"b.wav\" }"), 9, "preset.input", "one of"),
    (("views = [\"attention_heatmap\"]", "views = [\"Attention Heatmap\"]"), 10, "preset.views", "not a view id"),
    (("\\\\sum_s", "\\\\summ_s"), 5, "equations", "unknown command \\summ"),
    (("text = \"Now layer 2.\"", "text = \"\""), 19, "step.1.text", "non-empty text"),
    (("answer = \"Because.\"", "answr = \"Because.\""), 25, "question.answr", "not a lesson field"),
    (("layer = 2", "layer = 2\n[[step]]\ntext = \"3\"\n[[step]]\ntext = \"4\"\n[[step]]\ntext = \"5\"\n[[step]]\ntext = \"6\""),
     15, "step", "2 to 5 [[step]] items"),
    (("[question]", "[question\n"), 23, "file", "not valid TOML"),
])
def test_errors_name_the_file_line_and_field(tmp_path, change, line, field, words):
    old, new = change
    assert old in GOOD
    path = _write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(LessonError) as info:
        parse_lesson(path)
    err = info.value
    assert (err.line, err.field) == (line, field), str(err)
    assert words in err.problem and str(err).startswith(f"{path} line {line}: {field}: ")


def test_duplicate_orders_and_one_bad_file_do_not_hide_the_others(tmp_path):
    a, b, c = tmp_path / "a.toml", tmp_path / "b.toml", tmp_path / "c.toml"
    a.write_text(GOOD, encoding="utf-8")
    b.write_text(GOOD.replace("order = 7", "order = 8"), encoding="utf-8")
    c.write_text(GOOD.replace("order = 7", "order = 8"), encoding="utf-8")
    lessons, errors = check_lessons([a, b, c])
    assert [x.order for x in lessons] == [7, 8, 8]
    assert len(errors) == 1 and "also the order of b.toml" in str(errors[0])


def test_the_latex_subset_renders_as_rich_text():
    html = to_html(r"\mathbf{u}_t = \tanh(\mathbf{W}_l \mathbf{h}_t + \mathbf{b}_l)")
    assert html == "<b>u</b><sub><i>t</i></sub> = tanh(<b>W</b><sub><i>l</i></sub><b>h</b><sub><i>t</i></sub> + " \
                   "<b>b</b><sub><i>l</i></sub>)"
    assert to_html(r"\frac{QK^\top}{\sqrt{d_k}}") == ("<i>Q</i><i>K</i><sup>⊤</sup>\u2009/\u2009√<span style='text-decoration: "
                                                     "overline'><i>d</i><sub><i>k</i></sub></span>")
    assert to_html(r"\frac{a + b}{c}").startswith("(<i>a</i> + <i>b</i>)")
    assert to_html(r"\mathbf{x}_t \in \mathcal{R}^D") == "<b>x</b><sub><i>t</i></sub> ∈ ℝ<sup><i>D</i></sup>"
    assert inline_html("the <b> tag $a_t$") == "the &lt;b&gt; tag <i>a</i><sub><i>t</i></sub>"
    for bad in (r"\frac{a}{b", r"a}", r"\undefinedthing x"):
        with pytest.raises(MathError):
            to_html(bad)
    with pytest.raises(MathError, match="no closing"):
        inline_html("cost $x")
