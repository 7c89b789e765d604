"""The Training view's curve axes keep their tick labels apart on a short plot (1280 × 720 with the
docks open), and leave a tall plot's ticks as pyqtgraph chose them."""
from __future__ import annotations

import pytest

from mlsp_gui.widgets.compact_axis import CompactAxis, next_nice, widen


def test_next_nice_walks_one_two_five():
    steps = [0.1]
    for _ in range(6):
        steps.append(next_nice(steps[-1]))
    assert steps == pytest.approx([0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0])
    assert next_nice(0.25) == pytest.approx(0.5) and next_nice(3.0) == pytest.approx(5.0)


@pytest.mark.parametrize("size", [24, 30, 60, 90])
def test_labelled_ticks_are_at_least_min_gap_apart(qtbot, size):
    axis = CompactAxis("left", min_gap=22)
    plain = super(CompactAxis, axis).tickSpacing(0.0, 1.0, size)
    levels = axis.tickSpacing(0.0, 1.0, size)
    assert size * levels[0][0] / 1.0 >= 22
    assert levels[0][0] >= plain[0][0]
    assert size * plain[0][0] < 22 or levels == list(plain)     # widened only when needed


def test_tall_axis_and_horizontal_axis_unchanged(qtbot):
    tall = CompactAxis("left")
    assert tall.tickSpacing(0.0, 1.0, 400) == list(super(CompactAxis, tall).tickSpacing(0.0, 1.0, 400))
    bottom = CompactAxis("bottom")
    assert bottom.tickSpacing(0.0, 1.0, 20) == super(CompactAxis, bottom).tickSpacing(0.0, 1.0, 20)
    assert widen([], 0, 1, 30, 22) == [] and widen([(0.2, 0)], 1, 1, 30, 22) == [(0.2, 0)]


def test_training_curves_use_it(qtbot):
    from mlsp_gui.training.curves import CurvesWidget

    curves = CurvesWidget()
    qtbot.addWidget(curves)
    for plot in (curves.loss_plot, curves.metric_plot):
        axis = plot.getAxis("left")
        assert isinstance(axis, CompactAxis)
        values = axis.tickValues(0.0, 1.0, 30)[0][1]              # the labelled level on a 30-px axis
        assert len(values) <= 2
