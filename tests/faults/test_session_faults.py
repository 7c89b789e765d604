"""Issue 14, failure 6: a session file is validated whole before any of it is applied; a bad one
(deeply nested, wrong types, an unknown model, a device this machine lacks) changes nothing and
the notice names the file and the field."""
from __future__ import annotations

import json

import input_files as files
import pytest
from window_support import jobs_named, wait_jobs

from mlsp_gui.session_io import FORMAT, SCHEMA_VERSION

GOOD = {"format": FORMAT, "schema": SCHEMA_VERSION, "inputs": [{"kind": "text", "name": "t", "text": "a cat"}],
        "current": 0, "model": "minilm", "device": "auto", "views": ["embeddings"], "view_states": {}}

# case -> (document or raw text, what the notice must name)
BAD = {
    "nested 100000 deep": ("[" * 100_000, "nested too deeply"),
    "views is a string": ({**GOOD, "views": "audio"}, "'views'"),
    "current out of range": ({**GOOD, "current": 57}, "'current'"),
    "current is text": ({**GOOD, "current": "0"}, "'current'"),
    "unknown model": ({**GOOD, "model": "no-such-model"}, "'model'"),
    "absent CUDA device": ({**GOOD, "device": "cuda:7"}, "'device'"),
    "odd device": ({**GOOD, "device": "gpu please"}, "'device'"),
    "inputs is an object": ({**GOOD, "inputs": {"kind": "text"}}, "'inputs'"),
    "input kind unknown": ({**GOOD, "inputs": [{"kind": "video", "name": "v", "path": "/v.mp4"}]}, "'inputs[0].kind'"),
    "input name missing": ({**GOOD, "inputs": [{"kind": "text", "text": "x"}]}, "'inputs[0].name'"),
    "view state not an object": ({**GOOD, "view_states": {"audio": [1, 2]}}, "'view_states.audio'"),
    "not UTF-8": (b"\xff\xfe{\x00", "not UTF-8"),
}


@pytest.fixture
def window(make_main_window, app_dirs, qtbot):
    window = make_main_window(open_views=["embeddings"])
    window.open_paths([str(files.text_file(app_dirs.files, "good.txt"))])
    qtbot.waitUntil(lambda: len(window.ctx.session.inputs) == 1, timeout=15000)
    window.ctx.session.set_model("minilm")
    wait_jobs(qtbot, window)
    return window


def state(window):
    s = window.ctx.session
    return [i.name for i in s.inputs], s.current.name if s.current else None, s.model, s.device, s.views, \
        window.views.open_ids()


def test_every_bad_session_changes_nothing_and_names_file_and_field(window, app_dirs, qtbot):
    before = state(window)
    for case, (doc, named) in BAD.items():
        path = app_dirs.files / f"{case.replace(' ', '-')}.mlsp-session.json"
        if isinstance(doc, bytes):
            path.write_bytes(doc)
        else:
            path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
        assert not window.open_session(path), case
        wait_jobs(qtbot, window)
        [job] = jobs_named(window, f"Open session {path.name}")
        assert job.status == "failed" and str(path) in job.error and named in job.error, (case, job.error)
        assert "RecursionError" not in job.error and "\n" not in job.error
        assert state(window) == before, case
    assert window.isVisible()


def test_a_good_session_still_opens(window, app_dirs, qtbot):
    path = app_dirs.files / "good.mlsp-session.json"
    path.write_text(json.dumps({**GOOD, "device": "cpu"}), encoding="utf-8")
    assert window.open_session(path)
    qtbot.waitUntil(lambda: [i.name for i in window.ctx.session.inputs] == ["t"], timeout=15000)
    assert window.ctx.session.device == "cpu"


def test_every_hostile_file_as_a_session(window, app_dirs, qtbot, tmp_path):
    from hostile import hostile_files

    before = state(window)
    for kind, path in hostile_files(tmp_path / "hostile").items():
        assert not window.open_session(path), kind
        wait_jobs(qtbot, window)
        [job] = jobs_named(window, f"Open session {path.name}")
        assert job.status == "failed" and path.name in job.error and "\n" not in job.error, (kind, job.error)
        assert not job.error.startswith(("RecursionError", "UnicodeDecodeError", "IsADirectoryError")), job.error
        assert state(window) == before, kind
