"""The past runs found in the runs folder, each with its model, state, steps and final metrics.

The folder is scanned in a job (`scan_runs`, plain Python: it reads each run's config.json,
metrics.jsonl and checkpoints/ through `engine.training.runs`) and rescanned when the folder
changes. Selecting one run shows it; selecting two overlays their curves.

While a run trains, its row follows the trainer's events (`show_live`) instead of rescans: a scan
parses every run's whole metrics.jsonl, which grows by hundreds of lines a second, and a worker
thread parsing JSON holds Python's GIL for long stretches that the window then waits out.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from engine.errors import MlspError
from engine.training.event_types import (
    CheckpointEvent,
    EndEvent,
    ErrorEvent,
    EvalEvent,
    Event,
    StartEvent,
    StepEvent,
    parse_event,
)
from mlsp_gui.context import AppContext

MIN_SCAN_SPACING_S = 3.0         # events that ask for a rescan make at most one scan this often
LIVE_UPDATE_MS = 1000            # the live run's row is rewritten at most once a second
COLUMNS = ["Run", "Model", "State", "Step", "Loss", "Metrics", "Created"]
# the engine's run status in the dashboard's words (Pause writes a checkpoint and "stops" a run)
SHOWN_STATUS = {"stopped": "paused"}


@dataclass(frozen=True)
class RunCurves:
    """Every logged point of one run: name -> (steps, values)."""

    path: str
    series: dict[str, tuple[list[float], list[float]]]


def scan_runs(state, runs_dir: str) -> list:
    """Every run in `runs_dir` as `engine.records.training.RunSummary`, newest first (a job function)."""
    from engine.training.runs import list_runs

    return list_runs(Path(runs_dir))


def read_curves(state, run_dir: str) -> RunCurves:
    """All logged points of a run (a job function): train loss, lr, per-batch and eval metrics."""
    from engine.training.runs import read_metrics

    series: dict[str, tuple[list[float], list[float]]] = {}

    def add(name: str, step, value) -> None:
        if isinstance(value, (int, float)) and math.isfinite(value):
            xs, ys = series.setdefault(name, ([], []))
            xs.append(float(step))
            ys.append(float(value))

    for rec in read_metrics(Path(run_dir)):
        try:
            ev = parse_event(rec)
        except MlspError:
            continue                          # a damaged line of the file: the others still draw
        if isinstance(ev, StepEvent):
            add("loss", ev.step, ev.loss)
            add("lr", ev.step, ev.lr)
            for k, v in ev.metrics.items():
                add(k, ev.step, v)
        elif isinstance(ev, EvalEvent):
            for k, v in ev.metrics.items():
                add(eval_name(k), ev.step, v)
    return RunCurves(path=str(run_dir), series=series)


def run_notes(summary) -> list[str]:
    """What a run's row says besides its numbers: its message, and what the readers skipped."""
    notes = [summary.message] if summary.message else []
    if getattr(summary, "skipped_lines", 0):
        notes.append(f"{summary.skipped_lines} unreadable line(s) of metrics.jsonl were skipped")
    if getattr(summary, "skipped_checkpoints", ()):
        notes.append("damaged checkpoint(s) skipped: " + "; ".join(summary.skipped_checkpoints))
    return notes


def eval_name(metric: str) -> str:
    """The curve name of an evaluation metric: "loss" -> "eval loss", "val_mse" stays."""
    return metric if metric.startswith(("eval", "val")) else f"eval {metric}"


def format_metrics(final: dict[str, float], skip: tuple[str, ...] = ("loss",)) -> str:
    return "  ".join(f"{k} {v:.4g}" for k, v in final.items() if k not in skip)


