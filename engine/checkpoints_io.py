"""Reading model weights safely.

* safetensors: the header is checked against the file before any tensor is read (a truncated
  or malformed file gives one sentence saying what is wrong, never a crash or a huge allocation);
* torch files (.pt, .pth, .bin, .ckpt) only through `torch.load(weights_only=True)`: a pickle that
  would import and call code is refused without running it, and the message names what it
  would have called.

`apply_checkpoint` loads such a file into a copy of a loaded model, so the model already in use
stays untouched when the file does not fit.
"""
from __future__ import annotations

import copy
import dataclasses
import json
import os
import pickletools
import struct
import warnings
import zipfile
from pathlib import Path
from typing import Any

from engine.errors import ModelError
from engine.records.checkpoint import CheckpointInfo, TensorEntry

SAFETENSORS_SUFFIXES = (".safetensors",)
TORCH_SUFFIXES = (".pt", ".pth", ".bin", ".ckpt")
DTYPE_SIZES = {"BOOL": 1, "U8": 1, "I8": 1, "F8_E4M3": 1, "F8_E5M2": 1, "I16": 2, "U16": 2, "F16": 2,
               "BF16": 2, "I32": 4, "U32": 4, "F32": 4, "I64": 8, "U64": 8, "F64": 8}
MAX_HEADER_BYTES = 100_000_000
WRAPPER_KEYS = ("model", "state_dict", "model_state_dict", "module")


def _size(p: Path) -> int:
    try:
        if p.is_dir():
            raise ModelError(f"{p} is a folder; choose a .safetensors (or .pt) file, or load it as a run folder.")
        return p.stat().st_size
    except FileNotFoundError:
        raise ModelError(f"checkpoint {p} does not exist; check the path.") from None
    except PermissionError:
        raise ModelError(f"cannot read checkpoint {p}: permission denied.") from None


def _parse_header(p: Path, size: int) -> tuple[int, dict]:
    with open(p, "rb") as f:
        first = f.read(8)
        if len(first) < 8:
            raise ModelError(f"{p} is not a safetensors file: it is only {size} bytes long.")
        n = struct.unpack("<Q", first)[0]
        if n > MAX_HEADER_BYTES or n > size - 8:
            raise ModelError(f"{p} is not a valid safetensors file: its header claims {n} bytes but the file "
                             f"has {size - 8} after the length field (truncated or not safetensors).")
        raw = f.read(n)
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ModelError(f"{p} is not a valid safetensors file: its header is not JSON (damaged file?).") from None
    if not isinstance(header, dict):
        raise ModelError(f"{p} is not a valid safetensors file: its header is not a JSON object.")
    return n, header


def _entry(p: Path, name: str, spec: Any) -> tuple[TensorEntry, int, int]:
    try:
        dtype, shape, (begin, end) = spec["dtype"], tuple(int(d) for d in spec["shape"]), spec["data_offsets"]
    except (KeyError, TypeError, ValueError):
        raise ModelError(f"{p} is not a valid safetensors file: the entry for tensor '{name}' is malformed.") from None
    if dtype not in DTYPE_SIZES:
        raise ModelError(f"{p}: tensor '{name}' has an unknown dtype '{dtype}'.")
    count = 1
    for d in shape:
        if d < 0:
            raise ModelError(f"{p}: tensor '{name}' has a negative dimension in shape {shape}.")
        count *= d
    if end - begin != count * DTYPE_SIZES[dtype] or begin < 0:
        raise ModelError(f"{p}: tensor '{name}' declares shape {shape} {dtype} but {end - begin} bytes of data; "
                         "the file is damaged.")
    return TensorEntry(name, dtype, shape, end - begin), int(begin), int(end)


def inspect_safetensors(path: str | os.PathLike, allow_empty: bool = False) -> CheckpointInfo:
    """Check a safetensors file's header against its size; ModelError when it is damaged (or holds
    no tensors, unless `allow_empty`)."""
    p = Path(path).expanduser()
    size = _size(p)
    n, header = _parse_header(p, size)
    metadata = header.pop("__metadata__", None) or {}
    entries, end_max = [], 0
    for name, spec in header.items():
        entry, _begin, end = _entry(p, name, spec)
        entries.append(entry)
        end_max = max(end_max, end)
    data = size - 8 - n
    if end_max > data:
        raise ModelError(f"{p} is truncated: its header describes {end_max:,} bytes of tensor data but only "
                         f"{data:,} are there; copy or save the checkpoint again.")
    if not entries and not allow_empty:
        raise ModelError(f"{p} holds no tensors; it is not a model checkpoint.")
    return CheckpointInfo(path=str(p), format="safetensors", size_bytes=size, tensors=tuple(entries),
                          metadata={str(k): str(v) for k, v in dict(metadata).items()})


def pickle_globals(data: bytes) -> list[str]:
    """The 'module.name' callables a pickle would import, read from its opcodes without running it."""
    found, strings, memo = [], [], {}
    try:
        for op, arg, _pos in pickletools.genops(data):
            if op.name == "GLOBAL":
                found.append(str(arg).replace(" ", "."))
            elif op.name == "STACK_GLOBAL" and len(strings) >= 2:
                found.append(f"{strings[-2]}.{strings[-1]}")
            elif isinstance(arg, str) and "UNICODE" in op.name:
                strings.append(arg)
            elif op.name == "MEMOIZE" and strings:
                memo[len(memo)] = strings[-1]
            elif op.name in ("BINGET", "LONG_BINGET", "GET") and arg in memo:
                strings.append(memo[arg])
    except Exception:  # a damaged pickle: report what was found before the damage
        pass
    return sorted(set(found))


