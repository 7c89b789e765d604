"""Sessions on disk: a small versioned JSON file, autosave, and crash recovery.

File layout (schema 2):
    {"format": "mlsp-explorer-session", "schema": 2,
     "inputs": [{"kind": "text", "name": "a.txt", "path": "/abs/a.txt"},
                {"kind": "text", "name": "Text 1", "text": "pasted words"},
                {"kind": "audio", "name": "rec.wav", "path": "/abs/rec.wav", "recording": true}],
     "current": 0, "model": "minilm", "device": "auto", "views": ["attention_heatmap"],
     "view_states": {"attention_heatmap": {"layer": 3, "head": 5, "colormap": "magma"}}}

"view_states" holds each open view's `view_state()` (mlsp_gui/views/base.py); the window gives them
back with `restore_state` once the views are built and the inputs loaded. Schema 1 files (no view
states) are read through `migrate`.

Autosave writes `autosave.json` in the user-data folder when something changed (the session, or
a view's state; at most once per interval) and on quit. A `running.json` marker lives there while
the app runs; if the next launch finds it (and the process that wrote it is gone), the app crashed, and the autosave is
moved to `recovered-session.json` for the user to restore.
"""
from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from mlsp_gui.session import Session

FORMAT = "mlsp-explorer-session"
SCHEMA_VERSION = 2
AUTOSAVE_NAME = "autosave.json"
RECOVERED_NAME = "recovered-session.json"
MARKER_NAME = "running.json"
AUTOSAVE_INTERVAL_MS = 60_000


@dataclass(frozen=True)
class SavedInput:
    """One input as a session file keeps it: by path, or inline for pasted text."""

    kind: str
    name: str
    path: str | None = None
    text: str | None = None
    recording: bool = False


@dataclass(frozen=True)
class SessionSnapshot:
    """What a session file holds; taken on the GUI thread, written anywhere."""

    inputs: tuple[SavedInput, ...] = ()
    current: int | None = None
    model: str = ""
    device: str = "auto"
    views: tuple[str, ...] = ()
    view_states: dict[str, dict[str, Any]] = field(default_factory=dict)   # view id -> its view_state()


def snapshot(session: Session, view_states: dict[str, dict] | None = None) -> SessionSnapshot:
    items = session.inputs
    saved = tuple(SavedInput(kind=i.kind, name=i.name, path=i.path,
                             text=i.text if i.path is None else None, recording=i.recording)
                  for i in items)
    current = items.index(session.current) if session.current in items else None
    return SessionSnapshot(inputs=saved, current=current, model=session.model,
                           device=session.device, views=tuple(session.views), view_states=jsonable_states(view_states))


def to_dict(snap: SessionSnapshot) -> dict:
    inputs = []
    for s in snap.inputs:
        entry: dict = {"kind": s.kind, "name": s.name}
        if s.path is not None:
            entry["path"] = s.path
        else:
            entry["text"] = s.text or ""
        if s.recording:
            entry["recording"] = True
        inputs.append(entry)
    return {"format": FORMAT, "schema": SCHEMA_VERSION, "saved": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "inputs": inputs, "current": snap.current, "model": snap.model,
            "device": snap.device, "views": list(snap.views), "view_states": dict(snap.view_states)}


INPUT_KINDS = ("text", "audio", "image")
MAX_SESSION_BYTES = 64 * 2**20            # a session names its inputs; it never needs more than this
DEVICE_NAMES = re.compile(r"^(auto|cpu|mps|cuda(:\d{1,3})?)$")


@dataclass(frozen=True)
class SessionChecks:
    """What a session is checked against besides its own shape: the window's view ids, the devices
    present (None: only the name's form is checked), and whether the model must resolve."""

    views: frozenset[str] | None = None
    devices: tuple[str, ...] | None = None
    models: bool = True


class _Bad(Exception):
    """One field of a session document that cannot be used: (field, what is wrong)."""


def _expect(value: Any, kind: type | tuple[type, ...], where: str, words: str) -> Any:
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise _Bad(where, f"must be {words}, not {_shown(value)}")
    return value


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, (dict, list)) else \
        ("an object" if isinstance(value, dict) else "a list")
    return text if len(text) <= 40 else text[:37] + "..."