class RunsList(QWidget):
    """A table of past runs; emits the selected run folders (one or two) when the selection changes."""

    selection_changed = Signal(list)        # [run_dir, ...]
    scanned = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runs_dir = ""
        self.summaries: list = []            # engine.records.training.RunSummary
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.itemSelectionChanged.connect(self._on_selection)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(lambda _p: self._rescan_soon.start())
        self._rescan_soon = QTimer(self)
        self._rescan_soon.setSingleShot(True)
        self._rescan_soon.setInterval(800)
        self._rescan_soon.timeout.connect(self.refresh)
        self._last_scan = 0.0
        self._live: dict = {}            # the live run's newest facts: run, step, total, loss, metrics
        self._live_timer = QTimer(self)
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(LIVE_UPDATE_MS)
        self._live_timer.timeout.connect(self._apply_live)

    def set_runs_dir(self, runs_dir: str) -> None:
        if self._watcher.directories():
            self._watcher.removePaths(self._watcher.directories())
        self.runs_dir = str(runs_dir)
        if Path(runs_dir).is_dir():
            self._watcher.addPath(self.runs_dir)
        self.refresh()

    def refresh_soon(self) -> None:
        """Rescan in a moment: events that come together (checkpoint, eval) make one scan, and a
        run that checkpoints every second still makes at most one scan job every few seconds."""
        if self._rescan_soon.isActive():
            return
        since = time.monotonic() - self._last_scan
        self._rescan_soon.start(int(max(800.0, (MIN_SCAN_SPACING_S - since) * 1000.0)))

    def refresh(self) -> None:
        if not self.runs_dir:
            return
        self._last_scan = time.monotonic()
        if not self._watcher.directories() and Path(self.runs_dir).is_dir():
            self._watcher.addPath(self.runs_dir)
        self.ctx.jobs.submit("Scan training runs", scan_runs, self.runs_dir, owner="training-runs-scan",
                             on_done=self._fill)

    def _fill(self, summaries: list) -> None:
        self._live_timer.stop()
        selected = set(self.selected())
        self.summaries = summaries
        self.tree.blockSignals(True)
        self.tree.clear()
        for s in summaries:
            steps = f"{s.step}/{s.total_steps}" if s.total_steps else str(s.step)
            final = s.final_metrics
            loss = f"{final['loss']:.4g}" if "loss" in final else ""
            item = QTreeWidgetItem([s.name, s.model, SHOWN_STATUS.get(s.status, s.status), steps, loss, format_metrics(final),
                                    s.created.replace("T", " ")[:16]])
            item.setData(0, Qt.ItemDataRole.UserRole, str(s.path))
            notes = run_notes(s)
            item.setToolTip(0, "\n".join([str(s.path), *notes]))
            item.setToolTip(2, "\n".join(notes) or s.status)
            self.tree.addTopLevelItem(item)
            item.setSelected(s.path in selected)
        self.tree.blockSignals(False)
        for col in range(len(COLUMNS) - 1):
            self.tree.resizeColumnToContents(col)
        self.scanned.emit()
        if set(self.selected()) != selected:
            self._on_selection()

    def show_live(self, run_dir: str, event: Event) -> None:
        """Fold one trainer event of the run training now into its row (step, loss, eval metrics,
        state), redrawn at most once a second; a run not listed yet is found by a rescan."""
        live = self._live if self._live.get("run") == str(run_dir) else {"run": str(run_dir), "metrics": {}}
        self._live = live
        if isinstance(event, (StepEvent, EvalEvent, CheckpointEvent, EndEvent, ErrorEvent)):
            live["step"] = event.step
        if isinstance(event, (StartEvent, StepEvent, EndEvent)) and event.total_steps:
            live["total"] = int(event.total_steps)
        if isinstance(event, StepEvent) and event.loss is not None:
            live["loss"] = float(event.loss)
        elif isinstance(event, EvalEvent):
            live["metrics"] = {k: float(v) for k, v in event.metrics.items() if v is not None}
        if self.item(run_dir) is None:
            self.refresh_soon()
        elif not self._live_timer.isActive():
            self._live_timer.start()

    def stop_live(self) -> None:
        """The live run ended: its row comes from the next scan again."""
        self._live_timer.stop()
        self._live = {}

    def _apply_live(self) -> None:
        item = self.item(self._live.get("run", ""))
        if item is None:
            return
        live = self._live
        if "step" in live:
            item.setText(3, f"{live['step']}/{live['total']}" if live.get("total") else str(live["step"]))
        if "loss" in live:
            item.setText(4, f"{live['loss']:.4g}")
        if live["metrics"]:
            item.setText(5, format_metrics(live["metrics"]))
        item.setText(2, "running")

    def item(self, run_dir: str) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            it = self.tree.topLevelItem(i)
            if it.data(0, Qt.ItemDataRole.UserRole) == str(run_dir):
                return it
        return None

    def summary(self, run_dir: str):
        """The RunSummary of a listed run folder, or None."""
        return next((s for s in self.summaries if str(s.path) == str(run_dir)), None)

    def selected(self) -> list[str]:
        return [it.data(0, Qt.ItemDataRole.UserRole) for it in self.tree.selectedItems()]

    def select(self, run_dirs: list[str]) -> None:
        """Select these runs (by folder), as a user's click would."""
        wanted = {str(p) for p in run_dirs}
        self.tree.blockSignals(True)
        for i in range(self.tree.topLevelItemCount()):
            it = self.tree.topLevelItem(i)
            it.setSelected(it.data(0, Qt.ItemDataRole.UserRole) in wanted)
        self.tree.blockSignals(False)
        self._on_selection()

    def _on_selection(self) -> None:
        chosen = self.selected()
        if len(chosen) > 2:                  # overlay compares two runs: keep the newest two clicks
            chosen = chosen[-2:]
        self.selection_changed.emit(chosen)
