"""What a HuggingFace ViT or ViT-MAE folder can do, from its config.json (no torch)."""
from __future__ import annotations

from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.spec import Declared

VISION_TYPES = ("vit", "vit_mae")


def is_vision(cfg: dict) -> bool:
    return cfg.get("model_type") in VISION_TYPES


def vision_declared(cfg: dict) -> Declared:
    if cfg.get("model_type") == "vit_mae":
        return Declared(frozenset({C.RECONSTRUCT, C.EMBED, C.ATTENTION}), (I.IMAGE,), (O.IMAGE, O.VECTORS, O.ATTENTION),
                        "ViT-MAE folder: reconstructs masked patches")
    caps = {C.EMBED, C.ATTENTION}
    outs = [O.VECTORS, O.ATTENTION]
    if any(str(a).endswith("ForImageClassification") for a in cfg.get("architectures") or ()):
        caps.add(C.CLASSIFY)
        outs.insert(0, O.LABELS)
    return Declared(frozenset(caps), (I.IMAGE,), tuple(outs), "ViT folder")
