"""The language-model views on tiny real models: Masked prediction masks a clicked token and draws
its bars and per-head attention, and tells minilm has no MLM head; Next token redraws its bars as
the sampling controls move, greys what they cut, appends a clicked bar and keeps the steps; Model
size shows our model beside the GPT series."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
import lm_tiny  # noqa: E402

from mlsp_gui.context import AppContext  # noqa: E402

SHOTS = os.environ.get("MLSP_SHOTS")


def _view(qtbot, cls):
    view = cls(AppContext.create())
    qtbot.addWidget(view)
    view.resize(1200, 800)
    return view


def _shot(view, name: str) -> None:
    if SHOTS:
        view.grab().save(str(Path(SHOTS) / f"{name}.png"))


def test_masked_prediction_masks_a_clicked_token(qtbot):
    from mlsp_gui.views.masked_prediction import MaskedPredictionView

    view = _view(qtbot, MaskedPredictionView)
    view.text_edit.setText("the king lives in the [MASK]")
    view.use_model(lm_tiny.load("bert-mini", lm_tiny.tiny_bert()))
    qtbot.waitUntil(lambda: view.record is not None, timeout=60000)
    assert len(view.charts) == 1 and view.record.fill.tokens[view.record.fill.masked[0]] == "[MASK]"
    assert view.record.attention.shape[0] == 2 * 4 and np.allclose(view.record.attention.sum(1), 1, atol=1e-4)
    first = view.record
    view.token_buttons[2].click()                     # "king"
    qtbot.waitUntil(lambda: view.record is not first, timeout=60000)
    assert view.record.fill.masked == (2, first.fill.masked[0]) and len(view.charts) == 2
    assert view.view_state()["positions"] == [2]
    view.show()
    _shot(view, "masked_prediction")


def test_masked_prediction_wraps_tokens_and_writes_percentages_in_a_narrow_view(qtbot):
    """A long sentence in a narrow view: the token buttons go onto more lines at their full width
    (none squeezed to a few clipped letters), and the bars' numbers are percentages."""
    from mlsp_gui.views.masked_prediction import MaskedPredictionView
    from mlsp_gui.widgets.bar_chart import percent

    view = _view(qtbot, MaskedPredictionView)
    view.text_edit.setText("the king rules the kingdom and the queen lives in the palace with the [MASK]")
    view.use_model(lm_tiny.load("bert-mini", lm_tiny.tiny_bert()))   # before show(): no shipped model loads
    qtbot.waitUntil(lambda: view.record is not None and len(view.token_buttons) > 10, timeout=60000)
    view.resize(620, 720)
    view.show()
    buttons = view.token_buttons
    # the new buttons are placed when Qt handles the layout request (later on a loaded machine)
    qtbot.waitUntil(lambda: len({b.y() for b in buttons}) >= 2, timeout=10000)     # wrapped onto a second line
    assert all(b.width() >= b.sizeHint().width() for b in buttons)
    assert all(b.geometry().right() <= b.parentWidget().width() for b in buttons)
    probs = [p.prob for p in view.record.fill.predictions[0]]
    assert view.charts[0].numbers() == [percent(p) for p in probs]
    assert all(n.endswith("%") for n in view.charts[0].numbers())


def test_percent_writes_probabilities_a_reader_can_compare():
    from mlsp_gui.widgets.bar_chart import percent

    assert [percent(p) for p in (0.95, 0.025, 0.0041, 0.0004, float("nan"))][:4] == ["95.0%", "2.5%", "0.4%", "<0.1%"]
    assert percent(float("nan")) != ""


def test_masked_prediction_says_minilm_has_no_mlm_head(qtbot):
    from mlsp_gui.views.masked_prediction import MaskedPredictionView

    view = _view(qtbot, MaskedPredictionView)
    view.ctx.session.set_model("minilm")
    view.show()
    qtbot.waitUntil(lambda: "cannot fill in masked words" in view.message.text(), timeout=10000)
    assert "bert-mini" in view.message.text() and view.record is None


def test_next_token_bars_follow_the_controls_and_steps_are_kept(qtbot):
    from mlsp_gui.views.next_token import NextTokenView

    view = _view(qtbot, NextTokenView)
    view.use_model(lm_tiny.load("gpt-mini", lm_tiny.tiny_gpt("bpe")))
    qtbot.waitUntil(lambda: view.record is not None, timeout=60000)
    assert view.bar_kept.all() and np.isclose(view.dist.probs.sum(), 1)
    view.topk.setValue(3)                                      # redraws at once: 3 kept, the rest grey
    assert view.bar_kept.sum() == 3 and not view.bar_kept[3:].any()
    assert np.isclose(view.bar_heights[:3].sum(), 1, atol=1e-5)
    view.topk.setValue(0)
    view.temp.setValue(0)
    assert view.bar_kept.sum() == 1 and "Greedy" in view.greedy_label.text()
    view.temp.setValue(100)
    view.topp.setValue(0)
    assert view.bar_kept.sum() == 1 and "Greedy" in view.greedy_label.text()
    view.topp.setValue(100)
    first = view.record
    view.append(view.shown[1], "clicked")                      # what clicking the second bar does
    qtbot.waitUntil(lambda: view.record is not first, timeout=60000)
    assert view.record.ids == first.ids + (first.top_ids[1],) and view.history_list.count() == 1
    second = view.record
    view.sample()
    qtbot.waitUntil(lambda: view.record is not second, timeout=60000)
    assert len(view.record.ids) == len(first.ids) + 2 and view.history_list.count() == 2
    assert view.record.attention is not None and view.record.attention.shape[1] == len(view.record.ids)
    view.back()
    assert view.record is second and view.history_list.count() == 1
    view.show()
    _shot(view, "next_token")


