"""Named hook points and a recording context manager (TransformerLens `hook_points.py`,
vit-pytorch `recorder.py` style).

A model places `HookPoint`s (identity modules) on the tensors worth seeing; its module names
name them (`encoder.blocks.3.attn.hook_weights`). `record(model, pattern, ...)` attaches forward
hooks to the matching points for the length of a `with` block and always removes them, even when
the forward pass raises. Nothing is threaded through `forward`: a module asks its own hook points
whether anyone listens (`HookPoint.active`) and, when none does, takes its fast path.

Thread safety: one network may be shared by several probes running on worker threads. A
recording holds the network's lock (`net_lock`) for the whole `with` block, so recorded forward
passes on one network never interleave, and each hook saves only what its own thread computes.
A module called several times in one pass (a recurrent decoder's attention, once per step) keeps
every call: `Recording.get_all(name)`.
"""
from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from fnmatch import fnmatchcase

import torch
from torch import nn


class HookPoint(nn.Module):
    """Identity on one named tensor; forward hooks registered on it see (and may keep) the tensor."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x

    @property
    def active(self) -> bool:
        """True while some hook (a recording) listens to this point."""
        return bool(self._forward_hooks)


def hook_points(model: nn.Module) -> dict[str, HookPoint]:
    """Every hook point of `model`, by its module name, in definition order."""
    return {name: m for name, m in model.named_modules() if isinstance(m, HookPoint)}


_LOCKS: weakref.WeakKeyDictionary[nn.Module, threading.RLock] = weakref.WeakKeyDictionary()
_LOCKS_GUARD = threading.Lock()


def net_lock(net: nn.Module) -> threading.RLock:
    """The one re-entrant lock of `net`: held by every recording on it (and by any forward pass
    that must not overlap one)."""
    with _LOCKS_GUARD:
        lock = _LOCKS.get(net)
        if lock is None:
            lock = _LOCKS[net] = threading.RLock()
        return lock


class Recording(dict):
    """name -> the tensor the hook point saw last in the recorded forward pass (detached);
    `calls[name]` keeps every call's tensor, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: dict[str, list[torch.Tensor]] = {}

    def get_tensor(self, name: str) -> torch.Tensor:
        try:
            return self[name]
        except KeyError:
            raise KeyError(f"hook point '{name}' was not reached in the recorded forward pass") from None

    def get_all(self, name: str) -> list[torch.Tensor]:
        """Every tensor the point saw, one per call (a module run once per decoder step)."""
        self.get_tensor(name)
        return list(self.calls[name])


@contextmanager
def record(model: nn.Module, *patterns: str) -> Iterator[Recording]:
    """Record the tensors at every hook point whose name matches one of the glob `patterns`.

    >>> with record(net, "encoder.blocks.*.attn.hook_weights") as rec:
    ...     net(ids)
    >>> rec["encoder.blocks.0.attn.hook_weights"].shape   # (B, H, T, S)

    Exact names (no `*?[`) are looked up directly, without scanning the whole model.
    Raises KeyError when no hook point matches (a typo would otherwise record nothing).
    """
    points = _matching(model, patterns)
    if not points:
        raise KeyError(f"no hook point matches {list(patterns)}; "
                       f"the model has e.g. {list(hook_points(model))[:4]}")
    rec = Recording()
    handles = []
    with net_lock(model):
        try:
            for name, hp in points.items():
                handles.append(hp.register_forward_hook(_saver(rec, name, threading.get_ident())))
            yield rec
        finally:
            for handle in handles:
                handle.remove()


def _matching(model: nn.Module, patterns: tuple[str, ...]) -> dict[str, HookPoint]:
    exact = [p for p in patterns if not any(ch in p for ch in "*?[")]
    globs = [p for p in patterns if p not in exact]
    points: dict[str, HookPoint] = {}
    for name in exact:
        module = _submodule(model, name)
        if isinstance(module, HookPoint):
            points[name] = module
    if globs:
        points.update({name: hp for name, hp in hook_points(model).items()
                       if any(fnmatchcase(name, p) for p in globs)})
    return points


def _submodule(model: nn.Module, name: str) -> nn.Module | None:
    """model.get_submodule(name) without its checks (this runs on every recorded forward pass)."""
    module = model
    for part in name.split("."):
        module = module._modules.get(part)
        if module is None:
            return None
    return module


def _saver(rec: Recording, name: str, thread: int):
    def save(_module: nn.Module, _inputs, output: torch.Tensor) -> None:
        if threading.get_ident() != thread:
            return                                 # another thread's pass: not this recording's
        rec[name] = output.detach()
        rec.calls.setdefault(name, []).append(rec[name])
    return save
