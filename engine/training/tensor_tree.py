"""Split a nested state (optimizer state_dict, RNG states) into JSON + named tensors, and back.

No pickle anywhere: tensors go to a safetensors file under generated keys, everything else is
JSON. Markers: {"$tensor": key}, {"$tuple": [...]}, {"$dict": [[key, value], ...]} for dicts
whose keys are not all strings (e.g. optimizer state keyed by parameter index).
"""
from __future__ import annotations

from typing import Any


def flatten(obj: Any, prefix: str, tensors: dict[str, Any]) -> Any:
    """Return the JSON skeleton of `obj`; tensors are moved (to CPU, contiguous) into `tensors`."""
    import torch

    if isinstance(obj, torch.Tensor):
        key = prefix
        tensors[key] = obj.detach().to("cpu").contiguous().clone()
        return {"$tensor": key}
    if isinstance(obj, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in obj):
            return {k: flatten(v, f"{prefix}.{k}", tensors) for k, v in obj.items()}
        return {"$dict": [[k, flatten(v, f"{prefix}.{i}", tensors)] for i, (k, v) in enumerate(obj.items())]}
    if isinstance(obj, tuple):
        return {"$tuple": [flatten(v, f"{prefix}.{i}", tensors) for i, v in enumerate(obj)]}
    if isinstance(obj, list):
        return [flatten(v, f"{prefix}.{i}", tensors) for i, v in enumerate(obj)]
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if hasattr(obj, "item") and callable(obj.item):            # numpy scalars
        return obj.item()
    if hasattr(obj, "tolist"):                                   # numpy arrays
        return obj.tolist()
    raise TypeError(f"cannot store a {type(obj).__name__} in a checkpoint without pickle (at {prefix})")


def unflatten(skeleton: Any, tensors: dict[str, Any]) -> Any:
    """Inverse of `flatten`."""
    if isinstance(skeleton, dict):
        if set(skeleton) == {"$tensor"}:
            return tensors[skeleton["$tensor"]]
        if set(skeleton) == {"$tuple"}:
            return tuple(unflatten(v, tensors) for v in skeleton["$tuple"])
        if set(skeleton) == {"$dict"}:
            return {_key(k): unflatten(v, tensors) for k, v in skeleton["$dict"]}
        return {k: unflatten(v, tensors) for k, v in skeleton.items()}
    if isinstance(skeleton, list):
        return [unflatten(v, tensors) for v in skeleton]
    return skeleton


def _key(k: Any) -> Any:
    return tuple(k) if isinstance(k, list) else k
