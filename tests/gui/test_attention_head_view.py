"""Head view: what is drawn follows heads, solo, hover, pair and stack filters, threshold; 512 × 12 renders."""
import numpy as np
import pytest
from attention_fixtures import encoder_decoder_record, mha_record, random_rows
from qt_events import double_click, move

from engine.records.attention import AttentionMaps, AttentionStack
from mlsp_gui.context import AppContext
from mlsp_gui.views.head_view import PAIRS, HeadView
from mlsp_gui.widgets.head_lines import HOVER_FLOOR, ROW

TOKENS_A = ["[CLS]", "the", "cat", "sat", "[SEP]"]
TOKENS_B = ["it", "was", "tired", "[SEP]"]


@pytest.fixture
def view(qtbot):
    v = HeadView(AppContext.create())
    v.start_heads = None                 # these tests check what is drawn for every head
    qtbot.addWidget(v)
    v.resize(900, 700)
    v.show()
    qtbot.waitExposed(v)
    return v


def drawn(view) -> dict[int, set[tuple[int, int]]]:
    return {h: set(zip(i.tolist(), j.tolist())) for h, (i, j, _w) in view.lines.canvas.visible_lines().items()}


def reference(weights, threshold, mask=None) -> dict[int, set[tuple[int, int]]]:
    out = {}
    for h in range(weights.shape[0]):
        keep = weights[h] >= threshold if mask is None else (weights[h] >= threshold) & mask
        out[h] = set(zip(*[a.tolist() for a in np.nonzero(keep)]))
    return out


def test_lines_are_the_weights_above_the_threshold(qtbot, view):
    rec = mha_record(TOKENS_A + TOKENS_B, layers=2, heads=3, seed=1)
    view.show_record(rec)
    view.layer_combo.setCurrentIndex(1)
    view.set_threshold(0.1)
    assert view.threshold_label.text() == f"{view.threshold():.4f}" and view.threshold() == pytest.approx(0.1)
    assert drawn(view) == reference(rec.weights[1], view.threshold())
    view.lines.canvas.repaint()
    assert view.lines.canvas.last_drawn == sum(len(v) for v in drawn(view).values())


def test_click_toggles_and_double_click_solos_a_head(qtbot, view):
    rec = mha_record(TOKENS_A, heads=4, seed=2)
    view.show_record(rec)
    assert set(drawn(view)) == {0, 1, 2, 3}
    view.picker.buttons[1].click()
    assert set(drawn(view)) == {0, 2, 3} and not view.picker.buttons[1].isChecked()
    button = view.picker.buttons[2]
    double_click(button, button.rect().center())
    assert set(drawn(view)) == {2}
    double_click(button, button.rect().center())                          # solo again: every head back
    assert set(drawn(view)) == {0, 1, 2, 3}
    view.picker.set_heads(set())
    view.lines.canvas.repaint()
    assert view.lines.canvas.last_drawn == 0


def test_hovering_a_token_shows_only_its_lines(qtbot, view):
    rec = mha_record(TOKENS_A + TOKENS_B, heads=3, seed=3)
    view.show_record(rec)
    canvas = view.lines.canvas
    move(canvas, canvas.rect().topLeft() + _row_point(canvas, 0, 2))      # query “cat”
    assert canvas._hover == ("q", 2)
    for h, pairs in drawn(view).items():
        assert {i for i, _ in pairs} <= {2}
        assert {j for _, j in pairs} == set(np.nonzero(rec.weights[0, h, 2] > HOVER_FLOOR)[0].tolist())
    assert view.info.text().startswith("query 2:")
    move(canvas, _row_point(canvas, 1, 6))                                # key “was”
    assert canvas._hover == ("k", 6) and all({j for _, j in p} <= {6} for p in drawn(view).values())
    assert sum(len(p) for p in drawn(view).values()) == int((rec.weights[0, :, :, 6] > HOVER_FLOOR).sum())


def _row_point(canvas, side, row):
    from PySide6.QtCore import QPoint
    x = 5 if side == 0 else canvas.width() - 5
    return QPoint(x, int(canvas.row_y(row)))


