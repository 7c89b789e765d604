"""Typed, versioned application settings over QSettings (organisation "MLSP", app "MLSP Explorer").

Settings are stored as an INI file. `MLSP_SETTINGS_DIR` (or `use_settings_dir`) points them at
another folder, which is how tests and the start-up benchmark keep away from the user's own.
Every stored layout has a version; `migrate` brings older layouts up to `SETTINGS_VERSION`
(Orange's `settings_version` / `migrate_settings`).
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "MLSP"
APPLICATION = "MLSP Explorer"
SETTINGS_VERSION = 2
MAX_RECENT = 12


def use_settings_dir(folder: str | os.PathLike | None) -> None:
    """Store every QSettings of this process under `folder` (None: the platform's default)."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    if folder is not None:
        Path(folder).mkdir(parents=True, exist_ok=True)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))


def _migrate_0_to_1(s: QSettings) -> None:
    """Version 0 (before versioning) kept recent files as one ';'-joined string under 'recent'."""
    old = s.value("recent")
    if isinstance(old, str):
        s.setValue("files/recent", [p for p in old.split(";") if p])
    s.remove("recent")


def _migrate_1_to_2(s: QSettings) -> None:
    """Version 1 kept the device under 'device' and the runs folder under 'runs'."""
    for old_key, new_key in (("device", "compute/device"), ("runs", "paths/runs_dir")):
        if s.contains(old_key):
            s.setValue(new_key, s.value(old_key))
            s.remove(old_key)


MIGRATIONS: dict[int, Callable[[QSettings], None]] = {0: _migrate_0_to_1, 1: _migrate_1_to_2}


def migrate(s: QSettings) -> int:
    """Bring `s` up to SETTINGS_VERSION one step at a time; returns the version it started at."""
    start = int(s.value("settings_version", 0) or 0)
    version = start
    while version < SETTINGS_VERSION:
        MIGRATIONS[version](s)
        version += 1
    s.setValue("settings_version", SETTINGS_VERSION)
    return start


def _as_list(value: object) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]     # type: ignore[union-attr]


class _Text:
    """A text setting stored under `key`; reads `default` when unset (or empty, unless `keep_empty`)."""

    def __init__(self, key: str, default: str = "", keep_empty: bool = False, doc: str = "") -> None:
        self.key, self.default, self.keep_empty, self.__doc__ = key, default, keep_empty, doc

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj._s.value(self.key, self.default)
        return str(value or ("" if self.keep_empty else self.default))

    def __set__(self, obj, value: str) -> None:
        obj._s.setValue(self.key, value)


class _Bytes:
    """A QByteArray setting (window geometry, dock layout); empty when unset."""

    def __init__(self, key: str, doc: str = "") -> None:
        self.key, self.__doc__ = key, doc

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj._s.value(self.key)
        return value if isinstance(value, QByteArray) else QByteArray()

    def __set__(self, obj, value: QByteArray) -> None:
        obj._s.setValue(self.key, value)


class AppSettings:
    """The settings MLSP Explorer keeps between launches, each as a typed property."""

    geometry = _Bytes("window/geometry")
    window_state = _Bytes("window/state", "Dock and toolbar layout (QMainWindow.saveState).")
    last_folder = _Text("files/last_folder")
    device = _Text("compute/device", "auto")
    model = _Text("compute/model", "minilm", keep_empty=True, doc="The chosen model; '' when the user chose none.")
    lesson = _Text("lessons/path", doc="The lesson file open in the Lessons panel at the last quit ('' before any).")
    lesson_step = _Text("lessons/step", "0", doc="The 'try this' item of that lesson the user was on.")
    current_view = _Text("window/current_view", doc="The view in front at the last quit.")
    nav_group = _Text("window/nav_group", doc="The topic open in the Views navigator at the last quit.")

    def __init__(self, qsettings: QSettings | None = None) -> None:
        if qsettings is None:
            use_settings_dir(os.environ.get("MLSP_SETTINGS_DIR"))
            qsettings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                                  ORGANIZATION, APPLICATION)
        self._s = qsettings
        self.migrated_from = migrate(self._s)

    @property
    def file_name(self) -> str:
        return self._s.fileName()

    def sync(self) -> None:
        self._s.sync()

    # window -----------------------------------------------------------------
    @property
    def open_views(self) -> list[str] | None:
        """The view tabs open at the last quit (None before the first quit: open them all)."""
        if not self._s.contains("window/views"):
            return None
        return _as_list(self._s.value("window/views"))

    @open_views.setter
    def open_views(self, value: list[str]) -> None:
        self._s.setValue("window/views", list(value) if value else "")

    # files ------------------------------------------------------------------
    @property
    def recent_files(self) -> list[str]:
        return _as_list(self._s.value("files/recent"))

    def add_recent(self, path: str) -> list[str]:
        """Put `path` first in the recent list (no duplicates, at most MAX_RECENT)."""
        path = str(Path(path).expanduser().resolve())
        recent = [path] + [p for p in self.recent_files if p != path]
        self._s.setValue("files/recent", recent[:MAX_RECENT])
        return recent[:MAX_RECENT]

    def clear_recent(self) -> None:
        self._s.setValue("files/recent", [])

    # paths ------------------------------------------------------------------
    @property
    def runs_dir(self) -> str:
        """Where training runs go; the engine's default unless the user chose another folder."""
        value = str(self._s.value("paths/runs_dir", "") or "")
        if value:
            return value
        from engine.paths import default_runs_dir

        return str(default_runs_dir())

    @runs_dir.setter
    def runs_dir(self, value: str) -> None:
        self._s.setValue("paths/runs_dir", value)
