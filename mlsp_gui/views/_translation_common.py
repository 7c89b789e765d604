"""What the Translation views share: which models translate, loading one (or one checkpoint of a
run) in a job, and the model bar that follows the session's model and a followed run's checkpoints.

The bar keeps its loaded models per (reference, checkpoint); `model_ready(model)` fires on the GUI
thread whenever the model to use changed (another reference, a new checkpoint of the run)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from mlsp_gui.job_slots import JobSlots

SHIPPED = ("nmt-transformer", "seq2seq")
SAMPLE = "i am a student"


def can_translate(ref: str) -> bool:
    """Whether the reference resolves (no torch) to a model declaring the translate capability."""
    if not ref:
        return False
    try:
        from engine.contract.capabilities import Capability
        from engine.zoo import resolve

        return resolve(ref).can(Capability.TRANSLATE)
    except Exception:
        return False


def load_translator(state, ref: str, device: str, checkpoint: str | None):
    """Job: the model `ref` (its `checkpoint` folder when given) on `device`."""
    state.progress(0.1, f"loading {ref}")
    from engine.zoo import load_model, resolve

    if checkpoint:
        from engine.devices import resolve_device
        from engine.loaders.translation import load_translation

        return load_translation(resolve(ref), resolve_device(device), checkpoint)
    return load_model(ref, device)


def mean_or_head(weights, layer: int, head: int):
    """(L, H, T, S) -> (T, S): one head of one layer, or (head -1) the mean of the layer's heads;
    layer -1: the mean over layers too."""
    w = weights if layer < 0 else weights[layer:layer + 1]
    w = w.mean(axis=0)
    return w.mean(axis=0) if head < 0 or head >= w.shape[0] else w[head]


class TranslatorBar(QWidget):
    """Model chooser (the shipped translation models, the session's model when it translates, or a
    typed run folder) and a status line."""

    model_ready = Signal(object)            # the loaded model (LoadedModel with TRANSLATE)
    status = Signal(str)

    def __init__(self, ctx, owner: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.owner = ctx, owner
        self.slots = JobSlots(ctx.jobs, owner)
        self.model: Any = None
        self.checkpoint: str = ""           # the followed checkpoint of a run, "" for the newest
        self._cache: dict[tuple[str, str, str], Any] = {}
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setMinimumWidth(260)
        self.combo.setToolTip("A translation model: nmt-transformer, seq2seq, or a run folder of either")
        self.combo.addItems(list(SHIPPED))
        self.label = QLabel("")
        self.label.setStyleSheet("color: #555;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Model:"))
        layout.addWidget(self.combo)
        layout.addWidget(self.label, 1)
        self.combo.activated.connect(lambda _i: self.load())
        self.combo.lineEdit().returnPressed.connect(self.load)
        self.follow_session(ctx.session.model)

    def ref(self) -> str:
        return self.combo.currentText().strip()

    def set_ref(self, ref: str) -> None:
        if self.combo.findText(ref) < 0:
            self.combo.addItem(ref)
        self.combo.setCurrentText(ref)

    def follow_session(self, ref: str) -> None:
        """Use the session's model when it translates (e.g. a run opened in views)."""
        if can_translate(ref) and ref != self.ref():
            self.set_ref(ref)
            self.checkpoint = ""
            if self.model is not None:
                self.load()

    def on_checkpoint(self, run_dir: str, checkpoint: str) -> None:
        """A followed run's new (or replayed) checkpoint: load it when the bar shows that run."""
        try:
            same = bool(self.ref()) and Path(self.ref()).resolve() == Path(run_dir).resolve()
        except OSError:
            same = False
        if not same and can_translate(run_dir) and self.ctx.session.model == run_dir:
            self.set_ref(run_dir)
            same = True
        if same and checkpoint:
            self.checkpoint = checkpoint
            self.load()

    def load(self) -> None:
        ref, device, ckpt = self.ref(), self.ctx.session.device, self.checkpoint
        if not can_translate(ref):
            self.label.setText(f"“{ref}” cannot translate; choose nmt-transformer, seq2seq or a run of either.")
            return
        key = (ref, device, ckpt)
        if key in self._cache:
            self._ready(key, self._cache[key])
            return
        self.label.setText(f"loading {ref}" + (f" ({Path(ckpt).name})" if ckpt else "") + " …")
        self.slots.submit("load", f"Load {ref}", load_translator, ref, device, ckpt or None,
                          on_done=lambda m, k=key: self._ready(k, m), on_error=self._failed)

    def _ready(self, key, model) -> None:
        self._cache[key] = model
        if key[0] != self.ref() or key[2] != self.checkpoint:   # the choice changed while it loaded: load the new one
            self.load()
            return
        self.model = model
        step = getattr(model, "checkpoint_step", None)
        self.label.setText(f"{model.name}" + (f" · step {step}" if step is not None else ""))
        self.model_ready.emit(model)

    def _failed(self, message: str) -> None:
        self.label.setText(f"failed: {message}")
        self.ctx.notify("error", message)
