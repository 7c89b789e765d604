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

Warm start (`prewarm()`): a `python -m engine.cli.warm_worker` child is started ahead of
time, reniced, with torch and the trainer already imported; Start hands it the `train` command
on its standard input instead of starting a fresh interpreter, which takes Start → first step
from about 3 s to about 0.1 s on two cores (benchmarks/train_startup.py). A run
uses the waiting worker only when the command is `engine.cli` under this interpreter and the
start-up variables (STARTUP_VARIABLES) are those the worker was started with; the rest of the
environment goes with the command. Otherwise it starts cold as before. After a
run ends a new worker is started. `MLSP_WARM_TRAINER=0` turns the warm start off.
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


def warm_enabled() -> bool:
    return os.environ.get("MLSP_WARM_TRAINER", "1") != "0"


def child_environment() -> QProcessEnvironment:
    """The system environment plus what every child needs: the project on PYTHONPATH, unbuffered output."""
    env = QProcessEnvironment.systemEnvironment()
    root = str(project_root())
    old = env.value("PYTHONPATH", "")
    env.insert("PYTHONPATH", root + (os.pathsep + old if old else ""))
    env.insert("PYTHONUNBUFFERED", "1")
    return env


# Variables read while a process starts (the interpreter, torch, its thread pools, the loader): a
# worker started under other values cannot serve the run. The rest of the environment is sent
# with the command and set by the worker before the run.
STARTUP_VARIABLES = ("PYTHON", "LD_", "OMP_", "MKL_", "KMP_", "OPENBLAS_", "TORCH", "PYTORCH_", "CUDA_", "MLSP_",
                     "HF_", "TRANSFORMERS_", "TOKENIZERS_", "PATH", "HOME", "TMPDIR", "LANG", "LC_")


def _env_key(env: QProcessEnvironment) -> tuple[str, ...]:
    return tuple(sorted(e for e in env.toStringList() if e.startswith(STARTUP_VARIABLES)))


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
        self._warm: QProcess | None = None           # a waiting warm worker (prewarm), not yet a run
        self._warm_env: tuple[str, ...] = ()
        self._keep_warm = False
        self._warm_failures = 0
        self.warm_started = False                     # whether the current run went to a warm worker
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
        env = child_environment()
        warm = self._take_warm(argv, env)
        self.warm_started = warm is not None
        proc = warm or QProcess(self)
        if warm is None:
            proc.setProcessEnvironment(env)
        proc.readyReadStandardOutput.connect(self._stdout_ready)
        proc.readyReadStandardError.connect(self._read_stderr)
        proc.finished.connect(self._finished)
        proc.errorOccurred.connect(self._error)
        self._proc = proc
        if warm is not None:
            env_map = {k: env.value(k) for k in env.keys()}
            proc.write((json.dumps({"argv": argv[3:], "env": env_map}) + "\n").encode("utf-8"))
            proc.closeWriteChannel()
            self._set_state("running")
            return
        proc.start(argv[0], argv[1:])
        if self.state != "failed":                    # FailedToStart is reported by _error
            self._lower_priority(self.pid())
            self._set_state("running")

    # warm start ------------------------------------------------------------
    def prewarm(self) -> None:
        """Keep a warm worker waiting for the next Start (now, and again after each run)."""
        self._keep_warm = warm_enabled()
        self._start_warm()

    def _start_warm(self) -> None:
        if not self._keep_warm or self._warm is not None or self.is_running():
            return
        env = child_environment()
        proc = QProcess(self)
        proc.setProcessEnvironment(env)
        proc.finished.connect(self._warm_finished)
        proc.start(sys.executable, ["-m", "engine.cli.warm_worker"])
        if not proc.waitForStarted(5000):
            proc.deleteLater()
            return
        self._lower_priority(int(proc.processId()))
        self._warm, self._warm_env = proc, _env_key(env)

    def _warm_finished(self, *_args) -> None:
        self._warm_died(self.sender())

    def _warm_died(self, proc: QProcess) -> None:
        """A waiting worker that exits on its own (killed, or it failed to import) is dropped."""
        if proc is not self._warm:
            return
        self._warm = None
        proc.deleteLater()
        self._warm_failures += 1
        if self._warm_failures <= 2:                 # a worker that cannot start is not retried for ever
            QTimer.singleShot(1000, self._start_warm)

    def _take_warm(self, argv: list[str], env: QProcessEnvironment) -> QProcess | None:
        """The waiting worker, when it can run `argv` as a fresh process would; else None (and it is stopped)."""
        warm, self._warm = self._warm, None
        if warm is None:
            return None
        usable = (argv[:3] == [sys.executable, "-m", "engine.cli"] and _env_key(env) == self._warm_env
                  and warm.state() == QProcess.ProcessState.Running)
        if usable:
            warm.finished.disconnect()
            self._warm_failures = 0
            return warm
        self._stop_warm(warm)
        return None

    @staticmethod
    def _stop_warm(proc: QProcess) -> None:
        proc.finished.disconnect()
        proc.kill()                                  # it holds nothing yet: no run, no files
        proc.waitForFinished(2000)
        proc.deleteLater()

    def drop_warm(self) -> None:
        """Stop keeping a worker warm and end the waiting one (the window closes)."""
        self._keep_warm = False
        if self._warm is not None:
            warm, self._warm = self._warm, None
            self._stop_warm(warm)

    def _lower_priority(self, pid: int) -> None:
        """Renice the child before it imports torch, so the threads it starts inherit the priority."""
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
        self.drop_warm()
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
        self._start_warm()

    def _error(self, err: QProcess.ProcessError) -> None:
        if err == QProcess.ProcessError.FailedToStart:
            self.error_message = f"could not start the trainer ({self._proc.errorString()})."
            self._set_state("failed")
            self.ended.emit("failed", self.error_message)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
