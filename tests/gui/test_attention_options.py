"""The attention options (sentence B, tokens to generate) are one evented model of the context:
a probe bar edits it, every attention view and probe bar of the context follows it, whoever
changes it (a user in one view, a script), and each change is announced once."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from mlsp_gui.attention_options import AttentionOptions
from mlsp_gui.context import AppContext
from mlsp_gui.session import InputItem
from mlsp_gui.views.attention_heatmap import AttentionHeatmapView
from mlsp_gui.views.head_view import HeadView


@pytest.fixture
def views(qtbot):
    ctx = AppContext.create()
    ctx.session.set_model("minilm")                  # a text model that takes sentence pairs (no torch to know)
    ctx.session.add_input(InputItem(kind="text", name="a", text="The cat sat."))
    made = [AttentionHeatmapView(ctx), HeadView(ctx)]
    for v in made:
        qtbot.addWidget(v)                            # not shown: they probe when shown, nothing loads here
    return ctx, made


def test_probe_bars_and_views_stay_in_sync(qtbot, views):
    ctx, (heatmap, head) = views
    pairs, generates = [], []
    ctx.attention.pair_changed.connect(pairs.append)
    ctx.attention.generate_changed.connect(generates.append)

    heatmap.probe_bar.pair_edit.setText("It was tired.")          # a user types sentence B in one view
    heatmap.probe_bar.pair_edit.editingFinished.emit()
    assert ctx.attention.pair == "It was tired." and pairs == ["It was tired."]
    assert head.probe_bar.pair_edit.text() == "It was tired."     # the other view's bar shows it
    for v in (heatmap, head):
        request = v.source.snapshot()
        assert request.pair == "It was tired." and request.probe_input.kind == "text-pair"

    qtbot.keyClick(head.probe_bar.generate_spin, Qt.Key.Key_Up)   # and the token count in the other
    assert ctx.attention.generate == 1 and heatmap.probe_bar.generate_spin.value() == 1
    ctx.attention.set_generate(5)                                  # a script
    assert [v.probe_bar.generate_spin.value() for v in (heatmap, head)] == [5, 5]
    assert generates == [1, 5]                                     # once per real change
    assert [v.source.snapshot().generate for v in (heatmap, head)] == [5, 5]
    assert all(v._dirty for v in (heatmap, head))                  # both re-probe when next shown

    ctx.attention.set_generate(5)
    heatmap.probe_bar.pair_edit.editingFinished.emit()             # nothing new: no signal
    assert generates == [1, 5] and len(pairs) == 1


def test_each_context_has_its_own_options_and_bad_values_are_refused(qtbot):
    a, b = AppContext.create(), AppContext.create()
    assert isinstance(a.attention, AttentionOptions) and a.attention is not b.attention
    a.attention.set_pair("B")
    assert b.attention.pair == ""
    with pytest.raises(ValueError):
        a.attention.set_generate(1000)
    assert a.attention.restore({"generate": "many", "pair": "C", "unknown": 1}) == ["pair"]
    assert a.attention.as_dict() == {"pair": "C", "generate": 0}


def test_probe_bar_wraps_its_source_line_in_a_narrow_view(qtbot):
    """The view's share of a 1280 x 720 window: "minilm · no text input: open or type one in Inputs,
    or" was cut off at "…in Inp"; the line wraps and shows all of it."""
    view = HeadView(AppContext.create())
    qtbot.addWidget(view)
    view.resize(640, 500)
    view.show()
    label = view.probe_bar.source_label
    qtbot.waitUntil(lambda: label.isVisible() and label.width() > 0, timeout=10000)
    qtbot.wait(20)
    assert "no text input" in label.text() and label.isVisible()
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    doc.setHtml(label.text())
    one_line = label.fontMetrics().horizontalAdvance(doc.toPlainText())
    if label.wordWrap():                                                   # every line of it in sight
        assert label.heightForWidth(label.width()) <= label.height()
    else:
        assert one_line <= label.width()
    assert label.geometry().right() < view.probe_bar.sample_button.geometry().left()
