"""One lock for everything that first reaches into `transformers`.

transformers' top-level module is lazy: a name such as `PreTrainedTokenizerFast` imports its
submodule on first access, and that is not thread-safe. Two threads that reach for names at the
same time (two model loads in the window's job pool, or a job beside the warm-up import) can fail
with "cannot import name 'PreTrainedTokenizerFast' from 'transformers'". Every import from
transformers in the engine goes through `hf_name` / `hf_module`, and the loads that make it import
more on its own (`from_pretrained` picks modules by the folder's config) run under `HF_LOCK`.
The lock is re-entrant, and cheap once the names are imported."""
from __future__ import annotations

import importlib
import threading
from typing import Any

HF_LOCK = threading.RLock()


def hf_module(path: str = "transformers") -> Any:
    """`import PATH` (a transformers module), one thread at a time."""
    with HF_LOCK:
        return importlib.import_module(path)


def hf_name(name: str, module: str = "transformers") -> Any:
    """`from MODULE import NAME`, one thread at a time."""
    with HF_LOCK:
        return getattr(importlib.import_module(module), name)


def quiet_transformers() -> None:
    """No "Loading weights" progress bars or advisory warnings from `transformers` on the user's
    terminal (the CLI's stderr, the window's console): set once, for every loader and tokenizer."""
    hf_logging = hf_module("transformers.utils.logging")
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
