"""Sessions: save → open round trip through the File menu, autosave, bad session files, and the
crash-recovery prompt after a real crash of a real window process."""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import input_files as files
from PySide6.QtWidgets import QFileDialog
from window_support import jobs_named, wait_jobs

from mlsp_gui.session_io import AUTOSAVE_NAME, MARKER_NAME, RECOVERED_NAME, SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]


def _load_three(window, app_dirs, qtbot):
    text = files.text_file(app_dirs.files, "words.txt")
    wav = files.wav_file(app_dirs.files, "voice.wav")
    window.open_paths([str(text), str(wav)])
    window.loader.add_text("pasted line one\npasted line two", "Pasted")
    qtbot.waitUntil(lambda: len(window.ctx.session.inputs) == 3, timeout=20000)
    wait_jobs(qtbot, window)
    return text, wav


def _state(window):
    s = window.ctx.session
    inputs = sorted((i.kind, i.name, i.path, i.text if i.path is None else None) for i in s.inputs)
    return inputs, s.current.name if s.current else None, s.model, s.device, s.views


def test_save_then_open_round_trip(make_main_window, app_dirs, qtbot, monkeypatch):
    window = make_main_window(open_views=["embeddings"])
    _load_three(window, app_dirs, qtbot)
    window.ctx.session.set_current(next(i for i in window.ctx.session.inputs if i.name == "voice.wav"))
    window.ctx.session.set_model("minilm")
    window.ctx.session.set_device("cpu")
    target = app_dirs.files / "lesson"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.menus.actions["save_session"].trigger()
    saved = app_dirs.files / "lesson.mlsp-session.json"
    doc = json.loads(saved.read_text(encoding="utf-8"))
    assert doc["schema"] == SCHEMA_VERSION and doc["format"] == "mlsp-explorer-session"
    pasted = next(e for e in doc["inputs"] if e["name"] == "Pasted")
    assert pasted["text"] == "pasted line one\npasted line two" and "path" not in pasted
    assert {e["name"]: e.get("path") for e in doc["inputs"]}["words.txt"].endswith("words.txt")
    before = _state(window)
    assert before[1:] == ("voice.wav", "minilm", "cpu", ["embeddings"])

    other = make_main_window(open_views=[])
    other.ctx.session.set_device("auto")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), ""))
    other.menus.actions["open_session"].trigger()
    qtbot.waitUntil(lambda: len(other.ctx.session.inputs) == 3, timeout=20000)
    wait_jobs(qtbot, other)
    assert _state(other) == before
    assert other.views.open_ids() == ["embeddings"]
    assert other.windowTitle().endswith(saved.name)


def test_bad_session_file_changes_nothing(make_main_window, app_dirs, qtbot):
    window = make_main_window()
    _load_three(window, app_dirs, qtbot)
    before = _state(window)
    bad = app_dirs.files / "broken.mlsp-session.json"
    bad.write_text("{ not json", encoding="utf-8")
    newer = app_dirs.files / "newer.mlsp-session.json"
    newer.write_text(json.dumps({"format": "mlsp-explorer-session", "schema": SCHEMA_VERSION + 1}), encoding="utf-8")
    assert not window.open_session(bad)
    assert not window.open_session(newer)
    assert "not valid JSON" in jobs_named(window, "Open session broken")[0].error
    assert "newer MLSP Explorer" in jobs_named(window, "Open session newer")[0].error
    assert _state(window) == before


def test_autosave_writes_changes_and_quit_removes_marker(make_main_window, app_dirs, qtbot):
    window = make_main_window(autosave_ms=100)
    marker, autosave = app_dirs.data / MARKER_NAME, app_dirs.data / AUTOSAVE_NAME
    assert json.loads(marker.read_text())["pid"] == os.getpid()
    window.loader.add_text("remember me", "Note")
    qtbot.waitUntil(lambda: autosave.exists() and "remember me" in autosave.read_text(encoding="utf-8"),
                    timeout=10000)
    saved_at = autosave.stat().st_mtime_ns
    qtbot.wait(400)
    assert autosave.stat().st_mtime_ns == saved_at                 # nothing changed: nothing written
    window.close()
    assert not marker.exists()
    assert json.loads(autosave.read_text(encoding="utf-8"))["inputs"][0]["text"] == "remember me"


CRASHING_APP = textwrap.dedent("""
    import os, sys
    from PySide6.QtCore import QTimer
    from mlsp_gui.app import application, create_window
    app = application()
    window = create_window(sys.argv[1], sys.argv[2], open_views=["embeddings"])
    window.show()
    def loaded(item):
        window.autosaver.save_now()
        os._exit(3)                       # a crash: no clean shutdown, the marker stays
    window.loader.loaded.connect(loaded)
    window.ready.connect(lambda: window.open_paths([sys.argv[3]]))
    app.exec()
""")


def test_crash_recovery_prompt_after_a_real_crash(make_main_window, app_dirs, qtbot):
    text = files.text_file(app_dirs.files, "unsaved-work.txt")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    crashed = subprocess.run([sys.executable, "-c", CRASHING_APP, str(app_dirs.settings), str(app_dirs.data),
                              str(text)], env=env, capture_output=True, text=True, timeout=180)
    assert crashed.returncode == 3, crashed.stderr
    assert (app_dirs.data / MARKER_NAME).exists() and (app_dirs.data / AUTOSAVE_NAME).exists()

    window = make_main_window()                                     # the next launch
    assert window.recovered == app_dirs.data / RECOVERED_NAME
    notice = window.recovery_notice
    assert notice.isVisible() and "did not close cleanly" in notice.message and "1 input" in notice.message
    assert window.ctx.session.inputs == []                         # nothing restored until asked
    notice.buttons["Restore"].click()
    qtbot.waitUntil(lambda: len(window.ctx.session.inputs) == 1, timeout=15000)
    assert window.ctx.session.inputs[0].path == str(text)
    assert window.ctx.session.current is window.ctx.session.inputs[0]
    assert window.views.open_ids() == ["embeddings"]


def test_no_prompt_after_a_clean_quit(make_main_window, app_dirs):
    first = make_main_window()
    first.loader.add_text("fine", "Fine")
    first.close()
    second = make_main_window()
    assert second.recovered is None and not hasattr(second, "recovery_notice")
