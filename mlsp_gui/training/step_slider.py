"""A slider over a run's checkpoints: drag it to replay how the views looked at an earlier step.

It emits `checkpoint_selected(path)` when the user settles on a checkpoint (on release, or
on a keyboard step), never for every pixel of a drag, so views re-probe once per choice.
While "Follow" is on, the slider jumps to each new checkpoint as it lands.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget


class StepSlider(QWidget):
    checkpoint_selected = Signal(str)       # path of the chosen checkpoint

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._checkpoints: list[tuple[int, str]] = []
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setEnabled(False)
        self.slider.setPageStep(1)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.valueChanged.connect(self._on_value)
        self.slider.sliderReleased.connect(self._emit_current)
        self.label = QLabel("no checkpoint yet")
        fm = self.label.fontMetrics()               # fixed: a new step never relayouts the window
        self.label.setFixedSize(fm.horizontalAdvance("step 00000000  (0000/0000)") + 12, fm.height() + 6)
        self.follow = QCheckBox("Follow")
        self.follow.setChecked(True)
        self.follow.setToolTip("Jump to each new checkpoint as it is written")
        top = QHBoxLayout()                     # the slider has a row of its own: beside the step label
        top.addWidget(QLabel("Checkpoint"))     # and Follow it was squeezed to a few pixels
        top.addWidget(self.slider, 1)
        below = QHBoxLayout()
        below.addWidget(self.label)
        below.addStretch(1)
        below.addWidget(self.follow)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addLayout(below)

    def checkpoints(self) -> list[tuple[int, str]]:
        return list(self._checkpoints)

    def current(self) -> tuple[int, str] | None:
        if not self._checkpoints:
            return None
        return self._checkpoints[self.slider.value()]

    def set_checkpoints(self, checkpoints: list[tuple[int, str]]) -> None:
        """Replace the list ((step, path), in step order) without emitting a selection."""
        keep = self.current()
        self._checkpoints = sorted(checkpoints)
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, len(self._checkpoints) - 1))
        index = len(self._checkpoints) - 1
        if keep in self._checkpoints and not self.follow.isChecked():
            index = self._checkpoints.index(keep)
        self.slider.setValue(max(0, index))
        self.slider.blockSignals(False)
        self.slider.setEnabled(len(self._checkpoints) > 1)
        self._update_label()

    def add_checkpoint(self, step: int, path: str) -> bool:
        """Add a newly written checkpoint; True when the slider moved to it (Follow is on)."""
        if any(p == path for _s, p in self._checkpoints):
            return False
        at_end = not self._checkpoints or self.slider.value() == len(self._checkpoints) - 1
        self._checkpoints = sorted(self._checkpoints + [(int(step), str(path))])
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(self._checkpoints) - 1)
        moved = self.follow.isChecked() or at_end
        if moved:
            self.slider.setValue(len(self._checkpoints) - 1)
        self.slider.blockSignals(False)
        self.slider.setEnabled(len(self._checkpoints) > 1)
        self._update_label()
        return moved

    def select_index(self, index: int) -> None:
        """Move to the index-th checkpoint and emit it (what a click or key press does)."""
        if index != self.slider.value():
            self.slider.setValue(index)            # valueChanged emits it
        else:
            self._emit_current()

    def _on_value(self, _value: int) -> None:
        self._update_label()
        if not self.slider.isSliderDown():
            self._emit_current()

    def _emit_current(self) -> None:
        cur = self.current()
        if cur is None:
            return
        if self.slider.value() < len(self._checkpoints) - 1:
            self.follow.setChecked(False)
        self.checkpoint_selected.emit(cur[1])

    def _update_label(self) -> None:
        cur = self.current()
        n = len(self._checkpoints)
        self.label.setText("no checkpoint yet" if cur is None
                           else f"step {cur[0]}  ({self.slider.value() + 1}/{n})")
