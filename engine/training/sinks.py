"""Where events go besides `--json` stdout: the run's metrics.jsonl, and a tqdm progress bar."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from engine.training.events import dumps


class MetricsFileSink:
    """Appends "step" and "eval" events to metrics.jsonl; fsyncs when a checkpoint lands, so the
    metrics up to every checkpoint survive a crash."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fh = open(self.path, "a", encoding="utf-8")

    def emit(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        if kind in ("step", "eval"):
            self._fh.write(dumps(event) + "\n")
            self._fh.flush()
        elif kind in ("checkpoint", "end", "error"):
            self._fh.flush()
            os.fsync(self._fh.fileno())

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()


class ProgressBarSink:
    """A tqdm bar on stderr: steps, ETA, loss, lr and throughput."""

    RATE_SMOOTHING = 0.1          # weight of the newest throughput in the rate shown (as tqdm's own)

    def __init__(self, stream: Any = None) -> None:
        self._stream = stream or sys.stderr
        self._bar = None
        self.rate: float | None = None          # the smoothed throughput shown

    def _smooth(self, value: float) -> float:
        """An exponential moving average: single steps (a first step, a checkpoint) no longer make the
        rate jump between 421 and 56,618 samples/s."""
        value = float(value)
        self.rate = value if self.rate is None else self.rate + self.RATE_SMOOTHING * (value - self.rate)
        return self.rate

    def emit(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "start":
            from tqdm import tqdm

            self.rate = None
            self._bar = tqdm(total=event["total_steps"], initial=event["start_step"], unit="step",
                             desc=event["model"], file=self._stream, dynamic_ncols=True, smoothing=0.1)
        elif kind == "step" and self._bar is not None:
            self._bar.update(event["step"] - self._bar.n)
            self._bar.set_postfix_str(f"loss={event['loss']:.4g} lr={event['lr']:.2e} "
                                      f"{self._smooth(event['throughput']):.0f} {event['unit']}", refresh=False)
        elif kind == "eval" and self._bar is not None:
            shown = ", ".join(f"{k}={v:.4g}" for k, v in list(event["metrics"].items())[:4])
            self._bar.write(f"step {event['step']}: {shown}", file=self._stream)
        elif kind in ("end", "error"):
            self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
