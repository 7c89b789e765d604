"""`mlsp train … --json` as a child process (QProcess): JSON lines in, Qt signals out.

The trainer runs in its own process so a crash in training cannot take the window down.
Standard output is read in batches: the trainer prints (and flushes) one line per step, hundreds
a second, and reading each line as it arrives would wake the window hundreds of times a second;
instead the first line of a burst starts a short timer, and when it fires everything that came
meanwhile is parsed in one go (partial lines are kept until their newline). Every event is still
emitted, in order, as the typed event of engine/training/event_types.py; a line that claims to
be an event but breaks the schema is reported once per run by `malformed` (the dashboard shows it
as a notice) and otherwise treated as log text. Standard error is captured so that a run that dies without an error event
still shows the trainer's one-line message. Stopping sends SIGTERM (the trainer writes a
checkpoint and exits); if it has not exited after `kill_after_ms`, it is killed.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from engine.errors import MlspError
from engine.training.event_types import EndEvent, ErrorEvent, parse_event

STDERR_KEEP = 64 * 1024          # bytes of stderr kept for the error message
READ_BATCH_MS = 40               # stdout is read at most this often (a burst of lines becomes one read)
CHILD_NICE = 10                  # the trainer yields the CPU to the window (Unix); training barely slows


def project_root() -> Path:
    """The folder holding the `engine` package, so the child finds it even without an install."""
    return Path(__file__).resolve().parents[2]


def train_command(model: str, out: str, options: list[str], resume: bool = False) -> list[str]:
    """The argument list of the child: `python -m engine.cli train MODEL --json --out OUT …`."""
    args = ["-m", "engine.cli", "train", model, "--json", "--out", str(out), *options]
    if resume:
        args.append("--resume")
    return [sys.executable, *args]


class RunProcess(QObject):
    """One training child process. States: idle → running → finished | paused | cancelled | failed."""

    event = Signal(object)            # one typed event (engine.training.event_types); `object`: no copy
    text = Signal(str)                # a non-JSON line of stdout (the trainer's own log)
    malformed = Signal(str)           # the first line of a run that breaks the event schema: why
    state_changed = Signal(str)
    ended = Signal(str, str)          # final state, message (the error sentence, or "")

    def __init__(self, parent: QObject | None = None, kill_after_ms: int = 15000) -> None:
        super().__init__(parent)
        self.state = "idle"
        self.kill_after_ms = kill_after_ms
        self.child_nice = CHILD_NICE
        self.error_message = ""
        self.error_event: ErrorEvent | None = None    # the trainer's "error" event, when it sent one
        self.malformed_lines = 0
        self.stderr = b""
        self._buf = b""
        self._stop_as = ""             # "paused" | "cancelled" once a stop was asked for
        self._ended_event: EndEvent | None = None
        self._proc: QProcess | None = None
        self._kill_timer = QTimer(self)
        self._kill_timer.setSingleShot(True)
        self._kill_timer.timeout.connect(self._kill)
        self._read_timer = QTimer(self)
        self._read_timer.setSingleShot(True)
        self._read_timer.setInterval(READ_BATCH_MS)
        self._read_timer.timeout.connect(self._read_stdout)

    # control ---------------------------------------------------------------
    def start(self, argv: list[str]) -> None:
        """Start the child `argv` (program first); refuses while one is running."""
        if self.is_running():
            raise RuntimeError("a training process is already running")
        self.error_message, self.stderr, self._buf, self.error_event = "", b"", b"", None
        self.malformed_lines = 0
        self._stop_as, self._ended_event = "", None
        proc = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        root = str(project_root())
        old = env.value("PYTHONPATH", "")
        env.insert("PYTHONPATH", root + (os.pathsep + old if old else ""))
        env.insert("PYTHONUNBUFFERED", "1")
        proc.setProcessEnvironment(env)
        proc.readyReadStandardOutput.connect(self._stdout_ready)
        proc.readyReadStandardError.connect(self._read_stderr)
        proc.finished.connect(self._finished)
        proc.errorOccurred.connect(self._error)
        self._proc = proc
        proc.start(argv[0], argv[1:])
        if self.state != "failed":                    # FailedToStart is reported by _error
            self._lower_priority()
            self._set_state("running")

    def _lower_priority(self) -> None:
        """Renice the child before it imports torch, so the threads it starts inherit the priority."""
        pid = self.pid()
        if pid and self.child_nice and hasattr(os, "setpriority"):
            try:
                os.setpriority(os.PRIO_PROCESS, pid, min(19, os.getpriority(os.PRIO_PROCESS, 0) + self.child_nice))
            except OSError:
                pass                                   # not allowed here: run at the same priority

    def is_running(self) -> bool:
        return self._proc is not None and self._proc.state() != QProcess.ProcessState.NotRunning

    def pid(self) -> int:
        return int(self._proc.processId()) if self._proc is not None else 0

    def pause(self) -> None:
        """Ask the trainer to checkpoint and stop; the run can be resumed later."""
        self._stop("paused")

    def cancel(self) -> None:
        """Stop the run for good (the trainer still exits cleanly)."""
        self._stop("cancelled")

    def _stop(self, as_state: str) -> None:
        if not self.is_running():
            return
        self._stop_as = as_state
        self._set_state("stopping")
        self._proc.terminate()                      # SIGTERM: checkpoint, then exit
        self._kill_timer.start(self.kill_after_ms)

    def _kill(self) -> None:
        if self.is_running():
            self._proc.kill()

    def shutdown(self, timeout_ms: int = 20000) -> bool:
        """Stop and wait (closing the app): True when the child exited by itself."""
        if not self.is_running():
            return True
        self._stop("paused")
        clean = self._proc.waitForFinished(timeout_ms)
        if not clean:
            self._proc.kill()
            self._proc.waitForFinished(3000)
        return clean

    # output ----------------------------------------------------------------
    def _stdout_ready(self) -> None:
        if not self._read_timer.isActive():
            self._read_timer.start()

    def _read_stdout(self) -> None:
        """Parse every complete line that arrived since the last read, in order."""
        self._read_timer.stop()
        self._buf += bytes(self._proc.readAllStandardOutput())
        *lines, self._buf = self._buf.split(b"\n")
        for raw in lines:
            self._line(raw)

    def _line(self, raw: bytes) -> None:
        line = raw.decode("utf-8", errors="replace").strip()
        if not line:
            return
        try:
            obj = json.loads(line)
        except ValueError:
            obj = None
        if not isinstance(obj, dict) or "event" not in obj:
            self.text.emit(line)
            return
        try:
            ev = parse_event(obj)
        except MlspError as exc:
            self.malformed_lines += 1
            if self.malformed_lines == 1:
                self.malformed.emit(str(exc))
            self.text.emit(line)
            return
        if isinstance(ev, ErrorEvent):
            self.error_event = ev
            self.error_message = ev.message or str(ev.extra.get("error") or "training failed")
        elif isinstance(ev, EndEvent):
            self._ended_event = ev
        self.event.emit(ev)

    def _read_stderr(self) -> None:
        self.stderr = (self.stderr + bytes(self._proc.readAllStandardError()))[-STDERR_KEEP:]

    def stderr_message(self) -> str:
        """The last meaningful line the child wrote to stderr (the CLI's one-sentence error)."""
        lines = [ln.strip() for ln in self.stderr.decode("utf-8", errors="replace").splitlines()]
        lines = [ln for ln in lines if ln]
        for ln in reversed(lines):
            if ": error: " in ln:
                return ln.split(": error: ", 1)[1]
        return lines[-1] if lines else ""

    def _finished(self, code: int, status: QProcess.ExitStatus) -> None:
        self._kill_timer.stop()
        self._read_stdout()
        if self._buf:
            self._line(self._buf)
            self._buf = b""
        self._read_stderr()
        crashed = status == QProcess.ExitStatus.CrashExit
        if self._stop_as and not self.error_message:
            state = self._stop_as
        elif code == 0 and not crashed and not self.error_message:
            state = "finished"
        else:
            state = "failed"
            if not self.error_message:
                self.error_message = self.stderr_message() or (
                    "the training process was killed or crashed before it could report an error." if crashed
                    else f"the training process exited with code {code}.")
        self._set_state(state)
        self.ended.emit(state, self.error_message if state == "failed" else "")

    def _error(self, err: QProcess.ProcessError) -> None:
        if err == QProcess.ProcessError.FailedToStart:
            self.error_message = f"could not start the trainer ({self._proc.errorString()})."
            self._set_state("failed")
            self.ended.emit("failed", self.error_message)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
