"""Defect 9 of issue 13: the step-by-step page has an overview (the lecture's pipeline as a row of
clickable stages that shows where the page is), starts on a content word rather than [CLS], and
W^O's colour scale is not set by its few largest weights."""
from __future__ import annotations

import numpy as np
from attention_fixtures import mha_record
from PySide6.QtWidgets import QApplication

from mlsp_gui.context import AppContext
from mlsp_gui.views.attention_steps import STAGES, AttentionStepsView, first_content_token, robust_levels

TOKENS = ["[CLS]", "the", "animal", "was", "tired", ".", "[SEP]"]


def test_starts_on_a_content_word_and_the_pipeline_scrolls(qtbot):
    view = AttentionStepsView(AppContext.create())
    qtbot.addWidget(view)
    view.resize(1100, 800)
    view.show()
    qtbot.waitExposed(view)
    view.show_record(mha_record(TOKENS, layers=2, heads=3, head_dim=4, step=(1, 2), seed=6))
    assert view.query() == 2 and TOKENS[view.query()] == "animal"
    assert list(view.stage_buttons) == list(STAGES)
    QApplication.processEvents()
    qtbot.waitUntil(view._laid_out, timeout=5000)
    view.stage_buttons["heads"].click()
    QApplication.processEvents()
    assert view.stage() == "heads" and view.stage_buttons["heads"].isChecked()
    assert view.scroll.verticalScrollBar().value() > 0
    view.stage_buttons["x"].click()
    assert view.stage() == "x" and view.stage_buttons["x"].isChecked() and not view.stage_buttons["heads"].isChecked()


def test_w_o_scale_follows_most_weights():
    rng = np.random.default_rng(0)
    w = rng.normal(scale=0.05, size=(48, 48))
    w[0, 0] = 3.0                                         # one outlier no longer greys out the rest
    lo, hi = robust_levels(w)
    assert hi < 0.2 and lo == -hi
    assert first_content_token(["[CLS]", "Ġthe", "Ġcat"]) == 2
    assert first_content_token(["[CLS]", "[SEP]"]) == 0
