"""Issue 13: at 1400 × 880 (the default) and 1280 × 720 every view's controls are wholly on screen
when it is in front — none cut off by the window's edge or squeezed under a neighbour (controls
inside a scrolling page may scroll) — and the Views navigator lists every view."""
from __future__ import annotations

import pytest
from fit_support import SIZES, sized_window, wholly_visible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
)
from window_support import wait_jobs

try:                                   # a model load may start tqdm's monitor thread (see the fixture's checks)
    import tqdm

    tqdm.tqdm.monitor_interval = 0
except ImportError:
    pass

CONTROLS = (QAbstractButton, QComboBox, QAbstractSpinBox, QLineEdit)
# The controls a view is used through, wherever they sit (a scrolling form included): on screen always.
PRIMARY = {
    "training": ["start_button", "pause_button", "resume_button", "cancel_button", "open_button", "curves.metric_box"],
    "embeddings": ["embed_button", "windows_box", "from_input_button"],
    "projector": ["controls.run_button", "controls.method", "source_bar.load_button", "search_edit"],
    "word2vec_slide": ["show_button", "word_edit", "top_spin"],
    "audio": ["play_button"],
    "head_view": ["focused_button", "all_heads_button", "layer_combo"],
    "attention_steps": ["layer_combo", "head_combo"],
}


def _attr(view, path: str):
    obj = view
    for part in path.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _in_scrolling_page(widget, view) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not view:
        if isinstance(parent, QAbstractScrollArea) and not isinstance(widget, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def primary_controls(view) -> list:
    found = []
    for cls in CONTROLS:
        for w in view.findChildren(cls):
            if w.isVisibleTo(view) and w.window() is view.window() and not _in_scrolling_page(w, view):
                if type(w).__name__ in ("QToolButton",) and w.parentWidget() is not None \
                        and type(w.parentWidget()).__name__ in ("QTabBar",):
                    continue
                found.append(w)
    return found


@pytest.mark.parametrize("size", SIZES)
def test_every_views_controls_are_on_screen(make_main_window, qtbot, size):
    window = sized_window(make_main_window, qtbot, size, [])
    problems = []
    for view_id in window.views.classes:
        view = window.views.open(view_id, focus=True)
        QApplication.processEvents()
        qtbot.waitUntil(view.isVisible, timeout=5000)
        QApplication.processEvents()
        named = [c for c in (_attr(view, p) for p in PRIMARY.get(view_id, [])) if c is not None]
        for control in named:
            if not wholly_visible(window, control):
                problems.append(f"{view_id}: primary control {type(control).__name__} '{getattr(control, 'text', str)()}'")
        for control in primary_controls(view):
            if not wholly_visible(window, control):
                text = getattr(control, "text", lambda: "")()
                problems.append(f"{view_id}: {type(control).__name__} '{text}'")
        window.views.close(view_id)
    wait_jobs(qtbot, window, timeout=180000)
    assert problems == []
