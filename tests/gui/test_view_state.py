"""View state: every view reports a small strict-JSON state and takes it back; junk (wrong types,
unknown keys, not a dict at all) changes nothing and raises nothing; a state that needs a record
waits for one; and the states the lessons will set show what they say."""
from __future__ import annotations

import json

import pytest
from attention_fixtures import mha_record
from PySide6.QtWidgets import QApplication

from mlsp_gui.context import AppContext
from mlsp_gui.views import available_views
from mlsp_gui.views.attention_steps import AttentionStepsView
from mlsp_gui.views.audio_signal import AudioView
from mlsp_gui.views.head_view import HeadView
from mlsp_gui.views.model_view import ModelView
from mlsp_gui.views.word_queries import WordQueriesView

VIEWS = available_views()
TOKENS = ["[CLS]", "a", "cat", "sat", "on", "the", "mat", "[SEP]"]
JUNK = object()


@pytest.fixture
def make(qtbot, tmp_path, monkeypatch):
    """make(cls) -> a view of its own context, not shown (nothing loads); notices are collected."""
    monkeypatch.setenv("MLSP_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MLSP_RUNS", str(tmp_path / "runs"))
    made = []

    def build(cls):
        notices: list = []
        ctx = AppContext.create(notify=lambda level, msg: notices.append((level, msg)))
        view = cls(ctx)
        view.notices = notices
        qtbot.addWidget(view)
        made.append(view)
        return view

    yield build
    for view in made:
        view.close()
        view.ctx.jobs.cancel_all()
        view.ctx.jobs.wait(10_000)
    QApplication.processEvents()


def _junk_like(state: dict) -> dict:
    """The same keys with values no check accepts, nested dicts too, plus unknown keys."""
    junk = {k: ({kk: JUNK for kk in v} if isinstance(v, dict) else JUNK) for k, v in state.items()}
    return {**junk, "no_such_key": 3, "layer": "three", "heads": "all", "region": "x", "selected": 1.5}


@pytest.mark.parametrize("cls", VIEWS, ids=lambda c: c.view_id)
def test_state_is_json_and_junk_changes_nothing(cls, make):
    view = make(cls)
    state = view.view_state()
    assert isinstance(state, dict)
    assert json.loads(json.dumps(state, allow_nan=False)) == state
    for junk in (None, [], "layer 3", 7, _junk_like(state)):
        view.restore_state(junk)
        assert view.view_state() == state, junk
    view.restore_state(state)
    assert view.view_state() == state and view.notices == []


def test_heatmap_state_waits_for_a_record_then_clamps_what_it_cannot_show(make):
    from mlsp_gui.views.attention_heatmap import AttentionHeatmapView

    view = make(AttentionHeatmapView)
    view.restore_state({"stack": 0, "layer": 2, "head": 3, "colormap": "cividis"})
    assert view.cmap_combo.currentText() == "cividis" and view.waiting_state() == {"stack": 0, "layer": 2, "head": 3}
    assert view.view_state() == {"colormap": "cividis", "stack": 0, "layer": 2, "head": 3}
    view.show_record(mha_record(TOKENS, layers=3, heads=4, seed=1))
    assert view.selection() == (0, 2, 3) and view.waiting_state() == {}
    view.restore_state({"layer": 9, "head": -1})                     # no layer 9: that part is ignored
    assert view.selection() == (0, 2, -1)


def test_head_view_restores_heads_threshold_and_pair_filter(make):
    view = make(HeadView)
    rec = mha_record(TOKENS, layers=2, heads=4, seed=2, segments=[0, 0, 0, 0, 1, 1, 1, 1])
    view.show_record(rec)
    view.restore_state({"layer": 1, "heads": [0, 2, 7], "threshold": 0.2, "pairs": "AB"})
    assert view.layer() == 1 and view.picker.heads() == {0, 2} and view.threshold() == pytest.approx(0.2)
    assert view.pair_combo.currentText() == "A → B"
    assert view.view_state() == {"stack": 0, "layer": 1, "heads": [0, 2], "threshold": 0.2, "pairs": "AB"}


def test_model_view_and_steps_restore_their_choice(qtbot, make):
    model_view = make(ModelView)
    model_view.show_record(mha_record(TOKENS, seed=3))
    model_view.restore_state({"colormap": "magma"})
    assert model_view.cmap_combo.currentText() == "magma"

    steps = make(AttentionStepsView)
    steps.resize(900, 700)
    steps.show()
    qtbot.waitExposed(steps)
    asked: list = []
    steps.source.refresh = lambda step=None: asked.append(step)       # no model here: record the request
    steps.restore_state({"layer": 1, "head": 2, "query": 5, "stage": "score"})
    assert steps.waiting_state() == {"layer": 1, "head": 2, "query": 5, "stage": "score"}
    steps.show_record(mha_record(TOKENS, layers=2, heads=3, step=(0, 0), seed=4))
    assert asked[-1] == (1, 2)                                       # the restored head is probed
    steps.show_record(mha_record(TOKENS, layers=2, heads=3, step=(1, 2), seed=4))
    assert steps.query() == 5 and steps.tokens.selected == 5
    qtbot.waitUntil(lambda: steps.stage() == "score", timeout=5000)
    assert steps.view_state() == {"layer": 1, "head": 2, "query": 5, "stage": "score"}


def test_audio_view_recomputes_once_for_new_settings(make, monkeypatch):
    view = make(AudioView)
    computed: list = []
    monkeypatch.setattr(view, "compute", lambda: computed.append(view.settings()))
    view.restore_state({"n_fft": 2048, "hop": 256, "axis": "mel128"})
    assert computed == [(2048, 256, 128)]
    view.restore_state({"n_fft": 2048, "hop": 300})                  # not n_fft/2, /4 or /8: ignored
    assert computed == [(2048, 256, 128)]


def test_word_view_repeats_the_queries_shown_with_the_new_words(make, monkeypatch):
    view = make(WordQueriesView)
    ran: list = []
    monkeypatch.setattr(view, "_run", lambda kind, args: (ran.append((kind, args)), view.last.update({kind: args})))
    view.run_neighbors()
    view.restore_state({"words": {"word": "queen", "w1": "tea"}, "k": 4})
    assert view.edits["word"].text() == "queen" and view.edits["w1"].text() == "tea" and view.k_spin.value() == 4
    assert ran == [("neighbors", ("king", 10)), ("neighbors", ("queen", 4))]    # similarity was never shown
    assert view.view_state()["words"]["word"] == "queen"


def test_attention_records_without_steps_drop_a_step_state(make):
    steps = make(AttentionStepsView)
    rec = mha_record(TOKENS, seed=5)
    assert rec.step is None
    steps.restore_state({"layer": 1, "query": 2})
    steps.show_record(rec)
    assert steps.waiting_state() == {} and steps.view_state() == {}
