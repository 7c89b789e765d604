"""Defect 1 of issue 13: at 1400 × 880 and 1280 × 720 the Training tab's Start, Pause, Resume and
Cancel are on screen, no two labels of the live status overlap (however long their text), and the
second plot's metric box shows a whole metric name."""
from __future__ import annotations

import pytest
from fit_support import SIZES, overlapping, sized_window, wholly_visible
from PySide6.QtWidgets import QApplication


@pytest.mark.parametrize("size", SIZES)
def test_training_controls_fit_the_window(make_main_window, qtbot, size):
    window = sized_window(make_main_window, qtbot, size, ["training"])
    window.views.open("training", focus=True)
    view = window.views.view("training")
    qtbot.waitUntil(view.isVisible, timeout=5000)
    QApplication.processEvents()
    for button in (view.start_button, view.pause_button, view.resume_button, view.cancel_button, view.open_button):
        assert wholly_visible(window, button), f"{button.text()} is not on screen at {size}"
    status = view.status
    status.timing.setText("ETA 0:41  ·  0:12 elapsed  ·  epoch 2.37")
    status.throughput.setText("1.04 Mwords/s")
    status.device.setText("device cpu")
    QApplication.processEvents()
    rects = status.label_rects()
    assert overlapping(rects) == []
    assert all(status.rect().contains(r) for r in rects.values())
    for label in (status.timing, status.throughput):
        assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width()
    box = view.curves.metric_box
    box.addItem("eval analogy_accuracy")
    box.setCurrentText("eval analogy_accuracy")
    QApplication.processEvents()
    assert wholly_visible(window, box)
    assert box.fontMetrics().horizontalAdvance("eval analogy_accuracy") < box.width() - 20


def test_model_dock_highlights_a_run_opened_in_views(make_main_window, qtbot, tmp_path):
    """Defect 10: after Open in views the Model dock highlights the run, not minilm."""
    window = make_main_window(open_views=[])
    qtbot.waitUntil(lambda: bool(window.model_dock.specs), timeout=20000)
    run = tmp_path / "w2v-run"
    run.mkdir()
    window.ctx.session.set_model("minilm")
    window.ctx.session.set_model(str(run))            # what Training's "Open in views" does
    current = window.model_dock.tree.currentItem()
    assert current is not None and current.data(0, 0x0100) == str(run) and current.text(0) == "w2v-run"
    window.ctx.session.set_model("minilm")
    assert window.model_dock.tree.currentItem().data(0, 0x0100) == "minilm"
