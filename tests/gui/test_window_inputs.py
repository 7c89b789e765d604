"""Loading inputs through the window: File → Open, Open Folder, drag and drop, New text, Recent."""
import numpy as np
import pytest
from input_files import SENTENCES, png_file, text_file, wav_file
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog
from window_support import wait_jobs


def _by_name(window):
    return {item.name: item for item in window.ctx.session.inputs}


def test_file_open_loads_text_audio_and_image(make_main_window, app_dirs, qtbot, monkeypatch):
    import soundfile as sf
    from PIL import Image

    paths = [text_file(app_dirs.files), wav_file(app_dirs.files, channels=2, rate=22050), png_file(app_dirs.files)]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(p) for p in paths], ""))
    window = make_main_window()
    window.menus.actions["open"].trigger()
    qtbot.waitUntil(lambda: len(window.ctx.session.inputs) == 3, timeout=30000)
    wait_jobs(qtbot, window)
    items = _by_name(window)
    assert {i.kind for i in items.values()} == {"text", "audio", "image"}
    assert items["sentences.txt"].text == SENTENCES
    assert "3 lines" in items["sentences.txt"].info and "UTF-8" in items["sentences.txt"].info
    audio = items["tone.wav"]
    data, rate = sf.read(paths[1], dtype="float32")
    np.testing.assert_allclose(audio.record.samples, data.mean(axis=1), atol=1e-6)
    assert audio.record.sample_rate == rate == 22050 and "stereo" in audio.info
    image = items["gradient.png"]
    np.testing.assert_array_equal(image.record.pixels, np.asarray(Image.open(paths[2]).convert("RGB")))
    assert image.info.startswith("48×32")
    # the Inputs dock lists all three, and selecting a row makes it the current input
    dock = window.inputs_dock
    assert {i.name for i in dock.rows()} == set(items)
    for row in range(dock.tree.topLevelItemCount()):
        dock.tree.setCurrentItem(dock.tree.topLevelItem(row))
        assert window.ctx.session.current is dock.rows()[row]
    # each path is in Recent files, newest first
    recent = window.settings.recent_files
    assert {str(p.resolve()) for p in paths} <= set(recent)


def test_open_folder_loads_every_supported_file(make_main_window, app_dirs, qtbot, monkeypatch):
    folder = app_dirs.files / "corpus"
    folder.mkdir()
    text_file(folder, "a.txt")
    wav_file(folder, "b.wav")
    png_file(folder, "c.png")
    (folder / "d.xyz").write_bytes(b"\x00\x01")          # not a supported extension: skipped
    (folder / "sub").mkdir()
    text_file(folder / "sub", "nested.txt")              # subfolders are not walked
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    window = make_main_window()
    window.menus.actions["open_folder"].trigger()
    qtbot.waitUntil(lambda: len(window.ctx.session.inputs) == 3, timeout=30000)
    wait_jobs(qtbot, window)
    assert sorted(_by_name(window)) == ["a.txt", "b.wav", "c.png"]
    assert not [j for j in window.ctx.jobs.jobs() if j.status == "failed"]


def _drop(window, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QPoint(window.width() // 2, window.height() // 2)
    enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    drop = QDropEvent(pos.toPointF(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    return enter, drop


def test_drag_and_drop_files_and_a_folder(make_main_window, app_dirs, qtbot):
    folder = app_dirs.files / "dropped"
    folder.mkdir()
    wav_file(folder, "in-folder.wav")
    png_file(folder, "in-folder.png")
    single = text_file(app_dirs.files, "single.txt")
    window = make_main_window()
    enter, drop = _drop(window, [single, folder])
    assert enter.isAccepted() and drop.isAccepted()
    qtbot.waitUntil(lambda: len(window.ctx.session.inputs) == 3, timeout=30000)
    wait_jobs(qtbot, window)
    assert sorted(_by_name(window)) == ["in-folder.png", "in-folder.wav", "single.txt"]


def test_drag_without_files_is_refused(make_main_window):
    window = make_main_window()
    mime = QMimeData()
    mime.setText("just words")
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()


def test_new_text_rename_and_remove(make_main_window, qtbot):
    from mlsp_gui.dialogs.new_text import NewTextDialog

    window = make_main_window()
    window.menus.actions["new_text"].trigger()
    dialog = window.findChild(NewTextDialog)
    assert dialog is not None and dialog.isVisible()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()                                   # nothing typed yet
    dialog.text_edit.setPlainText("first line\nsecond line\n")
    assert ok.isEnabled()
    ok.click()
    qtbot.waitUntil(lambda: len(window.ctx.session.inputs) == 1, timeout=15000)
    item = window.ctx.session.current
    assert (item.name, item.text, item.path) == ("Text 1", "first line\nsecond line\n", None)
    dock = window.inputs_dock
    assert dock.rename_action.isEnabled()
    dock.tree.topLevelItem(0).setText(0, "My notes")            # what editing the row in place does
    assert item.name == "My notes" and dock.rows()[0].name == "My notes"
    assert "My notes" in dock.details.text()
    dock.remove_selected()
    assert window.ctx.session.inputs == [] and window.ctx.session.current is None
    assert "My notes" not in dock.details.text() and "New text…" in dock.details.text()   # the hint again


def test_recent_files_menu_reopens(make_main_window, app_dirs, qtbot):
    path = text_file(app_dirs.files, "again.txt")
    window = make_main_window()
    window.open_paths([str(path)])
    qtbot.waitUntil(lambda: len(window.ctx.session.inputs) == 1, timeout=15000)
    window.ctx.session.clear_inputs()
    actions = [a for a in window.menus.recent.actions() if a.toolTip() == str(path.resolve())]
    assert len(actions) == 1
    actions[0].trigger()
    qtbot.waitUntil(lambda: len(window.ctx.session.inputs) == 1, timeout=15000)
    assert window.ctx.session.inputs[0].path == str(path)


@pytest.mark.parametrize("encoding,label", [("utf-16", "UTF-16"), ("latin-1", "Latin-1")])
def test_utf16_and_latin1_text_load(make_main_window, app_dirs, qtbot, encoding, label):
    text = "Déjà vu — naïve café.\nZweite Zeile: Grüße.\n" if encoding == "utf-16" else "Déjà vu, naïve café.\n"
    path = app_dirs.files / f"{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    window = make_main_window()
    window.open_paths([str(path)])
    qtbot.waitUntil(lambda: len(window.ctx.session.inputs) == 1, timeout=15000)
    item = window.ctx.session.inputs[0]
    assert item.text == text
    assert label in item.info
