"""The Jobs dock (bottom): running and finished jobs with progress bars and a cancel cross;
failed ones in red, and selecting one shows its traceback beside the list.

It shows the user's work (probes, projections, trainings, loads). Housekeeping (start-up imports,
the registry, devices, scanning runs, reading configs and lessons) folds into one collapsed row,
unless it fails. The dock rests small (a couple of rows) and grows while a job of the user's runs
or when anything fails; it rests again a few seconds after the work is done.

Rows hold no widgets: the progress bar is painted by a delegate and the cross is text that
cancels on a click. (A QProgressBar per row repainted the whole window synchronously on every
progress report, and its busy animation kept repainting while any job ran.)"""
from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mlsp_gui.context import AppContext
from mlsp_gui.jobs import Job
from mlsp_gui.widgets.progress_delegate import PROGRESS_ROLE, ProgressDelegate

COLUMNS = ["Job", "Status", "Progress", "", "Message"]
COL_NAME, COL_STATUS, COL_PROGRESS, COL_CANCEL, COL_MESSAGE = range(5)
MAX_ROWS = 300
STATUS_COLORS = {"failed": "#b00020", "cancelled": "#8a6d00", "done": "#2e7d32"}
# Jobs the window starts for itself, by the start of their names: folded away unless they fail.
HOUSEKEEPING = ("Read the model registry", "Warm up", "Find compute devices", "Scan training runs",
                "List trainable models", "Read the config of", "Read the lessons")
RESTING_HEIGHT, WORKING_HEIGHT = 84, 180
REST_AFTER_MS = 4000


def is_housekeeping(name: str) -> bool:
    return name.startswith(HOUSEKEEPING)


