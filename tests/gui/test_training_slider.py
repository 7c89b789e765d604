"""The step slider over a run's checkpoints: follows new ones, emits a settled choice, keeps
a checkpoint the user went back to, and survives rotation of old checkpoints."""
from mlsp_gui.training.step_slider import StepSlider


def _slider(qtbot) -> StepSlider:
    s = StepSlider()
    qtbot.addWidget(s)
    return s


def test_follow_moves_to_each_new_checkpoint(qtbot):
    s = _slider(qtbot)
    assert s.current() is None and "no checkpoint" in s.label.text()
    assert s.add_checkpoint(10, "/r/step-10")
    assert s.add_checkpoint(20, "/r/step-20")
    assert s.current() == (20, "/r/step-20")
    assert "step 20" in s.label.text() and "2/2" in s.label.text()
    assert not s.add_checkpoint(20, "/r/step-20")          # the same checkpoint twice: no move


def test_going_back_emits_the_older_checkpoint_and_stops_following(qtbot):
    s = _slider(qtbot)
    s.set_checkpoints([(10, "/r/a"), (20, "/r/b"), (30, "/r/c")])
    assert s.current() == (30, "/r/c")
    with qtbot.waitSignal(s.checkpoint_selected, timeout=1000) as sig:
        s.select_index(0)
    assert sig.args == ["/r/a"]
    assert not s.follow.isChecked()
    assert not s.add_checkpoint(40, "/r/d")                 # stays where the user put it
    assert s.current() == (10, "/r/a")
    s.follow.setChecked(True)
    assert s.add_checkpoint(50, "/r/e")
    assert s.current() == (50, "/r/e")


def test_keyboard_steps_emit_each_checkpoint(qtbot):
    s = _slider(qtbot)
    s.set_checkpoints([(1, "/r/1"), (2, "/r/2"), (3, "/r/3")])
    got = []
    s.checkpoint_selected.connect(got.append)
    s.slider.setValue(1)
    s.slider.setValue(0)
    assert got == ["/r/2", "/r/1"]


def test_rotation_keeps_the_chosen_checkpoint_when_not_following(qtbot):
    s = _slider(qtbot)
    s.set_checkpoints([(10, "/r/a"), (20, "/r/b"), (30, "/r/c")])
    s.select_index(1)
    s.set_checkpoints([(20, "/r/b"), (30, "/r/c"), (40, "/r/d")])   # step 10 rotated away
    assert s.current() == (20, "/r/b")
    s.set_checkpoints([(30, "/r/c"), (40, "/r/d"), (50, "/r/e")])   # the chosen one is gone too
    assert s.current() == (50, "/r/e")
