"""What the user has open: inputs, the current input, the chosen model and device, and the
checkpoint of a training run the views follow.

A small evented model (one signal per field, emitted only on real change); panels
subscribe to it and it never holds widgets.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal


@dataclass(eq=False)
class InputItem:
    """One loaded input. `path` is None for pasted/typed text, which lives in `text`.

    Items compare by identity: two pasted texts with the same words are still two inputs.
    `record` is the engine's TextInput / AudioInput / ImageInput (samples, pixels) for views.
    """

    kind: str                    # "text" | "audio" | "image"
    name: str
    path: str | None = None
    text: str | None = None      # text inputs: the decoded content
    info: str = ""               # size / duration / dimensions, for the Inputs dock
    details: dict = field(default_factory=dict)   # loader facts (encoding, sample rate, ...)
    recording: bool = False      # made with the microphone
    record: Any = field(default=None, repr=False)   # engine.records.inputs.TextInput | AudioInput | ImageInput

    def key(self) -> str:
        return self.path or f"text:{self.name}"


class Session(QObject):
    inputs_changed = Signal()
    current_changed = Signal(object)        # InputItem | None
    model_changed = Signal(str)             # model reference text ("" = none)
    device_changed = Signal(str)
    views_changed = Signal()
    checkpoint_changed = Signal(str, str)   # run folder, checkpoint folder ("", "": none)
    changed = Signal()                      # anything worth autosaving

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._inputs: list[InputItem] = []
        self._current: InputItem | None = None
        self._model = ""
        self._device = "auto"
        self._views: list[str] = []
        self._checkpoint: tuple[str, str] = ("", "")

    # inputs --------------------------------------------------------------
    @property
    def inputs(self) -> list[InputItem]:
        return list(self._inputs)

    def add_input(self, item: InputItem, make_current: bool = True) -> InputItem:
        for existing in self._inputs:
            if item.path is not None and existing.path == item.path:
                self._inputs[self._inputs.index(existing)] = item
                break
        else:
            self._inputs.append(item)
        self.inputs_changed.emit()
        self.changed.emit()
        if make_current:
            self.set_current(item)
        return item

    def remove_input(self, item: InputItem) -> None:
        if item in self._inputs:
            self._inputs.remove(item)
            self.inputs_changed.emit()
            self.changed.emit()
            if self._current is item:
                self.set_current(self._inputs[-1] if self._inputs else None)

    def rename_input(self, item: InputItem, name: str) -> None:
        """Rename an input (pasted text); emits only when the name really changes."""
        name = name.strip()
        if item in self._inputs and name and name != item.name:
            item.name = name
            self.inputs_changed.emit()
            self.changed.emit()
            if item is self._current:
                self.current_changed.emit(item)

    def clear_inputs(self) -> None:
        if self._inputs:
            self._inputs.clear()
            self.inputs_changed.emit()
            self.changed.emit()
            self.set_current(None)

    @property
    def current(self) -> InputItem | None:
        return self._current

    def set_current(self, item: InputItem | None) -> None:
        if item is not self._current:
            self._current = item
            self.current_changed.emit(item)
            self.changed.emit()

    # model / device / views ----------------------------------------------
    @property
    def model(self) -> str:
        return self._model

    def set_model(self, ref: str) -> None:
        """Choose the model; a checkpoint followed so far belonged to the old one and is dropped."""
        if ref != self._model:
            self._model = ref
            self.set_checkpoint("", "")
            self.model_changed.emit(ref)
            self.changed.emit()

    @property
    def device(self) -> str:
        return self._device

    def set_device(self, name: str) -> None:
        if name != self._device:
            self._device = name
            self.device_changed.emit(name)
            self.changed.emit()

    @property
    def views(self) -> list[str]:
        return list(self._views)

    def set_views(self, names: list[str]) -> None:
        if list(names) != self._views:
            self._views = list(names)
            self.views_changed.emit()
            self.changed.emit()

    # the checkpoint the views follow ------------------------------------------
    @property
    def checkpoint(self) -> tuple[str, str]:
        """(run folder, checkpoint folder) the views were last handed; ("", "") when none."""
        return self._checkpoint

    def set_checkpoint(self, run_dir: str, checkpoint: str) -> None:
        """A training run's checkpoint for every view of this session (the Training view's follower
        calls it when a new checkpoint lands or one is replayed). Not saved with the session."""
        value = (str(run_dir), str(checkpoint)) if checkpoint else ("", "")
        if value != self._checkpoint:
            self._checkpoint = value
            self.checkpoint_changed.emit(*value)
