"""Loading inputs into the session through jobs: files, folders, pasted text, saved sessions.

Each file is decoded by `engine.data.load_input` in its own job, so one bad file fails only its
own job (the Jobs dock names the file and the reason, and the window shows a notice) while
everything already loaded stays. A file that loads with a caveat (a truncated WAV, a 3-hour
recording cut at the length limit) loads, and the caveat is shown as a warning.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from mlsp_gui.context import AppContext
from mlsp_gui.session import InputItem


def item_from_record(record, recording: bool = False) -> InputItem:
    """An InputItem (what the Inputs dock lists) from an engine input record."""
    from engine.data.audio import channel_words
    from engine.data.files import human_duration

    kind = record.kind
    details: dict = {}
    if kind == "text":
        info = f"{record.n_chars:,} chars · {record.n_lines:,} lines · {record.encoding}"
        details = {"encoding": record.encoding, "chars": record.n_chars, "lines": record.n_lines}
        text = record.text
    elif kind == "audio":
        info = f"{human_duration(record.duration)} · {record.original_rate} Hz {channel_words(record.channels)}"
        if record.truncated:
            info += " · truncated"
        if recording:
            info += " · recorded"
        details = {"sample_rate": record.sample_rate, "duration": record.duration,
                   "channels": record.channels, "note": record.note}
        text = None
    else:
        info = f"{record.width}×{record.height} · {record.mode}"
        details = {"width": record.width, "height": record.height, "mode": record.mode, "note": record.note}
        text = None
    return InputItem(kind=kind, name=record.name, path=record.path, text=text, info=info,
                     details=details, recording=recording, record=record)


def _load_file(state, path: str, recording: bool) -> InputItem:
    state.progress(0.1, "reading")
    from engine.data import load_input

    record = load_input(path)
    state.progress(1.0, "loaded")
    return item_from_record(record, recording)


def _load_text(state, text: str, name: str) -> InputItem:
    from engine.data import text_from_string

    return item_from_record(text_from_string(text, name))


def supported_in_folder(folder: str | os.PathLike) -> list[str]:
    """Every file in `folder` (not its subfolders) whose extension is a text, audio or image one."""
    from engine.data.kinds import kind_from_extension

    paths = sorted(p for p in Path(folder).iterdir() if p.is_file() and not p.name.startswith("."))
    return [str(p) for p in paths if kind_from_extension(p) is not None]


def file_dialog_filters() -> str:
    """Filters for QFileDialog: all supported, then text, audio, images, any file."""
    from engine.data.kinds import AUDIO_EXTENSIONS, IMAGE_EXTENSIONS, TEXT_EXTENSIONS

    def pat(exts: frozenset[str]) -> str:
        return " ".join(f"*{e}" for e in sorted(exts))

    every = TEXT_EXTENSIONS | AUDIO_EXTENSIONS | IMAGE_EXTENSIONS
    return ";;".join([f"Text, audio and images ({pat(every)})", f"Text ({pat(TEXT_EXTENSIONS)})",
                      f"Audio ({pat(AUDIO_EXTENSIONS)})", f"Images ({pat(IMAGE_EXTENSIONS)})",
                      "Any file (*)"])


class InputLoader(QObject):
    """Turns paths and text into session inputs, one job each."""

    loaded = Signal(object)             # InputItem, after it joined the session
    file_opened = Signal(str)           # a path that loaded (for Recent files)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._text_counter = 0

    def open_paths(self, paths: list[str], make_current: bool = True) -> int:
        """Load files and every supported file of folders; returns how many jobs started."""
        started = 0
        for raw in paths:
            path = str(Path(raw).expanduser())
            if Path(path).is_dir():
                found = self._folder_files(path)
                for file in found:
                    self.open_file(file, make_current=make_current)
                started += len(found)
            else:
                self.open_file(path, make_current=make_current)
                started += 1
        return started

    def _folder_files(self, folder: str) -> list[str]:
        try:
            found = supported_in_folder(folder)
        except OSError as exc:
            self.ctx.jobs.add_failed(f"Open folder {Path(folder).name}",
                                     f"cannot list {folder}: {exc.strerror or exc}.")
            return []
        if not found:
            self.ctx.notify("warning", f"{folder} holds no text, audio or image files.")
        return found

    def open_file(self, path: str, make_current: bool = True, recording: bool = False,
                  settled: Callable[[], None] | None = None) -> None:
        """Load one file in a job; `settled()` runs after it joined the session or failed."""
        self.ctx.jobs.submit(f"Open {Path(path).name}", _load_file, path, recording,
                             on_done=lambda item, p=path: self._add(item, make_current, p, settled),
                             on_error=lambda _m: settled() if settled is not None else None)

    def add_text(self, text: str, name: str | None = None, make_current: bool = True,
                 settled: Callable[[], None] | None = None) -> str:
        """A pasted or typed text as a new input; returns the name it gets."""
        name = (name or "").strip() or self.next_text_name()
        self.ctx.jobs.submit(f"New text '{name}'", _load_text, text, name,
                             on_done=lambda item: self._add(item, make_current, None, settled),
                             on_error=lambda _m: settled() if settled is not None else None)
        return name

    def next_text_name(self) -> str:
        taken = {i.name for i in self.ctx.session.inputs}
        while True:
            self._text_counter += 1
            name = f"Text {self._text_counter}"
            if name not in taken:
                return name

    def restore(self, snap, then: Callable[[], None] | None = None) -> None:
        """Load a saved session's inputs (replacing the current ones), model and device; `then()`
        runs once every input has joined the session or failed (at once when there are none)."""
        session = self.ctx.session
        session.clear_inputs()
        session.set_model(snap.model)
        session.set_device(snap.device or "auto")
        current = snap.inputs[snap.current] if snap.current is not None and \
            0 <= snap.current < len(snap.inputs) else None
        left = [len(snap.inputs)]

        def settled() -> None:
            left[0] -= 1
            if left[0] == 0 and then is not None:
                then()

        for saved in snap.inputs:
            make_current = saved is current
            if saved.path is not None:
                self.open_file(saved.path, make_current=make_current, recording=saved.recording, settled=settled)
            else:
                self.add_text(saved.text or "", saved.name, make_current=make_current, settled=settled)
        if not snap.inputs and then is not None:
            then()

    def _add(self, item: InputItem, make_current: bool, path: str | None,
             settled: Callable[[], None] | None = None) -> None:
        try:
            self.ctx.session.add_input(item, make_current=make_current)
            note = item.details.get("note") if item.kind != "text" else ""
            if note:
                self.ctx.notify("warning", f"{item.name}: {note}")
            if path is not None:
                self.file_opened.emit(path)
            self.loaded.emit(item)
        finally:
            if settled is not None:
                settled()
