"""The Lessons panel: the lessons of seeds/ in lecture order; opening one sets up its model, input,
views and view states; "try this" steps set states; the answer is revealed on demand; a user's
malformed lesson file is refused with its line named; the panel remembers where the user left off;
the very first launch opens lesson 1."""
from __future__ import annotations

from window_support import wait_jobs

from engine.lessons import list_lessons

LESSON = '''title = "Heads"
order = 42
topic = "Tests"
idea = "Look at $a_t$."
[preset]
model = "minilm"
input = { text = "The animal didn't cross the street because it was too tired.", name = "animal" }
views = ["attention_heatmap", "head_view"]
[preset.state.attention_heatmap]
layer = 1
head = 3
[[step]]
text = "Layer 4."
[step.state.attention_heatmap]
layer = 4
head = 0
[[step]]
text = "The head view."
views = ["head_view"]
[question]
text = "Why?"
answer = "Because heads differ."
'''


def test_the_panel_lists_every_lesson_in_order(make_main_window, qtbot):
    window = make_main_window()
    dock = window.lessons.dock
    qtbot.waitUntil(lambda: dock.combo.count() > 0, timeout=30000)
    expected = list_lessons()
    assert [dock.combo.itemData(i) for i in range(dock.combo.count())] == [x.path for x in expected]
    assert not window.ctx.session.inputs                 # a test window (views asked for) opens no lesson


def test_opening_a_lesson_sets_up_model_input_views_and_states(make_main_window, qtbot, tmp_path):
    window = make_main_window()
    path = tmp_path / "heads.toml"
    path.write_text(LESSON, encoding="utf-8")
    dock = window.lessons.dock
    assert dock.open_path(str(path))
    assert window.ctx.session.model == "minilm"
    qtbot.waitUntil(lambda: window.ctx.session.current is not None, timeout=30000)
    assert window.ctx.session.current.name == "animal"
    assert window.views.open_ids() == ["attention_heatmap", "head_view"]    # the lesson's views replace the open ones
    heatmap = window.views.view("attention_heatmap")
    assert window.tabs.currentWidget() is heatmap
    qtbot.waitUntil(lambda: heatmap.record is not None, timeout=120000)
    qtbot.waitUntil(lambda: heatmap.view_state().get("layer") == 1, timeout=10000)
    assert heatmap.view_state()["head"] == 3
    dock.next_step.click()
    assert dock.steps_box.title() == "Try this · 2 of 2"
    dock.prev_step.click()                               # back to step 1, applied: layer 4, head 0
    assert heatmap.view_state()["layer"] == 4 and heatmap.view_state()["head"] == 0
    assert not dock.answer.isVisible()
    dock.answer_button.click()
    assert dock.answer.isVisible() and "heads differ" in dock.answer.text()
    assert window.settings.lesson == str(path) and window.settings.lesson_step == "0"
    inputs = len(window.ctx.session.inputs)
    dock.open_path(str(path))                            # opened again: the same input, not a second copy
    wait_jobs(qtbot, window, 120000)
    assert len(window.ctx.session.inputs) == inputs


def test_a_malformed_lesson_is_refused_naming_the_line(make_main_window, tmp_path):
    window = make_main_window()
    path = tmp_path / "bad.toml"
    path.write_text(LESSON.replace('layer = 4', 'layer = 4\ncolour = "red"').replace("[[step]]\ntext = \"Layer 4.\"",
                    "[[step]]\ntext = \"Layer 4.\"\nbogus = 1", 1), encoding="utf-8")
    assert not window.lessons.dock.open_path(str(path))
    assert f"{path} line 14: step.0.bogus" in window.lessons.dock.status.text()
    assert not window.ctx.session.inputs


def test_the_first_launch_opens_lesson_one_and_a_relaunch_returns_to_the_same_step(make_main_window, qtbot):
    window = make_main_window(open_views=None)
    dock = window.lessons.dock
    first = list_lessons()[0]
    qtbot.waitUntil(lambda: dock.lesson is not None, timeout=30000)
    assert dock.lesson.path == first.path and window.settings.lesson == first.path
    assert window.tabs.currentWidget() is window.views.view(first.views[0])
    wait_jobs(qtbot, window, 180000)
    dock.go_step(1, apply=True)
    window.close()
    again = make_main_window(open_views=None)
    qtbot.waitUntil(lambda: again.lessons.dock.lesson is not None, timeout=30000)
    assert again.lessons.dock.lesson.path == first.path and again.lessons.dock.step == 1
