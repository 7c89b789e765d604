"""The base of every loaded model: what probes talk to.

A loaded model answers `capabilities` from its reference's declaration (never from what its
class happens to have); a probe calls `model.require(Capability.X)` first, which raises a
ModelError naming the models that can. The methods behind each capability are the protocols in
`engine.contract.protocols`; a test checks that every registry entry's loaded model implements
the protocols of what it declares.

Recorded forward passes are serialised per network by `engine.models.hooks.record`, so two
probes on one shared model from two threads cannot mix their recordings.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.contract.capabilities import Capability
from engine.contract.spec import ModelRef


@dataclass(eq=False)
class LoadedModel:
    """Base of every loaded model. Families subclass it and add the methods their capabilities need."""

    ref: ModelRef
    device: Any                        # torch.device
    source: str = ""                   # the file or folder the weights came from

    @property
    def id(self) -> str:
        return self.ref.spec.id

    @property
    def name(self) -> str:
        return self.ref.text

    @property
    def capabilities(self) -> frozenset[Capability]:
        return self.ref.capabilities

    def can(self, capability: Capability) -> bool:
        return Capability(capability) in self.capabilities

    def require(self, capability: Capability) -> None:
        """Raise ModelError ("model 'x' cannot translate; choose seq2seq or nmt-transformer") unless
        this model declares `capability`."""
        capability = Capability(capability)
        if capability not in self.capabilities:
            from engine.errors import ModelError

            raise ModelError(cannot_message(self.name, capability, self.ref.inputs))


def cannot_message(name: str, capability: Capability, inputs: tuple = ()) -> str:
    """"model 'minilm' cannot generate text; choose gpt-mini, or a GPT-2 folder (hf:PATH)."""
    from engine.contract.registry import models_that_can

    others = [s.id for s in models_that_can(capability) if s.id != name]
    if capability in FOLDER_HINTS:
        others.append(FOLDER_HINTS[capability])
    choice = _or_list(others) if others else "no model installed here"
    return f"model '{name}' cannot {capability.verb}; choose {choice}."


# Which HuggingFace folders (hf:PATH) can do what, for the messages above.
FOLDER_HINTS = {
    Capability.ATTENTION: "a HuggingFace folder (hf:PATH)",
    Capability.EMBED: "a HuggingFace folder (hf:PATH)",
    Capability.TOKEN_STATES: "a HuggingFace folder (hf:PATH)",
    Capability.GENERATE: "a GPT-2 folder (hf:PATH)",
    Capability.FILL_MASK: "a BERT-family masked-LM folder (hf:PATH)",
}


def _or_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]

