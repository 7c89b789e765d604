"""The live line of the dashboard: state, progress bar with ETA, throughput, device, and the
trainer's error sentence. It reads the trainer's typed events (engine/training/event_types.py)."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QProgressBar, QVBoxLayout, QWidget

from engine.training.event_types import EndEvent, StartEvent, StepEvent

FACTS_GAP = 16
UPDATE_MS = 200                  # the step line is repainted at most 5 times a second
STATE_COLOURS = {"running": "#009E73", "stopping": "#E69F00", "paused": "#E69F00",
                 "finished": "#56B4E9", "cancelled": "#999999", "failed": "#D55E00", "idle": "#999999"}


def format_duration(seconds: float | None) -> str:
    """12 -> "0:12", 3725 -> "1:02:05"; None -> "–"."""
    if seconds is None or seconds != seconds or seconds < 0:
        return "–"
    s = int(round(seconds))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def format_rate(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if value >= 1e6:
        text = f"{value / 1e6:.2f} M"
    elif value >= 1e4:
        text = f"{value / 1e3:.1f} k"
    else:
        text = f"{value:.1f} "
    return text + (unit or "/s")


class LiveStatus(QWidget):
    """State · progress (step/total, ETA) · throughput · device, and the error line below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("no run")
        self.timing = QLabel()                     # ETA and elapsed time
        self.throughput = QLabel()
        self.device = QLabel()
        # Text that changes every step must never change the layout (a fixed-size label's new text
        # does not invalidate the window's layouts; a relayout would also repaint the plots). The
        # widths are shared out on resize instead (`_share_width`): timing on a line of its own,
        # throughput and device below it, so no two labels can ever overlap, however narrow.
        fm = self.fontMetrics()
        self._line_h = fm.height() + 6
        self.state_label.setFixedSize(fm.horizontalAdvance("● cancelled ") + 12, self._line_h)
        self.throughput.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.device.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.progress.setFixedHeight(self.progress.sizeHint().height())
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #D55E00; font-weight: bold;")
        self.error.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.state_label)
        row.addWidget(self.progress, 1)
        facts = QHBoxLayout()
        facts.setContentsMargins(0, 0, 0, 0)
        facts.setSpacing(FACTS_GAP)
        facts.addWidget(self.throughput)
        facts.addWidget(self.device)
        facts.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.addLayout(row)
        layout.addWidget(self.timing)
        layout.addLayout(facts)
        layout.addWidget(self.error)
        self.setMinimumWidth(160)
        self._share_width(400)
        self._pending: StepEvent | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(UPDATE_MS)
        self._timer.timeout.connect(self._apply_step)
        self.set_state("idle")

    def resizeEvent(self, event) -> None:          # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._share_width(self.width())

    def _share_width(self, width: int) -> None:
        """Fixed widths that add up to `width`: timing gets the line, throughput and device share the next."""
        width = max(width, 60)
        self.timing.setFixedSize(width, self._line_h)
        half = (width - FACTS_GAP) // 2
        self.throughput.setFixedSize(half, self._line_h)
        self.device.setFixedSize(width - FACTS_GAP - half, self._line_h)

    def label_rects(self) -> dict:
        """Each live label's rectangle in this widget (tests check that none overlap)."""
        return {name: getattr(self, name).geometry() for name in ("state_label", "progress", "timing", "throughput", "device")}

    def set_state(self, state: str) -> None:
        colour = STATE_COLOURS.get(state, "#999999")
        self.state_label.setText(f"<b style='color:{colour}'>● {state}</b>")
        self.state_label.setProperty("state", state)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def show_summary(self, summary) -> None:
        """A past run (engine RunSummary) while nothing trains: its state and how far it got."""
        if summary is None:
            return
        total = int(summary.total_steps or 0)
        self.set_state(summary.status if summary.status != "stopped" else "paused")
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(summary.step, max(total, 1)))
        self.progress.setFormat(f"{summary.name}: step {summary.step} / {total or '?'}")
        self.timing.setText(f"{summary.checkpoints} checkpoint(s)" + (f" · data {summary.data}" if summary.data else ""))
        self.throughput.setText("")
        self.device.setText("")
        self.show_error(summary.message if summary.status == "failed" else "")

    def on_start(self, ev: StartEvent) -> None:
        self._timer.stop()
        self._pending = None
        extra = [p for p in (ev.precision, f"×{ev.world_size}" if ev.world_size > 1 else "") if p]
        self.device.setText(f"device {ev.device}" + (f" ({', '.join(extra)})" if extra else ""))
        total, start = ev.total_steps, ev.start_step
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(start, max(total, 1)))
        self.progress.setFormat(f"step {start} / {total}")
        self.timing.setText(f"resumed from step {start}" if ev.resumed else "starting")
        self.throughput.setText("")
        self.show_error("")

    def on_step(self, ev: StepEvent) -> None:
        """Show a step event; bursts are coalesced (only the newest is drawn, every UPDATE_MS)."""
        self._pending = ev
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Draw the pending step event now."""
        self._timer.stop()
        self._apply_step()

    def _apply_step(self) -> None:
        ev, self._pending = self._pending, None
        if ev is None:
            return
        step, total = ev.step, ev.total_steps
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(min(step, total))
        self.progress.setFormat(f"step {step} / {total}")
        self.timing.setText(f"ETA {format_duration(ev.eta)}  ·  {format_duration(ev.elapsed)} elapsed"
                            f"  ·  epoch {ev.epoch_progress:.2f}")
        self.throughput.setText(format_rate(ev.throughput, ev.unit))

    def on_end(self, ev: EndEvent) -> None:
        self.flush()
        step, total = ev.step, ev.total_steps
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(min(step, total))
        self.progress.setFormat(f"step {step} / {total}")
        self.timing.setText(f"{ev.reason or 'ended'} after {format_duration(ev.elapsed)}")
