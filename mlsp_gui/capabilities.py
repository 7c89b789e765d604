"""Which models can serve which view, from the registry's declarations (no model is loaded).

The window hands the registry over once its job has read it (`set_specs`); a view asks
`unmet(view.needs, ref)` and gets None (the model can, or nobody knows yet: a run folder, hf:PATH)
or a `Gap` that says what is missing and names the models that can. `changed` fires when the
registry arrives, so gates already on show can update."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal


@dataclass(frozen=True)
class Gap:
    """Why the model `ref` cannot serve a view that needs `needs`, and which models can."""

    ref: str
    needs: str
    verb: str
    can: tuple[str, ...]

    def message(self) -> str:
        names = ", ".join(self.can) if self.can else "none of the registry's models (open a folder that can)"
        return f"The model '{self.ref}' cannot {self.verb}. Models that can: {names}."


class ModelCapabilities(QObject):
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._specs: dict = {}

    def set_specs(self, specs: dict) -> None:
        self._specs = dict(specs)
        self.changed.emit()

    def known(self) -> bool:
        return bool(self._specs)

    def spec(self, ref: str):
        return self._specs.get(ref or "minilm")

    def models_that_can(self, needs: str, input_kinds: tuple[str, ...] = ()) -> list[str]:
        """Registry ids (no folder entries) that declare `needs` and take one of `input_kinds` (any when empty)."""
        out = []
        for spec in self._specs.values():
            if getattr(spec, "source", "") == "folder":
                continue
            caps = {getattr(c, "value", c) for c in spec.capabilities}
            kinds = {getattr(k, "value", k) for k in spec.inputs}
            if needs in caps and (not input_kinds or kinds & set(input_kinds)):
                out.append(spec.id)
        return out

    def unmet(self, needs: str | None, ref: str, input_kinds: tuple[str, ...] = ()) -> Gap | None:
        """None when `ref` can serve `needs` (or when that is unknown); else what is missing."""
        if not needs:
            return None
        spec = self.spec(ref)
        if spec is None:                  # a run folder, hf:PATH, or the registry is not read yet
            return None
        if needs in {getattr(c, "value", c) for c in spec.capabilities}:
            return None
        return Gap(spec.id, needs, _verb(needs), tuple(self.models_that_can(needs, input_kinds)))


def _verb(needs: str) -> str:
    try:
        from engine.contract.capabilities import Capability

        return Capability(needs).verb
    except ValueError:
        return f"do '{needs}'"
