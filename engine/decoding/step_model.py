"""What decoding needs from a model: next-token logits, one step at a time, with a cache.

    start(prefix)        (B, T) ids -> (B, V) logits of the next token, and a state (the cache)
    step(tokens, state)  (B,) ids, one new token per row -> (B, V) logits, the state
    reorder(state, idx)  keep (and duplicate) rows idx (B',): the beams that survive a search step

`CachedLM` adapts any network with `forward(ids, cache=...) -> logits` and `new_cache()` (GPT-2,
gpt-mini, a translation decoder bound to its source); `Recompute` adapts a plain function of the
whole sequence (no cache: every step recomputes the prefix — a reference for tests, and the
fallback for models without a cache).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

import torch


@runtime_checkable
class StepModel(Protocol):
    def start(self, prefix: torch.Tensor) -> tuple[torch.Tensor, Any]:
        ...

    def step(self, tokens: torch.Tensor, state: Any) -> tuple[torch.Tensor, Any]:
        ...

    def reorder(self, state: Any, index: torch.Tensor) -> Any:
        ...


class CachedLM:
    """A network with a key/value cache. `forward(ids (B, T), cache) -> logits (B, T, V)` must
    append the T positions to `cache`; `new_cache()` makes an empty one."""

    def __init__(self, forward: Callable[[torch.Tensor, Any], torch.Tensor], new_cache: Callable[[], Any]) -> None:
        self._forward, self._new_cache = forward, new_cache

    def start(self, prefix: torch.Tensor) -> tuple[torch.Tensor, Any]:
        cache = self._new_cache()
        return self._forward(prefix, cache)[:, -1], cache

    def step(self, tokens: torch.Tensor, state: Any) -> tuple[torch.Tensor, Any]:
        return self._forward(tokens[:, None], state)[:, -1], state

    def reorder(self, state: Any, index: torch.Tensor) -> Any:
        state.reorder(index)
        return state


class Recompute:
    """A function of the whole sequence, `logits_of(ids (B, T)) -> (B, T, V)`; the state is the ids so far."""

    def __init__(self, logits_of: Callable[[torch.Tensor], torch.Tensor]) -> None:
        self._logits_of = logits_of

    def start(self, prefix: torch.Tensor) -> tuple[torch.Tensor, Any]:
        return self._logits_of(prefix)[:, -1], prefix

    def step(self, tokens: torch.Tensor, state: Any) -> tuple[torch.Tensor, Any]:
        ids = torch.cat([state, tokens[:, None]], dim=1)
        return self._logits_of(ids)[:, -1], ids

    def reorder(self, state: Any, index: torch.Tensor) -> Any:
        return state.index_select(0, index)