def test_pair_filters_use_the_segments(view):
    seg = [0] * len(TOKENS_A) + [1] * len(TOKENS_B)
    rec = mha_record(TOKENS_A + TOKENS_B, heads=2, seed=4, segments=seg)
    view.show_record(rec)
    view.set_threshold(0.0025)
    assert view.pair_combo.isEnabled()
    s = np.array(seg)
    for index, (_label, choice) in enumerate(PAIRS):
        view.pair_combo.setCurrentIndex(index)
        mask = None if choice is None else (s[:, None] == choice[0]) & (s[None, :] == choice[1])
        assert drawn(view) == reference(rec.weights[0], view.threshold(), mask)
        if choice is not None:
            assert all(s[i] == choice[0] and s[j] == choice[1] for p in drawn(view).values() for i, j in p)


def test_pair_filter_is_disabled_without_segments(view):
    view.show_record(mha_record(TOKENS_A))
    assert not view.pair_combo.isEnabled()


def test_stack_filter_shows_cross_attention(view):
    rec = encoder_decoder_record(["ein", "Haus", "</s>"], ["<s>", "a", "house", "."], heads=4)
    view.show_record(rec)
    assert view.stack_combo.count() == 3
    view.stack_combo.setCurrentIndex(2)
    canvas = view.lines.canvas
    assert canvas._tq == ["<s>", "a", "house", "."] and canvas._tk == ["ein", "Haus", "</s>"]
    assert drawn(view) == reference(rec.stacks[2].weights[0], view.threshold())


def test_512_tokens_by_12_heads_render_only_visible_lines(qtbot, view):
    t = 512
    tokens = [f"t{i}" for i in range(t)]
    w = random_rows(np.random.default_rng(0), (1, 12, t, t), sharpness=3)
    view.show_record(AttentionMaps("big", [AttentionStack("encoder-self", tokens, tokens, w)]))
    view.lines.scroll_to_row(250)
    canvas = view.lines.canvas
    first, last = canvas.visible_rows()
    assert 240 <= first <= 250 < last < 300
    canvas.repaint()
    lines = canvas.visible_lines()
    assert canvas.last_drawn == sum(len(v[0]) for v in lines.values()) > 0
    for i, j, weight in lines.values():
        assert np.all(((first <= i) & (i <= last)) | ((first <= j) & (j <= last)))
        assert np.all(weight >= view.threshold())
    all_above = sum(int((w[0, h] >= view.threshold()).sum()) for h in range(12))
    assert canvas.last_drawn < all_above / 4                              # most lines are off screen
    image = canvas.grab().toImage()
    assert image.width() == canvas.width() and not image.isNull()


def test_starts_with_the_most_focused_head_and_uses_the_height(qtbot):
    """Issue 13, defect 3: one head to start with, the user adds the rest; a short sentence spreads
    over the panel's height instead of its top third."""
    v = HeadView(AppContext.create())
    qtbot.addWidget(v)
    v.resize(900, 700)
    v.show()
    qtbot.waitExposed(v)
    rec = mha_record(TOKENS_A + TOKENS_B, heads=12, seed=7)
    v.show_record(rec)
    words = [i for i, t in enumerate(TOKENS_A + TOKENS_B) if t not in ("[CLS]", "[SEP]")]
    w = rec.stacks[0].weights[v.layer()][:, :, words]
    w = w / w.sum(-1, keepdims=True)
    entropy = -(w * np.log(np.maximum(w, 1e-12))).sum(-1).mean(-1)
    assert v.picker.heads() == {int(np.argmin(entropy))}
    v.focused_button.click()
    assert len(v.picker.heads()) == 3
    v.all_heads_button.click()
    assert v.picker.heads() == set(range(12))
    canvas = v.lines.canvas
    last = canvas.row_y(canvas.rows() - 1)
    assert last > canvas.height() * 0.6                                    # the rows fill the panel
    assert canvas.content_height() <= canvas.height() + ROW
