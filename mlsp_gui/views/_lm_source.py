"""The language-model views' model: the session's model when it can do what the view needs (else
the view's default, bert-mini or gpt-mini), loaded through the model store; a model that cannot
(minilm in the masked view) gets a sentence instead of a failure; a checkpoint of a followed run
is loaded into the store in a job and handed to the view."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from mlsp_gui.context import AppContext


def _load_checkpoint(state, run_ref: str, checkpoint: str, device: str):
    state.progress(0.1, f"loading checkpoint {Path(checkpoint).name}")
    from engine.contract.spec import ModelRef
    from engine.zoo import load_model, resolve

    spec = resolve(run_ref).spec
    return load_model(ModelRef(spec=spec, path=Path(checkpoint), text=run_ref), device)


def same_path(a: str, b: str) -> bool:
    try:
        return bool(a) and bool(b) and Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


class LMSource(QObject):
    """`ready(model)` when the model to show is loaded; `refused(message)` when it cannot serve the view."""

    ready = Signal(object)
    refused = Signal(str)
    status = Signal(str)

    def __init__(self, ctx: AppContext, owner: str, capability: str, default: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.owner, self.capability, self.default = ctx, owner, capability, default
        self.model = None
        self.checkpoint = ""
        self._ref = ""

    def ref(self) -> str:
        return self.ctx.session.model or self.default

    def load(self) -> None:
        """Load the session's model (or the default); refuse with a sentence when it cannot serve the view."""
        from engine.contract.capabilities import Capability
        from engine.contract.loaded import cannot_message
        from engine.errors import MlspError
        from engine.zoo import resolve

        ref = self.ref()
        try:
            mref = resolve(ref)
        except MlspError as exc:
            self.refused.emit(str(exc))
            return
        if not mref.can(Capability(self.capability)):
            self.model = None
            self.refused.emit(cannot_message(mref.text, Capability(self.capability), mref.inputs))
            return
        self._ref = ref
        self.status.emit(f"loading {ref}…")
        self.ctx.models.get(ref, self.ctx.session.device, lambda m, r=ref: self._loaded(r, m, ""))

    def on_checkpoint(self, run_dir: str, checkpoint: str) -> bool:
        """A checkpoint of the run shown: load it (the store's model for the run is replaced)."""
        if not same_path(self.ref(), run_dir):
            return False
        ref, device = self.ref(), self.ctx.session.device
        self.status.emit(f"loading checkpoint {Path(checkpoint).name}…")
        self.ctx.jobs.submit(f"Load {Path(checkpoint).name} of {Path(run_dir).name}", _load_checkpoint, ref,
                             checkpoint, device, owner=f"{self.owner}:checkpoint",
                             on_done=lambda m: self._replaced(ref, device, m, checkpoint),
                             on_error=self.refused.emit)
        return True

    def _replaced(self, ref: str, device: str, model, checkpoint: str) -> None:
        self.ctx.models.replace(ref, device, model)
        self._loaded(ref, model, checkpoint)

    def _loaded(self, ref: str, model, checkpoint: str) -> None:
        if ref != self.ref():
            return
        self.model, self.checkpoint = model, checkpoint
        self.status.emit("")
        self.ready.emit(model)

    def describe(self) -> str:
        if self.model is None:
            return ""
        step = f" · checkpoint {Path(self.checkpoint).name}" if self.checkpoint else ""
        return f"{self.model.name}{step}"
