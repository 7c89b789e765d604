"""What happens after the window is painted: the background jobs that warm imports (torch, the
engine), read the model registry and find the compute devices; and the first-paint watcher
that starts them (and that the start-up benchmark reads)."""
from __future__ import annotations

import gc
import os
import time

from PySide6.QtCore import QEvent, QObject, Signal

from engine.hf_import import HF_LOCK

# transformers' lazy module is not thread-safe: a job that imports from it while another thread is
# still importing it fails with "cannot import name 'AutoTokenizer'". Heavy imports take the lock
# that the engine's own imports from transformers take (`engine.hf_import`).
HEAVY_IMPORTS = HF_LOCK


def import_heavy() -> None:
    """Import torch and transformers completely, one thread at a time (cheap once done)."""
    with HEAVY_IMPORTS:
        import torch  # noqa: F401
        import transformers  # noqa: F401
        import transformers.models.auto  # noqa: F401


def warm_up(state) -> str:
    """Import torch and the engine's heavy modules off the GUI thread; returns torch's version."""
    state.progress(0.02, "importing torch")
    with HEAVY_IMPORTS:
        import torch

        state.progress(0.45, "importing the engine")
        import engine.checkpoints_io  # noqa: F401
        import engine.data  # noqa: F401
        import engine.probes.embed  # noqa: F401
        import engine.zoo  # noqa: F401

        state.progress(0.7, "importing transformers")
        import transformers  # noqa: F401
        import transformers.models.auto  # noqa: F401

    return str(torch.__version__)


def freeze_long_lived() -> None:
    """Move every object alive now (torch, transformers, the views: a few million) out of the
    garbage collector's reach. They live as long as the window; without this every full
    collection walks them all on whichever thread triggers it — 140 ms on the GUI thread while a
    run trains (benchmarks/gui_stall.py). Once per process: a later window (the tests open many)
    would pin whatever garbage was waiting at that moment. MLSP_GC_FREEZE=0 turns it off (the
    tests do: it would pin every test's windows)."""
    if gc.get_freeze_count() == 0 and os.environ.get("MLSP_GC_FREEZE", "1") != "0":
        gc.freeze()


def read_registry(state) -> dict:
    """Every registry entry (cheap: no torch)."""
    from engine.zoo import registry

    return registry()


def find_devices(state) -> list:
    """`engine.devices.list_devices()` (imports torch)."""
    state.progress(0.1, "importing torch")
    from engine.devices import list_devices

    return list_devices()


class FirstPaintWatcher(QObject):
    """Emits `painted(t)` (time.time()) once, when the watched widget gets its first paint event."""

    painted = Signal(float)

    def __init__(self, widget: QObject) -> None:
        super().__init__(widget)
        self.time: float | None = None
        self._widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if self.time is None and obj is self._widget and event.type() == QEvent.Type.Paint:
            self.time = time.time()
            self._widget.removeEventFilter(self)
            self.painted.emit(self.time)
        return False
