"""The training dashboard: start a run of a built-in model, watch its curves, pause, resume or
cancel it, compare past runs, and let the other views follow its checkpoints.

Training runs as a child process (`mlsp train MODEL --json --out RUN …`, see
mlsp_gui/training/run_process.py), so the window never stalls and a crash in training cannot
take it down. Everything heavy (the registry, config dataclasses, metrics files) is read in jobs.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from engine.training.event_types import CheckpointEvent, EndEvent, ErrorEvent, EvalEvent, Event, StartEvent, StepEvent
from mlsp_gui.context import AppContext
from mlsp_gui.evented import as_bool, as_str
from mlsp_gui.training.checkpoint_watch import complete_checkpoints
from mlsp_gui.training.curves import CurvesWidget
from mlsp_gui.training.live_status import LiveStatus
from mlsp_gui.training.run_follower import RunFollower
from mlsp_gui.training.run_form import RunForm, RunRequest
from mlsp_gui.training.run_process import RunProcess, train_command
from mlsp_gui.training.runs_list import RunCurves, RunsList, eval_name, read_curves
from mlsp_gui.training.step_slider import StepSlider
from mlsp_gui.views.base import View, run_standalone, take


def check_request(state, req: RunRequest, runs_dir: str) -> tuple[RunRequest, Path]:
    """Refuse what `mlsp train` would refuse, before starting it, and pick the new run's folder
    (a job: it imports the model's config dataclass, whose module may import torch)."""
    from engine.training.hparams import apply_sets, merge_hparams
    from engine.training.runs import new_run_dir
    from mlsp_gui.training.config_fields import format_value

    merge_hparams(None, {"steps": req.steps, "epochs": req.epochs, "batch_size": req.batch_size,
                         "lr": req.lr, "seed": req.seed, "checkpoint_every": req.checkpoint_every,
                         "keep_checkpoints": req.keep, "log_every": req.log_every})
    if req.config_path:
        import importlib

        module_name, _, cls_name = req.config_path.partition(":")
        cls = getattr(importlib.import_module(module_name), cls_name)
        apply_sets(cls, {k: format_value(v) for k, v in req.overrides.items()})
    return req, new_run_dir(Path(runs_dir), req.model)


def mark_cancelled(state, run_dir: str) -> None:
    """Record in the run's status.json that the user cancelled it (it is not offered for resume)."""
    from engine.training.runs import read_status, write_status

    st = read_status(Path(run_dir))
    write_status(Path(run_dir), "cancelled", int(st.get("step") or 0), "cancelled by the user")


RESUMABLE = ("stopped", "failed", "interrupted")


class TrainingView(View):
    """Start, watch, pause, resume and cancel training runs; compare runs; replay checkpoints."""

    title = "Training"
    order = 90
    group = "Training"
    view_id = "training"
    needs_inputs = ("text", "audio", "image")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.proc = RunProcess(self)
        self._prewarmed = False
        self.live_run = ""            # the run folder this window's child process trains
        self._runs_dir = ""
        self._build()
        self.follower = RunFollower(ctx, self.slider, self)
        self._connect()
        self._update_buttons()
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        QTimer.singleShot(0, self._first_load)

    # layout ----------------------------------------------------------------
    def _build(self) -> None:
        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(_new_run_panel(self))
        upper.addWidget(_live_panel(self))
        upper.setStretchFactor(1, 1)
        upper.setSizes([320, 900])
        outer = QSplitter(Qt.Orientation.Vertical)
        outer.addWidget(upper)
        outer.addWidget(_runs_panel(self))
        outer.setStretchFactor(0, 3)
        outer.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(outer)

    def _connect(self) -> None:
        self.start_button.clicked.connect(self.start_run)
        self.pause_button.clicked.connect(self.pause_run)
        self.resume_button.clicked.connect(self.resume_run)
        self.cancel_button.clicked.connect(self.cancel_run)
        self.open_button.clicked.connect(lambda: self.follower.open_in_views())
        self.refresh_button.clicked.connect(lambda: self.runs.refresh())
        self.runs_folder_button.clicked.connect(self._choose_runs_dir)
        self.proc.event.connect(self._on_event)
        self.proc.malformed.connect(self._on_malformed)
        self.proc.state_changed.connect(self._on_state)
        self.proc.ended.connect(self._on_ended)
        self.runs.selection_changed.connect(self._on_runs_selected)
        self.runs.scanned.connect(self._update_buttons)
        self.runs.scanned.connect(self.apply_waiting_state)
        self.curves.redrawn.connect(self._metric_arrived)

    def _first_load(self) -> None:
        self.form.load()
        if not self._runs_dir:
            self.set_runs_dir(self.ctx.runs_dir())

    # runs folder -----------------------------------------------------------
    def runs_dir(self) -> str:
        return self._runs_dir or self.ctx.runs_dir()

    def set_runs_dir(self, folder: str) -> None:
        self._runs_dir = str(folder)
        self.runs_label.setText(f"<small>{self._runs_dir}</small>")
        self.runs_label.setToolTip(self._runs_dir)
        self.runs.set_runs_dir(self._runs_dir)

    def _choose_runs_dir(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Runs folder", self.runs_dir())
        if folder:
            if self.ctx.settings is not None:
                self.ctx.settings.runs_dir = folder
            self.set_runs_dir(folder)

    # start / pause / resume / cancel ---------------------------------------
    def start_run(self) -> bool:
        """Check the form and start a new run; False when something is invalid or a run is going."""
        if self.proc.is_running():
            return False
        req = self.form.request()
        if req is None:
            return False
        self.start_button.setEnabled(False)
        self.ctx.jobs.submit(f"Check the settings of {req.model}", check_request, req, self.runs_dir(),
                             owner="training-check", on_done=self._launch,
                             on_error=lambda m: (self.form.mark_config_error(m), self._update_buttons()))
        return True

    def _launch(self, checked: tuple[RunRequest, Path]) -> None:
        req, run_dir = checked
        self._begin(run_dir, train_command(req.model, str(run_dir), req.options()), history=None)

    def _begin(self, run_dir: Path, argv: list[str], history: RunCurves | None) -> None:
        if self.proc.is_running():
            return
        self.live_run = str(run_dir)
        for key in self.curves.runs():
            self.curves.remove_run(key)
        if history is not None:
            self._show_curves(history)
        self.status.show_error("")
        self.runs.select([])
        self._focus(self.live_run)
        self.proc.start(argv)

    def pause_run(self) -> None:
        self.proc.pause()

    def cancel_run(self) -> None:
        self.proc.cancel()

    def resume_run(self) -> None:
        """Continue the selected (or last) run from its newest checkpoint, its curves kept."""
        run = self._resumable_run()
        if run is None or self.proc.is_running():
            return
        summary = self.runs.summary(run)
        model = summary.model if summary is not None else ""
        argv = train_command(model, run, ["--device", self.form.device_box.currentText()], resume=True)
        self.resume_button.setEnabled(False)
        self.ctx.jobs.submit(f"Read the curves of {Path(run).name}", read_curves, run, owner="training-resume",
                             on_done=lambda curves: self._begin(Path(run), argv, curves),
                             on_error=lambda m: (self.status.show_error(m), self._update_buttons()))

    def _resumable_run(self) -> str | None:
        chosen = self.runs.selected()
        run = chosen[-1] if chosen else self.live_run
        summary = self.runs.summary(run) if run else None
        if summary is None or summary.status not in RESUMABLE or summary.checkpoints == 0:
            return None
        return str(summary.path)

    def showEvent(self, event) -> None:          # noqa: N802 (Qt API)
        """The first time the view is shown, a trainer process starts waiting for Start (warm start)."""
        super().showEvent(event)
        if not self._prewarmed:
            self._prewarmed = True
            QTimer.singleShot(0, self.proc.prewarm)

    def shutdown(self) -> None:
        """Stop a training child cleanly (checkpoint written): the app quits or the tab closes."""
        self.follower.stop()
        self.proc.shutdown()                          # also ends a waiting warm worker

    def closeEvent(self, event) -> None:              # noqa: N802 (Qt API)
        self.shutdown()
        super().closeEvent(event)

    # trainer events --------------------------------------------------------
    def _on_event(self, ev: Event) -> None:
        key = Path(self.live_run).name
        if isinstance(ev, StartEvent):
            if ev.resumed:                             # drop points logged after the checkpoint
                self.curves.truncate(key, ev.start_step)
            self.status.on_start(ev)
        elif isinstance(ev, StepEvent):
            self.curves.append(key, "loss", ev.step, ev.loss)
            self.curves.append(key, "lr", ev.step, ev.lr)
            for name, value in ev.metrics.items():
                self.curves.append(key, name, ev.step, value)
            self.status.on_step(ev)
        elif isinstance(ev, EvalEvent):
            for name, value in ev.metrics.items():
                self.curves.append(key, eval_name(name), ev.step, value)
        elif isinstance(ev, CheckpointEvent):
            if self.focus_run == self.live_run:
                self.follower.watcher.scan()
        elif isinstance(ev, EndEvent):
            self.status.on_end(ev)
        elif isinstance(ev, ErrorEvent):
            self.status.show_error(ev.message)
        if isinstance(ev, (StartEvent, StepEvent, EvalEvent, CheckpointEvent)):
            self.runs.show_live(self.live_run, ev)     # the live run's row: step, loss, metrics

    def _on_malformed(self, message: str) -> None:
        self.ctx.notify("warning", f"Training {Path(self.live_run).name}: {message}")

    def _on_state(self, state: str) -> None:
        self.status.set_state(state)
        self._update_buttons()

    def _on_ended(self, state: str, message: str) -> None:
        if state == "cancelled":
            self.ctx.jobs.submit(f"Mark {Path(self.live_run).name} cancelled", mark_cancelled, self.live_run,
                                 on_done=lambda _r: self.runs.refresh())
        if state == "failed":
            if self.proc.error_event is None:          # died without a word: say what is left
                ckpts = complete_checkpoints(self.live_run)
                if ckpts:
                    message += f" Resume continues from its checkpoint at step {ckpts[-1][0]}."
            self.status.show_error(message)
            self.ctx.notify("error", f"Training {Path(self.live_run).name} failed: {message}")
        if self.focus_run == self.live_run:
            self.follower.watcher.scan()
        self.runs.stop_live()
        self.runs.refresh()
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self.proc.is_running()
        self.start_button.setEnabled(not running)
        self.pause_button.setEnabled(running and self.proc.state == "running")
        self.cancel_button.setEnabled(running)
        self.resume_button.setEnabled(not running and self._resumable_run() is not None)
        self.open_button.setEnabled(bool(self.focus_run))

    def _metric_arrived(self) -> None:
        if "metric" in self.waiting_state():
            self.apply_waiting_state()

    # runs list and curves --------------------------------------------------
    def _on_runs_selected(self, runs: list[str]) -> None:
        keep = {Path(r).name for r in runs}
        if self.live_run:
            keep.add(Path(self.live_run).name)
        for key in self.curves.runs():
            if key not in keep:
                self.curves.remove_run(key)
        for run in runs:
            if run == self.live_run and self.proc.is_running():
                continue
            self.ctx.jobs.submit(f"Read the curves of {Path(run).name}", read_curves, run,
                                 owner=f"training-curves-{run}", on_done=self._show_curves)
        self._focus(runs[-1] if runs else self.live_run)
        self._update_buttons()

    def _show_curves(self, curves: RunCurves) -> None:
        key = Path(curves.path).name
        for name, (steps, values) in curves.series.items():
            self.curves.set_series(key, name, steps, values)

    # checkpoints and the other views ---------------------------------------
    @property
    def focus_run(self) -> str:
        """The run whose checkpoints the slider shows and "Open in views" opens."""
        return self.follower.run_dir

    def _focus(self, run_dir: str) -> None:
        if self.follower.focus(run_dir) and run_dir and not self.proc.is_running():
            self.status.show_summary(self.runs.summary(run_dir))
        self._update_buttons()

    def open_in_views(self) -> None:
        """Make the focused run the session's model: the views load it and follow its checkpoints."""
        self.follower.open_in_views()

    def show_record(self, record) -> None:
        """The dashboard draws curves of a run folder: `record` is a RunCurves."""
        self._show_curves(record)

    # view state: {"run": the focused run folder, "metric": the second plot, "log": log scale} ---------
    def current_state(self) -> dict:
        state = {"metric": self.curves.metric_box.currentText(), "log": self.curves.log_box.isChecked()}
        if self.focus_run:
            state["run"] = self.focus_run
        return state

    def apply_state(self, state: dict) -> dict | None:
        log = take(state, "log", as_bool)
        if log is not None:
            self.curves.set_log_y(log)
        metric = take(state, "metric", as_str)
        waiting = {}
        if metric:
            if self.curves.metric_box.findText(metric) >= 0:
                self.curves.metric_picked = True
                self.curves.metric_box.setCurrentText(metric)
            else:
                waiting["metric"] = metric                 # its curve is not read yet
        run = take(state, "run", as_str)
        if run and run != self.focus_run and Path(run).is_dir() and not self.proc.is_running():
            if self.runs.summary(run) is not None:
                self.runs.select([run])                   # its curves and checkpoints, as a click would
            else:
                waiting["run"] = run                      # the runs folder is still being scanned
        return waiting


def _new_run_panel(view: TrainingView) -> QWidget:
    """The form (scrollable) and, pinned below it, the Start / Pause / Resume / Cancel buttons:
    always in view, whatever the window's size."""
    view.form = RunForm(view.ctx)
    buttons = QHBoxLayout()
    for attr, text, tip in (("start_button", "Start", "Start a new run with these settings"),
                            ("pause_button", "Pause", "Write a checkpoint and stop; Resume continues from it"),
                            ("resume_button", "Resume", "Continue the selected run from its newest checkpoint"),
                            ("cancel_button", "Cancel", "Stop the run for good")):
        button = QPushButton(text)
        button.setToolTip(tip)
        setattr(view, attr, button)
        buttons.addWidget(button)
    box = QGroupBox("New run")
    layout = QVBoxLayout(box)
    layout.addWidget(view.form)
    layout.addStretch(1)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(box)
    panel = QWidget()
    outer = QVBoxLayout(panel)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll, 1)
    outer.addLayout(buttons)
    panel.setMinimumWidth(260)                     # form + curves fit the ~650 px a 1280 x 720 window leaves
    return panel


def _live_panel(view: TrainingView) -> QWidget:
    """State and progress, the curves, the checkpoint slider and "Open in views"."""
    view.status = LiveStatus()
    view.curves = CurvesWidget()
    view.slider = StepSlider()
    view.open_button = QPushButton("Open in views")
    view.open_button.setToolTip("Make this run the model of every view; they follow its checkpoints")
    inspect = QHBoxLayout()
    inspect.addWidget(view.slider, 1)
    inspect.addWidget(view.open_button, 0, Qt.AlignmentFlag.AlignBottom)
    panel = QWidget()
    layout = QVBoxLayout(panel)
    layout.addWidget(view.status)
    layout.addWidget(view.curves, 1)
    layout.addLayout(inspect)
    return panel


def _runs_panel(view: TrainingView) -> QWidget:
    """The runs folder (with Refresh and "Runs folder…") and the list of its runs."""
    view.runs = RunsList(view.ctx)
    view.runs_label = QLabel()
    view.runs_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    view.runs_folder_button = QPushButton("Runs folder…")
    view.refresh_button = QPushButton("Refresh")
    bar = QHBoxLayout()
    bar.addWidget(view.runs_label, 1)
    bar.addWidget(view.refresh_button)
    bar.addWidget(view.runs_folder_button)
    box = QGroupBox("Runs (select two to compare)")
    layout = QVBoxLayout(box)
    layout.addLayout(bar)
    layout.addWidget(view.runs)
    return box


VIEW = TrainingView

if __name__ == "__main__":
    raise SystemExit(run_standalone(TrainingView))
