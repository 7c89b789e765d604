"""The base of every view: it gets the AppContext, follows the current input and model, and
draws a probe record that it is handed (so tests can hand it one they built)."""
from __future__ import annotations

import sys

from PySide6.QtWidgets import QWidget

from mlsp_gui.context import AppContext


class View(QWidget):
    """A centre tab. Subclasses set `title`, `order`, `needs` (and `needs_inputs`), and override
    the hooks.

    `needs` is the capability (engine.contract.capabilities.Capability value, e.g. "translate")
    the view asks of the current model, or None for views that need no model (Audio, Image,
    Training); `needs_inputs` the input kinds it can show ("text", "audio", "image", ...). The
    window uses them to say which models can serve a view before anything loads."""

    title = "View"
    order = 100
    view_id = "view"                     # stable name, saved in sessions
    needs: str | None = None             # a Capability value, e.g. "attention"
    needs_inputs: tuple[str, ...] = ("text",)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        ctx.session.current_changed.connect(self.on_input_changed)
        ctx.session.model_changed.connect(self.on_model_changed)
        # Bound methods (not lambdas), so Qt drops the connections when a closed view is deleted.
        ctx.session.device_changed.connect(self._on_device_changed)

    def _on_device_changed(self, _device: str) -> None:
        self.on_model_changed(self.ctx.session.model)

    # hooks ----------------------------------------------------------------
    def on_input_changed(self, item) -> None:
        """The current input changed (None when nothing is selected)."""

    def on_model_changed(self, ref: str) -> None:
        """The chosen model (or device) changed."""

    def on_checkpoint(self, run_dir: str, checkpoint: str) -> None:
        """A new checkpoint landed in a run this view shows: re-probe it."""

    def show_record(self, record) -> None:
        """Draw a probe record (tests call this directly with a record they built)."""
        raise TypeError(f"{type(self).__name__} does not draw records; override show_record to draw one.")


def run_standalone(view_cls: type[View], record=None) -> int:
    """`python -m mlsp_gui.views.X`: open one view in its own window."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    ctx = AppContext.create()
    view = view_cls(ctx)
    view.setWindowTitle(f"MLSP Explorer — {view_cls.title}")
    if record is not None:
        view.show_record(record)
    view.resize(1000, 700)
    view.show()
    code = app.exec()
    view.close()
    ctx.jobs.cancel_all()                 # as the window does on quit: no job may outlive the interpreter
    ctx.jobs.wait(15000)
    return code
