"""A session saved with several views open restores their state: the heatmap's stack, layer, head
and colours, the projector's choices and selection, the audio view's spectrogram settings. The
file holds them (schema 2), a new window opening it gives each view its state back (tabs not built
yet get theirs when built), and what needs a record waits for the record; schema 1 files open."""
from __future__ import annotations

import json

import numpy as np
from attention_fixtures import mha_record
from test_projector import make_embeddings
from window_support import wait_jobs

from mlsp_gui.session_io import SCHEMA_VERSION, read_session

TOKENS = ["[CLS]", "the", "cat", "sat", "on", "the", "mat", "[SEP]"]
VIEWS = ["attention_heatmap", "projector", "audio"]


def _set_up(qtbot, window):
    record = mha_record(TOKENS, layers=3, heads=4, seed=5)
    heatmap = window.views.view("attention_heatmap")
    heatmap.show_record(record)
    heatmap.restore_state({"layer": 2, "head": -1, "colormap": "magma"})
    projector = window.views.view("projector")
    emb = make_embeddings(per=8)
    projector.show_record(emb)
    qtbot.waitUntil(lambda: projector.proj is not None and not projector.busy(), timeout=20_000)
    projector.restore_state({"search": "food", "k": 6, "nn_metric": "euclidean", "mode": "rect",
                             "params": {"perplexity": 12.0}, "color_by": "word", "region": [1, 2, 3], "selected": 4})
    qtbot.waitUntil(lambda: projector.neighbor_list is not None and not projector.busy(), timeout=20_000)
    audio = window.views.view("audio")
    audio.restore_state({"n_fft": 1024, "hop": 128, "axis": "mel64", "range": 60, "colormap": "cividis"})
    return record, emb


def test_a_saved_session_gives_every_view_its_state_back(make_main_window, app_dirs, qtbot):
    window = make_main_window(open_views=VIEWS)
    record, emb = _set_up(qtbot, window)
    before = {vid: window.views.view(vid).view_state() for vid in VIEWS}
    assert before["attention_heatmap"] == {"stack": 0, "layer": 2, "head": -1, "colormap": "magma"}
    assert before["projector"]["selected_label"] == emb.labels[4] and before["projector"]["region"] == [1, 2, 3]
    assert before["projector"]["params"]["perplexity"] == 12.0 and before["projector"]["color_by"] == "word"
    assert before["audio"] == {"n_fft": 1024, "hop": 128, "axis": "mel64", "range": 60, "colormap": "cividis"}
    saved = window.save_session_to(app_dirs.files / "lesson.mlsp-session.json")
    doc = json.loads(saved.read_text(encoding="utf-8"))
    assert doc["schema"] == SCHEMA_VERSION == 2 and doc["view_states"] == before

    other = make_main_window(open_views=[])
    assert other.open_session(saved)
    assert other.views.open_ids() == VIEWS
    assert other.views.pending() == ["projector", "audio"]          # built in idle time: they hold their state
    assert other.views.view_states() == before
    qtbot.waitUntil(lambda: not other.views.pending(), timeout=60_000)
    wait_jobs(qtbot, other)
    views = {vid: other.views.view(vid) for vid in VIEWS}
    assert {vid: v.view_state() for vid, v in views.items()} == before
    heatmap, projector, audio = views["attention_heatmap"], views["projector"], views["audio"]
    assert heatmap.record is None and heatmap.waiting_state() == {"stack": 0, "layer": 2, "head": -1}
    assert heatmap.cmap_combo.currentText() == "magma" and audio.settings() == (1024, 128, 64)
    assert projector.k_spin.value() == 6 and projector.search_edit.text() == "food"
    assert projector.controls.perplexity.value() == 12.0

    heatmap.show_record(record)                                      # the record arrives: the head is shown
    assert heatmap.selection() == (0, 2, -1) and heatmap.waiting_state() == {}
    np.testing.assert_allclose(heatmap.heatmap.image.image, record.weights[2].mean(axis=0))
    projector.show_record(emb)
    qtbot.waitUntil(lambda: projector.neighbor_list is not None and not projector.busy(), timeout=20_000)
    assert projector.selected == 4 and list(projector.region) == [1, 2, 3]
    assert projector.color_combo.currentData() == "word" and projector.legend.coloring.column == "word"
    assert projector.view_state() == before["projector"]


def test_a_schema_1_session_opens_with_no_view_states(make_main_window, app_dirs):
    old = app_dirs.files / "old.mlsp-session.json"
    old.write_text(json.dumps({"format": "mlsp-explorer-session", "schema": 1, "inputs": [], "current": None,
                               "model": "", "device": "auto", "views": ["audio"]}), encoding="utf-8")
    assert read_session(old).view_states == {}
    window = make_main_window(open_views=[])
    assert window.open_session(old)
    assert window.views.open_ids() == ["audio"]
    assert window.views.view("audio").view_state()["n_fft"] == 512


def test_autosave_notices_a_view_state_change(make_main_window, app_dirs, qtbot):
    from mlsp_gui.session_io import AUTOSAVE_NAME

    window = make_main_window(open_views=["audio"], autosave_ms=100)
    autosave = app_dirs.data / AUTOSAVE_NAME

    def saved_fft():
        try:
            return json.loads(autosave.read_text(encoding="utf-8"))["view_states"]["audio"]["n_fft"]
        except (OSError, ValueError, KeyError):
            return None

    qtbot.waitUntil(lambda: saved_fft() == 512, timeout=10_000)
    window.views.view("audio").restore_state({"n_fft": 256})        # no session change: only the view's state
    qtbot.waitUntil(lambda: saved_fft() == 256, timeout=10_000)


def test_tabs_opened_after_start_up_are_built_in_idle_time(make_main_window, qtbot):
    """A session opened once the window has settled: its tabs not shown are still built (without the
    idle-time build they stayed placeholders until clicked, and the restore above timed out)."""
    window = make_main_window(open_views=[])
    qtbot.wait(300)                                     # the start-up's own idle-time build has run
    window.views.set_open(VIEWS)
    assert window.views.pending()
    qtbot.waitUntil(lambda: not window.views.pending(), timeout=30_000)
