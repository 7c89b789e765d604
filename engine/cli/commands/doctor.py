"""`mlsp doctor`: versions, compute devices, audio input devices, pretrained models, runs folder.

The GUI layer's entry point adds facts the engine cannot gather (audio input devices need Qt
Multimedia) by appending a function to FACT_PROVIDERS before the command runs."""
from __future__ import annotations

import argparse
import platform
import shutil
import sys
from collections.abc import Callable
from importlib import metadata

from engine.cli.common import add_command, add_json, print_json
from engine.data.files import human_size

# Functions returning extra facts, merged into the report (e.g. {"audio_inputs": [...]}).
FACT_PROVIDERS: list[Callable[[], dict]] = []

NO_AUDIO_CHECK = ("not checked: listing audio devices needs Qt Multimedia; run the `mlsp` entry point "
                  "instead of `python -m engine.cli`")


def register(subparsers) -> None:
    p = add_command(subparsers, "doctor", "check the installation: versions, devices, models, disk", __doc__, run,
                    description="Report versions, compute and audio devices, the models whose weights are on this "
                                "machine, and the runs folder with its free disk space.")
    add_json(p)


def _version(*dists: str) -> str | None:
    """The installed version of the first of `dists` found (a package may ship under several names)."""
    for dist in dists:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return None


def versions() -> dict[str, str | None]:
    import numpy
    import torch

    from engine import __version__

    return {"mlsp-explorer": __version__, "python": platform.python_version(), "torch": torch.__version__,
            "transformers": _version("transformers"), "numpy": numpy.__version__,
            "PySide6": _version("PySide6", "PySide6-Essentials"), "pyqtgraph": _version("pyqtgraph"),
            "soundfile": _version("soundfile"), "Pillow": _version("Pillow"),
            "sentence-transformers": _version("sentence-transformers")}


def devices() -> dict:
    from engine.devices import list_devices, resolve_device

    return {"devices": [d.__dict__ for d in list_devices()], "auto_device": str(resolve_device("auto"))}


def weights_of(source: str) -> list[dict]:
    """Where the weights of each registry entry from `source` ("pretrained": installed packages,
    "builtin": shipped in assets/) are, if they are on this machine."""
    from engine.zoo import registry

    found = []
    for spec in registry().values():
        if spec.source == source and (source == "pretrained" or spec.weights is not None):
            path = spec.weights_path()
            found.append({"id": spec.id, "found": path is not None, "folder": str(path) if path else None})
    return found


def runs_folder() -> dict:
    from engine.paths import default_runs_dir

    folder = default_runs_dir()
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    return {"folder": str(folder), "exists": folder.is_dir(), "free_bytes": int(free), "free": human_size(free)}


def collect() -> dict:
    """Every fact, as plain JSON types."""
    facts = {"versions": versions(), **devices(), "audio_inputs": None, "audio_note": NO_AUDIO_CHECK,
             "pretrained": weights_of("pretrained"), "shipped": weights_of("builtin"), "runs": runs_folder(),
             "executable": sys.executable}
    for provider in FACT_PROVIDERS:
        facts.update(provider())
    return facts


def render(facts: dict) -> str:
    """The human-readable report."""
    v = facts["versions"]
    lines = [f"MLSP Explorer {v['mlsp-explorer']}  ({facts['executable']})", "Versions:"]
    lines += [f"  {name:<22} {ver or 'not installed'}" for name, ver in v.items() if name != "mlsp-explorer"]
    lines.append(f"Compute devices (auto picks {facts['auto_device']}):")
    for d in facts["devices"]:
        lines.append(f"  {d['name']:<8} {d['description']:<40} {'available' if d['available'] else '-'}")
    lines.append("Audio input devices:")
    if facts["audio_inputs"] is None:
        lines.append(f"  {facts['audio_note']}")
    elif not facts["audio_inputs"]:
        lines.append(f"  none found{': ' + facts['audio_note'] if facts.get('audio_note') else ''}")
    for a in facts["audio_inputs"] or []:
        lines.append(f"  {a['description']}{'  (default)' if a.get('default') else ''}")
    for title, key in (("Pretrained models", "pretrained"), ("Shipped weights of built-in models", "shipped")):
        lines.append(f"{title}:")
        for m in facts.get(key, []):
            lines.append(f"  {m['id']:<8} {'found: ' + m['folder'] if m['found'] else 'not found'}")
    r = facts["runs"]
    state = "" if r["exists"] else " (not created yet)"
    lines.append(f"Runs folder: {r['folder']}{state}; {r['free']} free")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    facts = collect()
    if args.json:
        print_json(facts)
    else:
        print(render(facts))
    return 0

