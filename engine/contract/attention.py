"""Attention from any module: what an attention-producing module states about itself, and what a
model hands the attention probe for one input.

An attention module (multi-head attention, an LSTM's additive or dot attention over encoder
states, an attention-pooling layer) is any `nn.Module` with these attributes:

    attention_stack: str     the stack its weights join ("encoder", "decoder", "cross", "pooling")
    attention_kind: str      ENCODER_SELF | CAUSAL_SELF | CROSS | POOLING (engine.records.attention)
    query_sequence: str      the sequence its queries index ("tokens", "source", "target", "frames", ...)
    key_sequence: str        the sequence its keys index
    n_heads: int
    hook_weights             a HookPoint (engine.models.hooks) that sees the weights (B, H, T, S),
                             rows summing to 1; called once per pass, or once per decoder step
                             with T = 1 (the probe stacks the calls along T)

A model with the ATTENTION capability implements `attention_pass(inp, generate=0) -> AttentionPass`:
the network to record, a function running one forward pass, and the labels of every sequence the
modules index. The probe records every module's weights, groups them into stacks (layers in
definition order), and labels each stack query x key from the sequences its modules name — so a
cross-attention map is target x source and an attention-pooling map is 1 x frames.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from engine.records.attention import SequenceInfo


@runtime_checkable
class AttentionModule(Protocol):
    attention_stack: str
    attention_kind: str
    query_sequence: str
    key_sequence: str
    n_heads: int
    hook_weights: Any


def is_attention_module(module: Any) -> bool:
    """True for a module that states its attention roles and has a weights hook point."""
    return all(hasattr(module, a) for a in ("attention_stack", "attention_kind", "query_sequence",
                                            "key_sequence", "n_heads", "hook_weights"))


@dataclass
class AttentionPass:
    """One prepared forward pass of a model, for the attention probe.

    net: the nn.Module whose attention modules are recorded, or None when the model gives its
    weights itself (`run` then returns [(stack name, kind, query sequence, key sequence,
    (L, H, T, S) tensor), ...]: HuggingFace models run through `transformers`)."""

    net: Any
    run: Callable[[], Any]
    sequences: dict[str, SequenceInfo]
    truncated: bool = False
    note: str = ""
    prompt_length: int | None = None       # causal generation: query labels after this were generated
    extra: dict = field(default_factory=dict)