def _saved_input(entry: Any, where: str) -> SavedInput:
    _expect(entry, dict, where, "an object")
    kind = _expect(entry.get("kind"), str, f"{where}.kind", "text, audio or image")
    if kind not in INPUT_KINDS:
        raise _Bad(f"{where}.kind", f"must be text, audio or image, not {_shown(kind)}")
    name = _expect(entry.get("name"), str, f"{where}.name", "a string")
    path, text = entry.get("path"), entry.get("text")
    if path is not None:
        _expect(path, str, f"{where}.path", "a string")
    if text is not None:
        _expect(text, str, f"{where}.text", "a string")
    if path is None and text is None:
        raise _Bad(where, "has neither a path nor a text")
    if path is None and kind != "text":
        raise _Bad(f"{where}.path", f"is missing (an {kind} input is saved by its path)")
    recording = _expect(entry.get("recording", False), bool, f"{where}.recording", "true or false")
    return SavedInput(kind=kind, name=name, path=path, text=text if path is None else None, recording=recording)


def _check_model(ref: str) -> None:
    from engine.errors import MlspError
    from engine.zoo import resolve

    try:
        resolve(ref)
    except MlspError as exc:
        raise _Bad("model", f"names no model that can be loaded here ({str(exc).rstrip('.')})") from None


def _snapshot_of(data: dict, checks: SessionChecks) -> SessionSnapshot:
    raw_inputs = _expect(data.get("inputs", []), list, "inputs", "a list")
    inputs = tuple(_saved_input(e, f"inputs[{i}]") for i, e in enumerate(raw_inputs))
    current = data.get("current")
    if current is not None:
        _expect(current, int, "current", "the index of an input or null")
        if not 0 <= current < len(inputs):
            raise _Bad("current", f"is {current}, but the session has {len(inputs)} input(s)")
    model = _expect(data.get("model", ""), str, "model", "a model id, hf:PATH or a run folder")
    if model and checks.models:
        _check_model(model)
    device = _expect(data.get("device", "auto"), str, "device", "a device name")
    if not DEVICE_NAMES.match(device):
        raise _Bad("device", f"is {_shown(device)}; a device is auto, cpu, cuda, cuda:N or mps")
    if checks.devices is not None and device != "auto" and device not in checks.devices:
        raise _Bad("device", f"is {device}, which this machine does not have (it has {', '.join(checks.devices)})")
    views = _expect(data.get("views", []), list, "views", "a list of view ids")
    for i, v in enumerate(views):
        _expect(v, str, f"views[{i}]", "a view id")
    if checks.views is not None:                  # views of another version of the app: left out
        views = [v for v in views if v in checks.views]
    states = data.get("view_states", {})
    _expect(states, dict, "view_states", "an object")
    for view_id, state in states.items():
        _expect(state, dict, f"view_states.{view_id}", "an object")
    return SessionSnapshot(inputs=inputs, current=current, model=model, device=device, views=tuple(views),
                           view_states=jsonable_states(states))


def from_dict(data: object, source: str = "the session file", checks: SessionChecks | None = None) -> SessionSnapshot:
    """Parse and check a whole session document before anything of it is used; InputError naming
    `source` and the field when it is not a usable session."""
    from engine.errors import InputError

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f"{source} is not an MLSP Explorer session file; open a .mlsp-session.json file.")
    schema = data.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise InputError(f"{source} has no valid schema version; it cannot be opened.")
    if schema > SCHEMA_VERSION:
        raise InputError(f"{source} was saved by a newer MLSP Explorer (session schema {schema}); "
                         "update the app to open it.")
    try:
        return _snapshot_of(migrate(data), checks or SessionChecks(models=False))
    except _Bad as bad:
        where, what = bad.args
        raise InputError(f"{source}: the field '{where}' {what}; nothing of the session was opened.") from None


def migrate(data: dict) -> dict:
    """A session document of any schema, as the current schema reads it."""
    if data.get("schema", 1) < 2:                    # schema 1 had no view states
        data = {**data, "schema": 2, "view_states": {}}
    return data


