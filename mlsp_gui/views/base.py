"""The base of every view: it gets the AppContext, follows the current input, the model and the
checkpoint of a followed training run (all from the session), and draws a probe record that it is
handed (so tests can hand it one they built).

Checkpoints: the session's `checkpoint_changed` reaches every view of the session wherever it is
(a centre tab, a floating window, a view opened alone). A view on screen is handed each checkpoint
at once; a hidden one (a tab behind another) only the newest, when it is next shown: re-probing
hidden views on every checkpoint would cost the window, and the training, time for nothing. A view
that fails on a checkpoint says so in a notice; the others still get it.

View state: `view_state()` is a small JSON-able dict of what the view shows (layer, head, colour
map, words, ...), saved in sessions; `restore_state(dict)` shows it again, ignoring keys it does
not know and values it cannot use, and never raises. What needs a record the view has not drawn
yet (a heatmap's layer before the first probe) waits, and is applied when a record arrives
(`apply_waiting_state`); until then `view_state()` still reports it. Subclasses implement
`current_state()` and `apply_state(state) -> the part that must wait`."""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from mlsp_gui.context import AppContext

# The navigator's topics, in the order it lists them; a view names one as its `group`.
GROUPS = ("Text & embeddings", "Attention", "Translation", "Language models", "Vision", "Audio", "Training", "Other")


class View(QWidget):
    """A centre tab. Subclasses set `title`, `order`, `needs` (and `needs_inputs`), and override
    the hooks.

    `needs` is the capability (engine.contract.capabilities.Capability value, e.g. "translate")
    the view asks of the current model, or None for views that need no model (Audio, Image,
    Training); `needs_inputs` the input kinds it can show ("text", "audio", "image", ...). The
    window uses them to say which models can serve a view before anything loads."""

    title = "View"
    order = 100
    group = "Other"                      # navigator topic: one of GROUPS
    view_id = "view"                     # stable name, saved in sessions
    needs: str | None = None             # a Capability value, e.g. "attention"
    needs_inputs: tuple[str, ...] = ("text",)
    own_model = False                    # True: it picks a model of its own when the chosen one cannot serve it

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        ctx.session.current_changed.connect(self.on_input_changed)
        ctx.session.model_changed.connect(self.on_model_changed)
        # Bound methods (not lambdas), so Qt drops the connections when a closed view is deleted.
        ctx.session.device_changed.connect(self._on_device_changed)
        ctx.session.checkpoint_changed.connect(self._on_session_checkpoint)
        self._checkpoint_waiting: tuple[str, str] | None = None
        self._state_waiting: dict[str, Any] = {}

    def _on_device_changed(self, _device: str) -> None:
        self.on_model_changed(self.ctx.session.model)

    # checkpoints of a followed run ------------------------------------------
    def _on_session_checkpoint(self, run_dir: str, checkpoint: str) -> None:
        if not checkpoint:
            self._checkpoint_waiting = None
        elif self.isVisible():
            self._checkpoint_waiting = None
            self._hand_checkpoint(run_dir, checkpoint)
        else:
            self._checkpoint_waiting = (run_dir, checkpoint)

    def waiting_checkpoint(self) -> tuple[str, str] | None:
        """The (run, checkpoint) this hidden view will be handed when it is shown, or None."""
        return self._checkpoint_waiting

    def _hand_checkpoint(self, run_dir: str, checkpoint: str) -> None:
        try:
            self.on_checkpoint(run_dir, checkpoint)
        except Exception as exc:                 # one broken view never stops the others
            self.ctx.notify("error", f"{self.title}: {type(exc).__name__}: {exc}")

    def showEvent(self, event) -> None:          # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._checkpoint_waiting is None:
            return
        run_dir, checkpoint = self._checkpoint_waiting
        self._checkpoint_waiting = None
        if not Path(checkpoint).is_dir():        # rotated away meanwhile: the run's newest one
            from mlsp_gui.training.checkpoint_watch import complete_checkpoints

            newest = complete_checkpoints(run_dir)
            checkpoint = newest[-1][1] if newest else ""
        if checkpoint:
            self._hand_checkpoint(run_dir, checkpoint)

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

    # view state -----------------------------------------------------------------------------------
    def view_state(self) -> dict[str, Any]:
        """What this view shows, as a small JSON-able dict (restored state still waiting included)."""
        return {**self.current_state(), **self._state_waiting}

    def restore_state(self, state: Any) -> None:
        """Show what `state` (a dict from `view_state()`, a session or a lesson) describes. Unknown
        keys and unusable values are ignored; the part that needs a record not drawn yet waits for
        one. Never raises: a view that fails anyway says so in a notice."""
        if not isinstance(state, dict):
            return
        state = {str(k): v for k, v in state.items()}
        self._state_waiting = {k: v for k, v in self._state_waiting.items() if k not in state}
        try:
            waiting = self.apply_state(state)
        except Exception as exc:
            self.ctx.notify("warning", f"{self.title}: part of its saved state could not be restored "
                                       f"({type(exc).__name__}: {exc}).")
            return
        if waiting:
            self._state_waiting.update(waiting)

    def waiting_state(self) -> dict[str, Any]:
        """The restored state that still waits for a record."""
        return dict(self._state_waiting)

    def apply_waiting_state(self) -> None:
        """Subclasses call this when a record arrived: apply what `restore_state` kept waiting."""
        waiting, self._state_waiting = self._state_waiting, {}
        if waiting:
            self.restore_state(waiting)

    def current_state(self) -> dict[str, Any]:
        """What the view shows now (subclasses; the default is an empty state)."""
        return {}

    def apply_state(self, state: dict[str, Any]) -> dict[str, Any] | None:
        """Show what can be shown of `state` now; return the part that must wait for a record."""
        return None


def take(state: dict[str, Any], key: str, check: Callable[[Any], Any]) -> Any:
    """`state[key]` passed through `check` (mlsp_gui.evented's checks), or None when the key is
    missing or `check` refuses the value."""
    if key not in state:
        return None
    try:
        return check(state[key])
    except (TypeError, ValueError):
        return None


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
