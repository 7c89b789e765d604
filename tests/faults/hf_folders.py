"""HuggingFace folders for the fault tests: the tiny BERT of tests/engine/hf_tiny.py with its
weights swapped for a pickle (one that would run code, one of plain tensors)."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))

import hf_tiny  # noqa: E402


class RunsCode:
    """Unpickling this would call os.system (it must never happen)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def pickled_folder(root: Path, evil: bool, marker: Path | None = None, kind: str = "bert") -> Path:
    """A copy of the tiny `kind` folder whose weights are pytorch_model.bin (no safetensors)."""
    import torch
    from safetensors.torch import load_file

    folder = Path(root) / f"{kind}-{'evil' if evil else 'plain'}-bin"
    shutil.copytree(hf_tiny.tiny_folder(kind), folder)
    state = load_file(str(folder / "model.safetensors"))
    (folder / "model.safetensors").unlink()
    if evil:
        state["payload"] = RunsCode(marker or Path(root) / "it-ran")
    torch.save(state, folder / "pytorch_model.bin")
    return folder