def jsonable_states(states: Any) -> dict[str, dict[str, Any]]:
    """The view states that are objects of strict JSON (no NaN, nothing exotic); the others are left
    out, so one odd view never keeps a session from being written or read."""
    out: dict[str, dict[str, Any]] = {}
    if not isinstance(states, dict):
        return out
    for view_id, state in states.items():
        if isinstance(view_id, str) and isinstance(state, dict):
            try:
                out[view_id] = json.loads(json.dumps(state, allow_nan=False))
            except (TypeError, ValueError):
                continue
    return out


def write_session(path: str | os.PathLike, snap: SessionSnapshot) -> Path:
    """Write atomically: a temp file, fsync, then rename over the target."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(to_dict(snap), f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, target)
    return target


def read_session(path: str | os.PathLike, checks: SessionChecks | None = None) -> SessionSnapshot:
    """A session file, checked whole (see `from_dict`); InputError naming the file and the field."""
    from engine.errors import InputError

    p = Path(path)
    try:
        if p.stat().st_size > MAX_SESSION_BYTES:
            raise InputError(f"session file {p} is {p.stat().st_size / 2**20:.0f} MB; a session is a few KB, so this "
                             "is not one.")
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"session file {p} does not exist; check the path.") from None
    except UnicodeDecodeError:
        raise InputError(f"session file {p} is not UTF-8 text; it is not a session file.") from None
    except OSError as exc:
        raise InputError(f"cannot read session file {p}: {exc.strerror or exc}.") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise InputError(f"session file {p} is nested too deeply to be a session; it cannot be opened.") from None
    except ValueError as exc:
        raise InputError(f"session file {p} is not valid JSON ({exc}); it cannot be opened.") from None
    return from_dict(data, str(p), checks)


# crash recovery -------------------------------------------------------------------------------
def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return False          # a window of this very process that did not shut down cleanly
    if sys.platform == "win32":
        return False          # os.kill would terminate it there; treat the marker as stale
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def find_crashed_session(folder: str | os.PathLike) -> Path | None:
    """If the last run did not end cleanly, move its autosave aside and return that file."""
    folder = Path(folder)
    marker, autosave = folder / MARKER_NAME, folder / AUTOSAVE_NAME
    if not marker.exists():
        return None
    try:
        pid = int(json.loads(marker.read_text(encoding="utf-8")).get("pid", -1))
    except (OSError, ValueError, AttributeError):
        pid = -1
    if pid > 0 and _pid_alive(pid):
        return None           # another MLSP Explorer is running right now
    if not autosave.exists():
        return None
    recovered = folder / RECOVERED_NAME
    os.replace(autosave, recovered)
    return recovered


class Autosaver(QObject):
    """Saves the session when it changed, at most once per `interval_ms`, and on `stop`."""

    saved = Signal(str)

    def __init__(self, session: Session, folder: str | os.PathLike,
                 interval_ms: int = AUTOSAVE_INTERVAL_MS, parent: QObject | None = None,
                 view_states: Callable[[], dict] | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._view_states = view_states or dict          # the window's views' states, asked at each save
        self._saved_states: dict = {}
        self.folder = Path(folder)
        self.path = self.folder / AUTOSAVE_NAME
        self.marker = self.folder / MARKER_NAME
        self.dirty = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.save_if_dirty)
        session.changed.connect(self._mark_dirty)

    def start(self) -> None:
        """Write the running marker and start the timer."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.marker.write_text(json.dumps({"pid": os.getpid(), "started": time.time()}), encoding="utf-8")
        self._timer.start()

    def _mark_dirty(self) -> None:
        self.dirty = True

    def save_if_dirty(self) -> bool:
        """Save when the session changed, or a view's state did (views do not announce theirs: they
        are compared with the last save, which is cheap at this interval)."""
        states = jsonable_states(self._view_states())
        if not self.dirty and states == self._saved_states:
            return False
        self.save_now(states)
        return True

    def save_now(self, states: dict | None = None) -> Path:
        self.dirty = False
        snap = snapshot(self._session, states if states is not None else self._view_states())
        path = write_session(self.path, snap)
        self._saved_states = snap.view_states
        self.saved.emit(str(path))
        return path

    def stop(self) -> None:
        """Clean shutdown: final save, then remove the marker (so no recovery is offered)."""
        self._timer.stop()
        self.save_now()
        self.marker.unlink(missing_ok=True)
