"""`mlsp models`: every registry entry — id, title, what it can do, the kinds of input it takes and output
it gives, where its weights come from and whether they are here. Reads no weights and imports no torch."""
from __future__ import annotations

import argparse

from engine.cli.common import add_command, add_json, print_json
from engine.contract.spec import ModelSpec


def register(subparsers) -> None:
    p = add_command(subparsers, "models", "list the models in the registry", __doc__, run,
                    description="List every registry entry: id, capabilities, input and output kinds, where its "
                                "weights come from and whether they are available on this machine.")
    add_json(p)


def describe(spec: ModelSpec) -> dict:
    """One entry as plain JSON types. `weights_available` is None for hf:PATH (the folder decides)."""
    path = spec.weights_path()
    available = None if spec.source == "folder" else path is not None
    return {"id": spec.id, "title": spec.title, "modality": spec.modality,
            "capabilities": sorted(c.value for c in spec.capabilities),
            "inputs": [k.value for k in spec.inputs], "outputs": [k.value for k in spec.outputs],
            "source": spec.source, "trainable": spec.trainable, "default_data": spec.default_data,
            "weights_available": available, "weights_status": spec.weights_status(),
            "weights": str(path) if path else None, "description": spec.description}


def render(entries: list[dict]) -> str:
    rows = [("ID", "INPUTS", "SOURCE", "WEIGHTS", "CAPABILITIES", "TITLE")]
    rows += [(e["id"], ",".join(e["inputs"]), e["source"], e["weights_status"], ",".join(e["capabilities"]),
              e["title"]) for e in entries]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r[:5], widths)) + "  " + r[5] for r in rows)


def run(args: argparse.Namespace) -> int:
    from engine.zoo import registry

    entries = [describe(spec) for spec in registry().values()]
    if args.json:
        print_json(entries)
    else:
        print(render(entries))
    return 0