def test_next_token_controls_wrap_in_a_narrow_view_and_the_greedy_line_takes_room_only_when_shown(qtbot):
    """At 1280 x 720 the view is ~650 px wide: the sampling controls go onto two lines at their full
    width ("temperature" was clipped to "temperatu" in one squeezed row), and the empty greedy
    line takes no height until temperature 0 gives it something to say."""
    from PySide6.QtWidgets import QLabel

    from mlsp_gui.views.next_token import NextTokenView

    view = _view(qtbot, NextTokenView)
    view.use_model(lm_tiny.load("gpt-mini", lm_tiny.tiny_gpt("bpe")))    # before show(): no shipped model loads
    qtbot.waitUntil(lambda: view.record is not None, timeout=60000)
    view.resize(640, 700)
    view.show()
    controls = view.temp.parentWidget()
    items = [controls.layout().itemAt(i).widget() for i in range(controls.layout().count())]
    qtbot.waitUntil(lambda: len({w.y() for w in items}) >= 2, timeout=10000)       # two lines of controls
    labels = [w for w in items if isinstance(w, QLabel)]
    assert all(w.width() >= w.sizeHint().width() for w in labels)
    assert all(w.geometry().right() <= controls.width() for w in items)
    assert not view.greedy_label.isVisible()
    view.temp.setValue(0)
    assert view.greedy_label.isVisible() and "Greedy" in view.greedy_label.text()


def test_model_size_puts_our_model_in_the_gpt_table(qtbot):
    from mlsp_gui.views.model_size import ModelSizeView, human

    view = _view(qtbot, ModelSizeView)
    model = lm_tiny.load("bert-mini", lm_tiny.tiny_bert())
    view.use_model(model)
    qtbot.waitUntil(lambda: view.record is not None, timeout=60000)
    total = sum(p.numel() for p in model.net.parameters())
    assert view.table.item(5, 0).text().startswith(f"{total:,}") and view.table.columnCount() == 5
    assert "GPT-3" in view.table.horizontalHeaderItem(4).text() and "is equal" in view.message.text()
    view.resize(650, 540)                             # the view's share of a 1280 x 720 window
    view.show()
    table = view.table                                # every row in sight, the total row above all
    in_sight = lambda: 0 <= table.rowViewportPosition(5) and (  # noqa: E731
        table.rowViewportPosition(5) + table.rowHeight(5) <= table.viewport().height())
    qtbot.waitUntil(lambda: view.chart.width() > 400 and in_sight(), timeout=10000)
    assert view.chart.width() > 400 and view.chart.height() >= 160   # below the table: room for four names
    named = lambda: view.axis.labelled(*view.axis.range, view.axis.width())  # noqa: E731
    qtbot.waitUntil(lambda: named() == [0, 1, 2, 3], timeout=10000)                # every bar named
    assert view.axis.tickStrings([0, 3], 1, 1) == [f"{view.record.model.name} ({human(total)})", "GPT-3 (175B)"]
    _shot(view, "model_size")


def test_finetune_curve_plots_pretrained_against_scratch(qtbot, tmp_path):
    from mlsp_gui.views.finetune_curve import FinetuneCurveView

    path = tmp_path / "task.tsv"
    rows = [f"the king lives in the castle {i}\troyal" if i % 2 else f"the cow eats the grass {i}\tanimal" for i in range(40)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    view = _view(qtbot, FinetuneCurveView)
    ticks = lambda: [label for _, label in view.plot.getAxis("bottom")._tickLevels[0]]  # noqa: E731
    assert ticks() == ["20", "50", "200", "1,000"]                  # before a run: where the counts will be
    assert view.hint.text().startswith("Press Run") and not view.hint.isHidden()
    view.use_model(lm_tiny.load("bert-mini", lm_tiny.tiny_bert()))
    view.counts, view.steps = (4, 16), 8
    view.task.setCurrentText(str(path))
    view.seeds.setValue(2)
    view.run()
    qtbot.waitUntil(lambda: view.record is not None, timeout=120000)
    assert view.record.label_counts() == [4, 16] and len(view.record.results) == 2 * 2 * 2
    xs, means = view.curves["pretrained"]
    assert list(xs) == pytest.approx([4, 16]) and all(0 <= m <= 1 for m in means)
    assert means[1] == pytest.approx(np.mean(view.record.accuracies("pretrained", 16)))
    assert ticks() == ["4", "16"] and view.hint.isHidden()          # ticks at the counts run, the hint gone
    view.show()
    _shot(view, "finetune_curve")


def test_huggingface_bert_mlm_and_gpt2_folders_work_in_the_views(qtbot):
    import hf_tiny

    from engine.zoo import load_model
    from mlsp_gui.views.masked_prediction import MaskedPredictionView
    from mlsp_gui.views.next_token import NextTokenView

    masked = _view(qtbot, MaskedPredictionView)
    masked.text_edit.setText("the cat [MASK] on the mat")
    masked.use_model(load_model(f"hf:{hf_tiny.tiny_folder('bert')}", "cpu"))
    qtbot.waitUntil(lambda: masked.record is not None, timeout=60000)
    assert len(masked.charts) == 1 and masked.record.attention.shape == (2 * 4, len(masked.record.fill.tokens))
    nxt = _view(qtbot, NextTokenView)
    nxt.use_model(load_model(f"hf:{hf_tiny.tiny_folder('gpt2')}", "cpu"))
    qtbot.waitUntil(lambda: nxt.record is not None, timeout=60000)
    first = nxt.record
    nxt.greedy_step()
    qtbot.waitUntil(lambda: nxt.record is not first, timeout=60000)
    assert nxt.record.ids[:-1] == first.ids and nxt.record.ids[-1] == int(np.argmax(first.raw))
