"""What one translation run can do, read from its config.json alone (no torch): the `refine`
function of the `seq2seq` entry. A run trained with `--set attention=none` has no attention to
show, so it does not declare the attention capability."""
from __future__ import annotations

from pathlib import Path

from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.spec import Declared


def declared(folder: Path) -> Declared:
    from engine.training.atomic import read_json

    try:
        attention = read_json(Path(folder) / "config.json").get("task", {}).get("attention", "additive")
    except (OSError, ValueError, AttributeError):
        attention = "additive"
    caps = {C.TRANSLATE, C.TRAIN}
    outputs = [O.TEXT, O.TOKEN_PROBS]
    note = "seq2seq without attention (one-vector bottleneck)"
    if attention != "none":
        caps.add(C.ATTENTION)
        outputs.append(O.ATTENTION)
        note = f"seq2seq with {attention} attention"
    return Declared(frozenset(caps), (I.SOURCE_TARGET,), tuple(outputs), note)
