"""Model view clicks open the heatmap; the step view shows the record's own numbers (the lecture's
112 and 96 among them); the summary view draws rollout/entropy/distance and opens heads."""
import numpy as np
import pytest
from attention_fixtures import lecture_record, mha_record
from PySide6.QtWidgets import QTabWidget
from qt_events import click

from engine.probes.attention_summary import check_step, head_distance, head_entropy, rollout
from mlsp_gui.context import AppContext
from mlsp_gui.views.attention_heatmap import AttentionHeatmapView
from mlsp_gui.views.attention_steps import AttentionStepsView
from mlsp_gui.views.attention_summary import AttentionSummaryView
from mlsp_gui.views.model_view import ModelView
from mlsp_gui.widgets.heatmap import format_value

TOKENS = ["[CLS]", "the", "animal", "was", "tired", ".", "[SEP]"]


@pytest.fixture
def tabs(qtbot):
    """A tab widget like the window's, holding the heatmap and another view on one context."""
    ctx = AppContext.create()
    widget = QTabWidget()
    qtbot.addWidget(widget)
    heatmap = AttentionHeatmapView(ctx)
    widget.addTab(heatmap, heatmap.title)
    widget.resize(1000, 750)
    widget.show()
    qtbot.waitExposed(widget)
    return ctx, widget, heatmap


def test_model_view_click_opens_the_heatmap_at_that_layer_and_head(qtbot, tabs):
    ctx, widget, heatmap = tabs
    model = ModelView(ctx)
    widget.insertTab(0, model, model.title)
    widget.setCurrentWidget(model)
    rec = mha_record(TOKENS, layers=3, heads=4, seed=5)
    model.show_record(rec)
    qtbot.wait(50)
    assert len(model.images) == 3 and all(len(row) == 4 for row in model.images)
    assert np.array_equal(model.images[2][1].image, rec.weights[2, 1])
    click(model.plot_widget.viewport(), model.cell_center(2, 1))
    assert widget.currentWidget() is heatmap
    assert heatmap.selection() == (0, 2, 1)
    assert np.array_equal(heatmap.heatmap.data(), rec.weights[2, 1])
    widget.setCurrentWidget(model)
    click(model.plot_widget.viewport(), model.cell_center(0, 3))
    assert widget.currentWidget() is heatmap and heatmap.selection() == (0, 0, 3)


def test_step_view_shows_the_lectures_numbers(qtbot):
    view = AttentionStepsView(AppContext.create())
    qtbot.addWidget(view)
    view.resize(1100, 800)
    view.show()
    rec = lecture_record()
    view.show_record(rec)
    step = rec.step
    assert view.score_bars.numbers() == [format_value(v) for v in step.scores[0]] == ["112", "96"]
    assert view.scaled_bars.numbers() == [format_value(v) for v in step.scaled[0]] == ["14", "12"]
    assert view.softmax_bars.numbers() == [format_value(v) for v in step.weights[0]]
    assert [view.table.item(j, 1).text() for j in range(2)] == ["112", "96"]
    assert "d_k = 64, √d_k = 8" in view.titles["score"].text()
    assert view.out_check.text().endswith(f"max |Δ| = {check_step(step).out:.2e}")


def test_step_view_numbers_equal_the_record_for_every_query(qtbot):
    view = AttentionStepsView(AppContext.create())
    qtbot.addWidget(view)
    rec = mha_record(TOKENS, layers=2, heads=3, head_dim=4, causal=True, step=(1, 2), seed=6)
    view.show_record(rec)
    step = rec.step
    assert (view.layer_combo.currentIndex(), view.head_combo.currentIndex()) == (1, 2)
    for name, hm, want in (("x", view.x_map, step.x), ("w_q", view.wq_map, step.w_q), ("k", view.k_map, step.k),
                           ("concat", view.concat_map, step.concat), ("w_o", view.wo_map, step.w_o),
                           ("out", view.block_map, step.out)):
        assert np.allclose(hm.data(), want), name
    for i in (0, 3, 6):
        view.tokens.select(i)
        assert np.allclose(view.score_bars.values[step.mask[i]], step.scores[i][step.mask[i]])
        assert np.all(np.isneginf(view.score_bars.values[~step.mask[i]]))          # causal: later keys masked
        assert np.allclose(view.softmax_bars.values, step.weights[i])
        assert np.allclose(view.out_bars.values, step.head_out[i])
        assert [view.table.item(j, 3).text() for j in range(len(TOKENS))] == [format_value(w) for w in step.weights[i]]
        assert sum(view.table.item(j, 2).text() == "masked" for j in range(len(TOKENS))) == len(TOKENS) - 1 - i
    delta = check_step(step).out
    assert delta < 1e-9 and view.out_check.text().endswith(f"max |Δ| = {delta:.2e}")


def test_step_view_without_steps_says_so(qtbot):
    view = AttentionStepsView(AppContext.create())
    qtbot.addWidget(view)
    view.show_record(mha_record(TOKENS, note="runs through transformers"))
    assert view.missing.isVisibleTo(view) and not view.scroll.isVisibleTo(view)
    assert "no step-by-step numbers" in view.missing.text()


def test_summary_view_draws_rollout_entropy_distance_and_opens_heads(qtbot, tabs):
    ctx, widget, heatmap = tabs
    summary = AttentionSummaryView(ctx)
    widget.insertTab(0, summary, summary.title)
    widget.setCurrentWidget(summary)
    rec = mha_record(TOKENS, layers=3, heads=4, seed=7)
    summary.show_record(rec)
    qtbot.wait(50)
    assert np.allclose(summary.rollout_map.data(), rollout(rec.weights))
    assert np.allclose(summary.grids["entropy"].data(), head_entropy(rec.weights))
    assert np.allclose(summary.grids["distance"].data(), head_distance(rec.weights)[0])
    grid = summary.grids["entropy"]
    click(grid.view.viewport(), grid.cell_center(1, 3))
    assert widget.currentWidget() is heatmap and heatmap.selection() == (0, 1, 3)
