"""Settings persist across launches (geometry, docks, recent files, device, views), older
settings files are migrated, and the Settings dialog changes the runs folder."""
import input_files as files
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialogButtonBox

from mlsp_gui.settings import APPLICATION, ORGANIZATION, SETTINGS_VERSION, AppSettings


def test_layout_recent_device_and_views_persist(make_main_window, app_dirs, qtbot):
    first = make_main_window(open_views=["embeddings"])
    first.resize(760, 590)
    first.jobs_dock.hide()
    first.ctx.session.set_device("cpu")
    path = files.text_file(app_dirs.files, "kept.txt")
    first.open_paths([str(path)])
    qtbot.waitUntil(lambda: len(first.ctx.session.inputs) == 1, timeout=15000)
    first.close()

    second = make_main_window(open_views=None)           # None: what was open at the last quit
    assert (second.width(), second.height()) == (760, 590)
    assert not second.jobs_dock.isVisible() and second.inputs_dock.isVisible()
    assert second.settings.recent_files[0] == str(path.resolve())
    assert second.ctx.session.device == "cpu"
    assert second.views.open_ids() == ["embeddings"]
    assert second.model_dock.device_combo.currentData() == "cpu"


def test_older_settings_are_migrated(app_dirs):
    from mlsp_gui.settings import use_settings_dir

    use_settings_dir(app_dirs.settings)
    old = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)
    old.setValue("recent", "/data/a.txt;/data/b.wav")     # version 0 layout
    old.setValue("device", "cpu")                         # version 1 layout
    old.setValue("runs", "/data/runs")
    old.sync()
    settings = AppSettings()
    assert settings.migrated_from == 0
    assert settings.recent_files == ["/data/a.txt", "/data/b.wav"]
    assert (settings.device, settings.runs_dir) == ("cpu", "/data/runs")
    raw = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)
    assert int(raw.value("settings_version")) == SETTINGS_VERSION
    assert not raw.contains("recent") and not raw.contains("device") and not raw.contains("runs")
    assert AppSettings().migrated_from == SETTINGS_VERSION                # already current: untouched


def test_settings_dialog_changes_the_runs_folder(make_main_window, app_dirs):
    from engine.paths import default_runs_dir
    from mlsp_gui.dialogs.settings_dialog import SettingsDialog

    window = make_main_window()
    assert window.ctx.runs_dir() == str(default_runs_dir())
    window.menus.actions["settings"].trigger()
    dialog = window.findChild(SettingsDialog)
    chosen = app_dirs.files / "my-runs"
    dialog.runs_edit.setText(str(chosen))
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert window.settings.runs_dir == str(chosen) == window.ctx.runs_dir()