class JobsDock(QDockWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Jobs", parent)
        self.setObjectName("JobsDock")
        self.ctx = ctx
        self._rows: dict[int, QTreeWidgetItem] = {}
        self._jobs: dict[int, Job] = {}
        self.housekeeping_row: QTreeWidgetItem | None = None
        self.working = False
        self._rest_timer = QTimer(self)
        self._rest_timer.setSingleShot(True)
        self._rest_timer.setInterval(REST_AFTER_MS)
        self._rest_timer.timeout.connect(lambda: self._set_working(False))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        layout = QHBoxLayout(left)                  # buttons beside the list: the dock rests two rows high
        layout.setContentsMargins(2, 2, 2, 2)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(12)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setColumnWidth(COL_NAME, 220)      # the ✕ must stay in view at 1280 px
        self.tree.setColumnWidth(COL_STATUS, 70)
        self.tree.setColumnWidth(COL_PROGRESS, 100)
        self.tree.setColumnWidth(COL_CANCEL, 28)
        self.tree.setItemDelegateForColumn(COL_PROGRESS, ProgressDelegate(self.tree))
        self.tree.currentItemChanged.connect(lambda row, _old: self._show_details(row))
        self.tree.itemClicked.connect(self._on_click)
        layout.addWidget(self.tree, 1)
        buttons = QVBoxLayout()
        self.cancel_all_button = QPushButton("Cancel all")
        self.cancel_all_button.clicked.connect(ctx.jobs.cancel_all)
        self.clear_button = QPushButton("Clear finished")
        self.clear_button.clicked.connect(ctx.jobs.clear_finished)
        buttons.addWidget(self.cancel_all_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("Select a failed job to read its traceback.")
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        splitter.addWidget(left)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        self.setWidget(splitter)
        ctx.jobs.job_added.connect(self._add)
        ctx.jobs.job_changed.connect(self._update)
        ctx.jobs.job_removed.connect(self._remove)
        for job in ctx.jobs.jobs():
            self._add(job)

    def row_of(self, job_id: int) -> QTreeWidgetItem | None:
        return self._rows.get(job_id)

    def resting_height(self) -> int:
        return RESTING_HEIGHT

    def _housekeeping_folder(self) -> QTreeWidgetItem:
        if self.housekeeping_row is None:
            self.housekeeping_row = QTreeWidgetItem(["Start-up and housekeeping", "", "", "", ""])
            self.housekeeping_row.setForeground(COL_NAME, QBrush(QColor("#777")))
            self.tree.addTopLevelItem(self.housekeeping_row)
            self.tree.setRootIsDecorated(True)
        return self.housekeeping_row

    def user_rows(self) -> list[QTreeWidgetItem]:
        """The top-level job rows (the user's work and failures), newest first."""
        return [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())
                if self.tree.topLevelItem(i) is not self.housekeeping_row]

    def _add(self, job: Job) -> None:
        row = QTreeWidgetItem(["", "", "", "", ""])
        row.setData(COL_NAME, Qt.ItemDataRole.UserRole, job.id)
        row.setTextAlignment(COL_CANCEL, Qt.AlignmentFlag.AlignCenter)
        if is_housekeeping(job.name) and job.status != "failed":
            self._housekeeping_folder().insertChild(0, row)
        else:
            self.tree.insertTopLevelItem(0, row)
        self._rows[job.id] = row
        self._jobs[job.id] = job
        self._update(job)
        self._trim()
        self._update_title()

    def _update(self, job: Job) -> None:
        row = self._rows.get(job.id)
        if row is None:
            return
        if job.status == "failed" and row.parent() is not None:      # a failure is never folded away
            row.parent().removeChild(row)
            self.tree.insertTopLevelItem(0, row)
        row.setText(COL_NAME, job.name)
        row.setToolTip(COL_NAME, job.name)
        row.setText(COL_STATUS, job.status)
        message = job.error if job.status == "failed" else job.message
        row.setText(COL_MESSAGE, message)
        row.setToolTip(COL_MESSAGE, message)
        color = STATUS_COLORS.get(job.status)
        brush = QBrush(QColor(color)) if color else QBrush()
        row.setForeground(COL_STATUS, brush)
        row.setForeground(COL_MESSAGE, brush if job.status == "failed" else QBrush())
        running = job.status == "running"
        if running and job.progress <= 0:
            fraction, text = -1.0, "working…"             # no fraction reported yet
        else:
            fraction = 1.0 if job.status == "done" else job.progress
            text = f"{job.progress * 100:.0f}%" if running else self._elapsed(job)
        row.setData(COL_PROGRESS, PROGRESS_ROLE, fraction)
        row.setText(COL_PROGRESS, text)
        row.setText(COL_CANCEL, "✕" if running else "")
        row.setToolTip(COL_CANCEL, "Cancel this job" if running else "")
        if self.tree.currentItem() is row:
            self._show_details(row)
        self._update_title()

    def _on_click(self, row: QTreeWidgetItem, column: int) -> None:
        """A click on a running job's ✕ cancels it; a click anywhere on a row shows its details."""
        job = self._jobs.get(row.data(COL_NAME, Qt.ItemDataRole.UserRole))
        if column == COL_CANCEL and job is not None and job.status == "running":
            self.ctx.jobs.cancel(job.id)
        self._show_details(row)

    @staticmethod
    def _elapsed(job: Job) -> str:
        end = job.finished if job.finished is not None else time.monotonic()
        return f"{end - job.started:.1f} s"

    def _remove(self, job: Job) -> None:
        row = self._rows.pop(job.id, None)
        self._jobs.pop(job.id, None)
        if row is not None:
            self._take(row)
        self._update_title()

    def _take(self, row: QTreeWidgetItem) -> None:
        if row.parent() is not None:
            row.parent().removeChild(row)
        else:
            self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(row))

    def _trim(self) -> None:
        while len(rows := self.user_rows()) > MAX_ROWS:
            last = rows[-1]
            job_id = last.data(COL_NAME, Qt.ItemDataRole.UserRole)
            if self._jobs.get(job_id) is not None and self._jobs[job_id].status == "running":
                break
            self._rows.pop(job_id, None)
            self._jobs.pop(job_id, None)
            self._take(last)

    def _update_title(self) -> None:
        running = sum(1 for j in self._jobs.values() if j.status == "running")
        failed = sum(1 for j in self._jobs.values() if j.status == "failed")
        if self.housekeeping_row is not None:
            kids = [self._jobs.get(self.housekeeping_row.child(i).data(COL_NAME, Qt.ItemDataRole.UserRole))
                    for i in range(self.housekeeping_row.childCount())]
            busy = sum(1 for j in kids if j is not None and j.status == "running")
            self.housekeeping_row.setText(COL_NAME, f"Start-up and housekeeping ({len(kids)})")
            self.housekeeping_row.setText(COL_STATUS, "running" if busy else "done")
        user_running = any(j.status == "running" and not is_housekeeping(j.name) for j in self._jobs.values())
        if user_running or failed:
            self._rest_timer.stop()
            self._set_working(True)
        elif self.working and not self._rest_timer.isActive():
            self._rest_timer.start()
        parts = [f"{running} running"] if running else []
        if failed:
            parts.append(f"{failed} failed")
        self.setWindowTitle("Jobs" + (f" ({', '.join(parts)})" if parts else ""))

    def _set_working(self, on: bool) -> None:
        """Grow the dock while the user's work runs or something failed; rest small otherwise."""
        if on == self.working:
            return
        self.working = on
        window = self.parent()
        if window is not None and hasattr(window, "resizeDocks") and self.isVisible() and not self.isFloating():
            window.resizeDocks([self], [WORKING_HEIGHT if on else RESTING_HEIGHT], Qt.Orientation.Vertical)

    def _show_details(self, row: QTreeWidgetItem | None) -> None:
        if row is None:
            return
        job = self._jobs.get(row.data(COL_NAME, Qt.ItemDataRole.UserRole))
        if job is None:
            return
        if job.status == "failed":
            self.details.setPlainText(f"{job.name}\n{job.error}\n\n{job.traceback or '(no traceback)'}")
        else:
            self.details.setPlainText(f"{job.name}\n{job.status} — {job.message}")