def _pickle_bytes(p: Path) -> bytes:
    if zipfile.is_zipfile(p):
        with zipfile.ZipFile(p) as z:
            names = [n for n in z.namelist() if n.endswith("data.pkl")]
            return z.read(names[0]) if names else b""
    with open(p, "rb") as f:
        return f.read(MAX_HEADER_BYTES)


def _load_torch_file(p: Path, advice: str = "Use a .safetensors file or a file saved from a state_dict.") -> Any:
    """A torch file's objects through `torch.load(weights_only=True)`; a pickle that would run code
    is refused in one sentence (what it would call, and `advice`), with none of torch's own text."""
    import pickle

    import torch

    try:
        with warnings.catch_warnings():           # torch warns about pickle protocols it then reads fine
            warnings.simplefilter("ignore")
            return torch.load(str(p), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:
        allowed = ("torch.", "collections.OrderedDict", "builtins.", "_codecs.encode", "numpy.")
        code = [g for g in pickle_globals(_pickle_bytes(p)) if not g.startswith(allowed)]
        what = f" (it would call {', '.join(code[:3])})" if code else ""
        raise ModelError(f"{p} was refused and not loaded: it is a pickle that could run code when loaded{what}; "
                         f"only plain tensors are read. {advice}") from None
    except (RuntimeError, EOFError, ValueError, zipfile.BadZipFile, OSError, AttributeError, ImportError,
            IndexError, KeyError, TypeError, MemoryError, struct.error) as exc:
        raise ModelError(f"{p} is not a readable torch checkpoint ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0] if str(exc) else 'damaged'}).") from None


def _unwrap(obj: Any, p: Path) -> dict:
    import torch

    for _ in range(3):
        if isinstance(obj, dict) and not any(isinstance(v, torch.Tensor) for v in obj.values()):
            inner = next((obj[k] for k in WRAPPER_KEYS if isinstance(obj.get(k), dict)), None)
            if inner is None:
                break
            obj = inner
    if not isinstance(obj, dict) or not obj or not all(isinstance(v, torch.Tensor) for v in obj.values()):
        raise ModelError(f"{p} does not hold a state dict of tensors (found {type(obj).__name__}).")
    return obj


def read_torch_pickle(path: str | os.PathLike, advice: str) -> Any:
    """The objects of a torch pickle file (pytorch_model.bin), read with weights_only=True; ModelError
    in one sentence (ending with `advice`) when it would run code or is damaged."""
    return _load_torch_file(Path(path), advice)


def read_state_dict(path: str | os.PathLike) -> dict:
    """name -> torch.Tensor (CPU) from a safetensors or torch file, checked as described above."""
    p = Path(path).expanduser()
    _size(p)
    suffix = p.suffix.lower()
    if suffix in SAFETENSORS_SUFFIXES:
        inspect_safetensors(p)
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        try:
            return load_file(str(p), device="cpu")
        except (SafetensorError, OSError) as exc:
            raise ModelError(f"{p} could not be read as safetensors ({exc}).") from None
    if suffix in TORCH_SUFFIXES:
        return _unwrap(_load_torch_file(p), p)
    raise ModelError(f"{p} is not a checkpoint this app reads; choose a .safetensors, .pt, .pth, .bin or .ckpt file.")


def find_module(model: Any) -> tuple[str, Any]:
    """The (field name, torch.nn.Module) a LoadedModel computes with."""
    import torch

    for f in dataclasses.fields(model):
        value = getattr(model, f.name)
        if isinstance(value, torch.nn.Module):
            return f.name, value
    raise ModelError(f"model '{model.name}' has no weights that a checkpoint could replace.")


def _match_prefix(state: dict, own: set[str]) -> dict:
    """Strip or add one 'prefix.' (bert., model., module.) when that makes the names line up."""
    if set(state) & own:
        return state
    for key in list(state)[:1]:
        head = key.split(".", 1)[0] + "."
        stripped = {k[len(head):] if k.startswith(head) else k: v for k, v in state.items()}
        if set(stripped) & own:
            return stripped
    return state


def apply_checkpoint(model: Any, path: str | os.PathLike) -> Any:
    """A copy of `model` with the weights of `path`; `model` itself is never modified."""
    p = Path(path).expanduser()
    state = read_state_dict(p)
    attr, module = find_module(model)
    own = module.state_dict()
    state = _match_prefix(state, set(own))
    # Buffers the module keeps out of its state_dict (non-persistent, e.g. position_ids) are not weights.
    transient = {name for name, _ in module.named_buffers()} - set(own)
    state = {k: v for k, v in state.items() if k not in transient}
    missing = sorted(set(own) - set(state))
    unexpected = sorted(set(state) - set(own))
    wrong = sorted(k for k in set(own) & set(state) if tuple(own[k].shape) != tuple(state[k].shape))
    if missing or unexpected or wrong:
        parts = []
        if missing:
            parts.append(f"{len(missing)} missing (e.g. {missing[0]})")
        if unexpected:
            parts.append(f"{len(unexpected)} unexpected (e.g. {unexpected[0]})")
        if wrong:
            k = wrong[0]
            parts.append(f"{len(wrong)} with other shapes (e.g. {k}: {tuple(state[k].shape)} "
                         f"vs {tuple(own[k].shape)})")
        raise ModelError(f"{p.name} does not fit model '{model.name}': " + ", ".join(parts) + " tensors.")
    fresh = copy.deepcopy(module)
    fresh.load_state_dict(state, strict=True)
    return dataclasses.replace(model, **{attr: fresh, "source": str(p)})
