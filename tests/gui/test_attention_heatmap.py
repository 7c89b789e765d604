"""Heatmap view and widget: hover read-out at real pixel positions, selectors, colours, stacks, zoom."""
import numpy as np
import pytest
from attention_fixtures import encoder_decoder_record, mha_record
from PySide6.QtWidgets import QApplication
from qt_events import move

from engine.errors import InputError
from mlsp_gui.context import AppContext
from mlsp_gui.views.attention_heatmap import AttentionHeatmapView
from mlsp_gui.widgets.heatmap import colormap, format_value

TOKENS = ["[CLS]", "the", "animal", "didn", "'", "t", "cross", "the", "street", "[SEP]"]


@pytest.fixture
def view(qtbot):
    v = AttentionHeatmapView(AppContext.create())
    qtbot.addWidget(v)
    v.resize(900, 700)
    v.show()
    qtbot.waitExposed(v)
    return v


def hover(qtbot, view, row, col):
    hm = view.heatmap
    QApplication.processEvents()                      # let any pending layout settle before mapping
    move(hm.view.viewport(), hm.cell_center(row, col))
    assert hm._hover == (row, col)


def test_hover_reads_out_the_weight_under_the_pointer(qtbot, view):
    rec = mha_record(TOKENS, layers=2, heads=3, seed=1)
    view.show_record(rec)
    view.select(0, 1, 2)
    qtbot.wait(50)
    for row, col in [(0, 0), (2, 8), (9, 3), (5, 5)]:
        hover(qtbot, view, row, col)
        text = view.heatmap.readout.text()
        weight = float(rec.weights[1, 2, row, col])
        assert f"query {row} “{TOKENS[row]}”" in text and f"key {col} “{TOKENS[col]}”" in text
        assert text.endswith(format_value(weight))
        assert view.heatmap._row_band.isVisible() and view.heatmap._row_band.rect().center().y() == row


def test_hover_signal_and_leaving_the_matrix(qtbot, view):
    rec = mha_record(TOKENS, seed=2)
    view.show_record(rec)
    with qtbot.waitSignal(view.heatmap.hovered) as sig:
        hover(qtbot, view, 4, 6)
    assert sig.args[:2] == [4, 6] and sig.args[2] == pytest.approx(float(rec.weights[0, 0, 4, 6]))
    move(view.heatmap.view.viewport(), view.heatmap.view.viewport().rect().topLeft())
    assert view.heatmap._hover == (-1, -1)
    assert not view.heatmap._row_band.isVisible()


def test_selectors_show_each_head_and_the_mean_of_heads(view):
    rec = mha_record(TOKENS, layers=3, heads=4, seed=3)
    view.show_record(rec)
    assert view.layer_combo.count() == 3 and view.head_combo.count() == 5        # 4 heads + mean
    view.select(0, 2, 3)
    assert np.array_equal(view.heatmap.data(), rec.weights[2, 3])
    view.select(0, 1, -1)
    assert np.allclose(view.heatmap.data(), rec.weights[1].mean(axis=0))
    assert view.heatmap.labels() == (TOKENS, TOKENS)


def test_pixel_colour_follows_the_colour_map(qtbot, view):
    rec = mha_record(TOKENS, seed=4)
    view.show_record(rec)
    for name in ("viridis", "cividis"):
        view.cmap_combo.setCurrentText(name)
        qtbot.wait(50)
        image = view.heatmap.view.grab().toImage()
        lo, hi = view.heatmap.levels()
        for row, col in [(1, 1), (3, 7), (8, 2)]:
            value = (float(rec.weights[0, 0, row, col]) - lo) / (hi - lo)
            want = colormap(name).map(value, mode="qcolor")
            got = image.pixelColor(view.heatmap.cell_center(row, col))
            assert max(abs(got.red() - want.red()), abs(got.green() - want.green()),
                       abs(got.blue() - want.blue())) <= 12, (name, row, col)


def test_several_stacks_and_cross_attention(view):
    rec = encoder_decoder_record(["ein", "Haus", "</s>"], ["<s>", "a", "house"])
    view.show_record(rec)
    assert view.stack_combo.isVisibleTo(view) and view.stack_combo.count() == 3
    view.select(2, 1, 0)
    assert view.heatmap.labels() == (["<s>", "a", "house"], ["ein", "Haus", "</s>"])
    assert np.array_equal(view.heatmap.data(), rec.stacks[2].weights[1, 0])
    view.select(1, 0, 2)                                                   # causal decoder: zero above the diagonal
    assert np.all(np.triu(view.heatmap.data(), k=1) == 0)


def test_truncation_note_is_shown(view):
    view.show_record(mha_record(TOKENS, note="The input has 600 tokens; only the first 512 are shown."))
    assert view.note_label.isVisibleTo(view) and "600 tokens" in view.note_label.text()
    view.show_record(mha_record(TOKENS))
    assert not view.note_label.isVisibleTo(view)


def test_wrong_record_is_refused(view):
    with pytest.raises(InputError, match="AttentionMaps"):
        view.show_record({"weights": np.zeros((1, 1, 2, 2))})


def test_long_inputs_thin_the_labels_and_zoom_shows_them_all(qtbot, view):
    tokens = [f"w{i}" for i in range(512)]
    rng = np.random.default_rng(0)
    w = rng.random((1, 1, 512, 512)).astype(np.float32)
    w /= w.sum(-1, keepdims=True)
    from engine.records.attention import AttentionMaps, AttentionStack
    view.show_record(AttentionMaps("big", [AttentionStack("encoder-self", tokens, tokens, w)]))
    axis = view.heatmap.left_axis
    height = view.heatmap.plot.vb.height()
    assert 0 < len(axis.labelled(-0.5, 511.5, height)) < 100               # thinned: they would overlap
    view.heatmap.plot.vb.setRange(yRange=(100, 110), padding=0)
    qtbot.wait(50)
    assert axis.labelled(100, 110, height) == list(range(100, 111))        # zoomed in: every token
    hover(qtbot, view, 105, 200)
    assert "query 105 “w105”" in view.heatmap.readout.text()


def test_selectors_are_greyed_until_a_record_fills_them(view):
    assert not view.layer_combo.isEnabled() and view.layer_combo.placeholderText() == "layer"
    assert not view.head_combo.isEnabled() and view.head_combo.count() == 0
    assert not view.stack_combo.isVisible()
    view.show_record(mha_record(TOKENS, layers=2, heads=3, seed=1))
    assert view.layer_combo.isEnabled() and view.layer_combo.count() == 2
    assert view.head_combo.isEnabled() and view.head_combo.count() == 4       # three heads and their mean
    assert not view.stack_combo.isVisible()                                  # one stack: nothing to choose
    view.show_record(encoder_decoder_record(TOKENS[:5], ["<s>", "le", "chat"]))
    assert view.stack_combo.isVisible() and view.stack_combo.isEnabled() and view.stack_combo.count() == 3
