"""The dashboard's curves: points appended cheaply, drawn by a throttled redraw, log scale,
one colour per run for overlays, eval series dashed, the second plot showing one metric."""
import numpy as np
from PySide6.QtCore import Qt

from mlsp_gui.training.curves import MAX_HZ, CurvesWidget


def _curves(qtbot) -> CurvesWidget:
    w = CurvesWidget()
    qtbot.addWidget(w)
    w.resize(800, 500)
    return w


def test_appended_points_are_drawn_in_one_batched_redraw(qtbot):
    w = _curves(qtbot)
    steps = np.arange(1, 2001)
    for s in steps:
        w.append("run-a", "loss", s, 1.0 / s)
    assert w.redraw_count == 0                       # appending never draws by itself
    assert len(w.drawn("run-a", "loss")[0]) == 0
    with qtbot.waitSignal(w.redrawn, timeout=3000):
        pass
    x, y = w.drawn("run-a", "loss")
    np.testing.assert_array_equal(x, steps)
    np.testing.assert_allclose(y, 1.0 / steps)
    assert w.redraw_count == 1                       # 2000 points, one redraw


def test_later_points_arrive_in_a_later_redraw(qtbot):
    w = _curves(qtbot)
    w.append("r", "loss", 1, 2.0)
    with qtbot.waitSignal(w.redrawn, timeout=3000):
        pass
    for s in range(2, 50):
        w.append("r", "loss", s, 2.0 / s)
    with qtbot.waitSignal(w.redrawn, timeout=3000):
        pass
    assert w.redraw_count == 2
    assert len(w.drawn("r", "loss")[0]) == 49
    assert MAX_HZ <= 10


def test_non_finite_values_are_skipped(qtbot):
    w = _curves(qtbot)
    for s, v in enumerate([1.0, float("nan"), None, float("inf"), 0.5]):
        w.append("r", "loss", s, v)
    xs, ys = w.points("r", "loss")
    np.testing.assert_array_equal(xs, [0, 4])
    np.testing.assert_array_equal(ys, [1.0, 0.5])


def test_log_scale_toggle_applies_to_both_plots(qtbot):
    w = _curves(qtbot)
    w.append("r", "loss", 1, 10.0)
    w.append("r", "lr", 1, 1e-3)
    w.log_box.setChecked(True)
    assert w.loss_plot.ctrl.logYCheck.isChecked()
    assert w.metric_plot.ctrl.logYCheck.isChecked()
    w.set_log_y(False)
    assert not w.log_box.isChecked()
    assert not w.loss_plot.ctrl.logYCheck.isChecked()


def test_two_runs_overlay_with_their_own_colours(qtbot):
    w = _curves(qtbot)
    w.set_series("run-a", "loss", [1, 2, 3], [3.0, 2.0, 1.0])
    w.set_series("run-b", "loss", [1, 2], [4.0, 3.5])
    w.set_series("run-b", "eval loss", [2], [3.6])
    with qtbot.waitSignal(w.redrawn, timeout=3000):
        pass
    assert w.runs() == ["run-a", "run-b"]
    assert w.colour_of("run-a") != w.colour_of("run-b")
    items = {i.name(): i for i in w.loss_plot.listDataItems()}
    assert set(items) == {"run-a · loss", "run-b · loss", "run-b · eval loss"}
    assert items["run-b · eval loss"].opts["pen"].style() == Qt.PenStyle.DashLine
    assert items["run-a · loss"].opts["pen"].color() != items["run-b · loss"].opts["pen"].color()
    w.remove_run("run-a")
    assert w.runs() == ["run-b"]
    assert {i.name() for i in w.loss_plot.listDataItems()} == {"run-b · loss", "run-b · eval loss"}


def test_second_plot_shows_the_chosen_metric_only(qtbot):
    w = _curves(qtbot)
    w.append("r", "lr", 1, 1e-3)
    w.append("r", "eval accuracy", 1, 0.5)
    w.append("r", "loss", 1, 1.0)
    names = [w.metric_box.itemText(i) for i in range(w.metric_box.count())]
    assert sorted(names) == ["eval accuracy", "lr"]
    w.metric_box.setCurrentText("eval accuracy")
    assert w.shown(w.metric_plot) == ["r · eval accuracy"]
    w.metric_box.setCurrentText("lr")
    assert w.shown(w.metric_plot) == ["r · lr"]
    assert w.shown(w.loss_plot) == ["r · loss"]
    legend = [label.text for _sample, label in w.metric_plot.legend.items]
    assert legend == ["r · lr"]


def test_the_first_eval_metric_is_shown_until_the_user_picks_one(qtbot):
    w = _curves(qtbot)
    w.append("r", "lr", 1, 1e-3)
    assert w.metric_box.currentText() == "lr"
    w.append("r", "eval analogy_accuracy", 10, 0.4)
    assert w.metric_box.currentText() == "eval analogy_accuracy"
    assert w.shown(w.metric_plot) == ["r · eval analogy_accuracy"]
    w.append("r", "eval analogy_questions", 10, 1483)          # a second eval metric does not take over
    assert w.metric_box.currentText() == "eval analogy_accuracy"
    w.metric_box.setCurrentIndex(w.metric_box.findText("lr"))
    w.metric_box.activated.emit(w.metric_box.currentIndex())  # as a user's pick in the list emits it
    w.append("r2", "eval analogy_accuracy", 10, 0.5)
    w.append("r2", "eval other", 10, 0.5)
    assert w.metric_box.currentText() == "lr" and w.shown(w.metric_plot) == ["r · lr"]


def test_ranges_follow_the_data_until_the_user_zooms(qtbot):
    w = _curves(qtbot)
    for s in range(1, 101):
        w.append("r", "loss", s, 10.0 / s)
    with qtbot.waitSignal(w.redrawn, timeout=3000):
        pass
    (x0, x1), (y0, y1) = w.loss_plot.vb.viewRange()
    assert x0 <= 1 and x1 >= 100 and y0 <= 0.1 and y1 >= 10.0       # every point is in view
    w.loss_plot.vb.sigRangeChangedManually.emit([True, True])        # what a mouse pan/zoom sends
    assert not w.following
    w.loss_plot.setXRange(10, 20, padding=0)
    for s in range(101, 301):
        w.append("r", "loss", s, 10.0 / s)
    with qtbot.waitSignal(w.redrawn, timeout=3000):
        pass
    (x0, x1), _ = w.loss_plot.vb.viewRange()
    assert (x0, x1) == (10, 20)                                       # the user's view stays
    w.fit_button.click()
    (x0, x1), _ = w.loss_plot.vb.viewRange()
    assert w.following and x0 <= 1 and x1 >= 300


def test_legends_appear_only_when_they_tell_something(qtbot):
    w = _curves(qtbot)
    w.show()
    assert not w.loss_plot.legend.isVisible() and not w.metric_plot.legend.isVisible()   # no empty boxes
    w.append("a", "loss", 1, 1.0)
    qtbot.waitUntil(lambda: w.redraw_count > 0, timeout=2000)
    assert not w.loss_plot.legend.isVisible()                       # one run, one loss: nothing to tell
    w.append("b", "loss", 1, 2.0)
    qtbot.waitUntil(lambda: w.loss_plot.legend.isVisible(), timeout=2000)
    w.remove_run("b")
    assert not w.loss_plot.legend.isVisible()
