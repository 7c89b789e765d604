"""`attention`: every attention weight of one forward pass, and one head's steps in full.

Any model with the ATTENTION capability prepares a pass (`attention_pass`, see
`engine.contract.attention`): the network, a function running it, and the labels of every
sequence. The probe records the weights of every attention module in the network — multi-head
attention, an LSTM's attention over encoder states, attention pooling — through their hook
points, groups them into stacks by the name each module states ("encoder", "decoder", "cross",
"pooling"), and labels each stack query x key from the sequences the module indexes. For the
chosen (stack, layer, head) of a multi-head module it also records x, the head's W^Q/W^K/W^V
slices, q, k, v, the scores, scaled scores, mask, softmax weights, head output, the
concatenation and W^O (`attention_step.py`). Models run by `transformers` give their weights
directly (no steps).
"""
from __future__ import annotations

import numpy as np
import torch

from engine.contract.attention import AttentionPass, is_attention_module
from engine.contract.capabilities import Capability, InputKind
from engine.errors import InputError, ModelError
from engine.models.hooks import Recording, record
from engine.probes.attention_step import STEP_POINTS, read_step, step_module
from engine.records.attention import AttentionMaps, AttentionStack
from engine.records.inputs import ProbeInput, as_probe_input

Step = tuple[int, int] | tuple[str, int, int]      # (layer, head) of the first stack, or (stack, layer, head)


def attention(model, inp: ProbeInput | str, pair: str | None = None, step: Step | None = None,
              generate: int = 0) -> AttentionMaps:
    """Attention maps of `inp` (text, a text pair, a sentence to translate, audio or an image).

    pair: sentence B with text (BERT-family models). step: the (layer, head) of the first stack —
    or (stack name, layer, head) — to record in full. generate: for models that can generate,
    greedily generate this many tokens first and show attention over prompt + generated tokens.
    Inputs longer than the model's positions are truncated (`truncated`, `note` say so)."""
    model.require(Capability.ATTENTION)
    inp = as_probe_input(inp, pair)
    if InputKind(inp.kind) not in model.ref.inputs:
        takes = ", ".join(k.value for k in model.ref.inputs)
        raise ModelError(f"model '{model.name}' takes {takes} input, not {inp.kind}; choose an input of that kind "
                         "or another model.")
    if generate < 0:
        raise InputError(f"the number of tokens to generate must be 0 or more, not {generate}.")
    if generate:
        model.require(Capability.GENERATE)
    prepared: AttentionPass = model.attention_pass(inp, generate=generate)
    if prepared.net is None:
        return _direct(model, prepared, step)
    return _recorded(model, prepared, step)


def _recorded(model, prepared: AttentionPass, step: Step | None) -> AttentionMaps:
    modules = attention_modules_of(prepared.net)
    if not modules:
        raise ModelError(f"model '{model.name}' has no attention modules the probe can read.")
    patterns = [f"{name}.hook_weights" for name, _ in modules]
    chosen = step_module(modules, step) if step is not None else None
    if chosen is not None:
        patterns += [f"{chosen.name}.hook_{p}" for p in STEP_POINTS]
    with record(prepared.net, *patterns) as rec, torch.inference_mode():
        prepared.run()
    stacks = _stacks(modules, rec, prepared)
    recorded = read_step(chosen, rec) if chosen is not None else None
    return _maps(model, prepared, stacks, recorded)


def _direct(model, prepared: AttentionPass, step: Step | None) -> AttentionMaps:
    """Weights the model computed itself: [(name, kind, query seq, key seq, (L, H, T, S)), ...]."""
    with torch.inference_mode():
        given = prepared.run()
    stacks = []
    for name, kind, seq_q, seq_k, weights in given:
        q, k = prepared.sequences[seq_q], prepared.sequences[seq_k]
        stacks.append(AttentionStack(kind=kind, tokens_q=q.labels, tokens_k=k.labels, weights=_numpy(weights),
                                     layer_names=[f"layer {i}" for i in range(int(weights.shape[0]))],
                                     name=name, sequence_q=seq_q, sequence_k=seq_k))
    if step is not None:
        extra = prepared.extra.get("no_steps", "The step-by-step view needs a model the project's blocks cover.")
        prepared.note = (prepared.note + " " if prepared.note else "") + extra
    return _maps(model, prepared, stacks, None)


def _maps(model, prepared: AttentionPass, stacks: list[AttentionStack], step) -> AttentionMaps:
    first = stacks[0]
    seq_q, seq_k = prepared.sequences[first.sequence_q], prepared.sequences[first.sequence_k]
    return AttentionMaps(model=model.name, stacks=stacks, segments_q=seq_q.segments, segments_k=seq_k.segments,
                         truncated=prepared.truncated, note=prepared.note, step=step,
                         prompt_length=prepared.prompt_length, sequences=tuple(prepared.sequences.values()))


_FOUND: dict[int, tuple] = {}


def attention_modules_of(net: torch.nn.Module) -> list[tuple[str, torch.nn.Module]]:
    """Every attention module of `net` (anything stating its roles, see engine.contract.attention),
    with its name, in definition order; found once per network."""
    key = id(net)
    cached = _FOUND.get(key)
    if cached is None or cached[0]() is not net:
        import weakref

        found = [(n, m) for n, m in net.named_modules() if is_attention_module(m)]
        cached = _FOUND[key] = (weakref.ref(net), found)
    return cached[1]


def _numpy(t) -> np.ndarray:
    return t.detach().float().cpu().numpy().astype(np.float32, copy=False) if isinstance(t, torch.Tensor) \
        else np.asarray(t, np.float32)


def _weights_of(rec: Recording, name: str) -> torch.Tensor:
    """(H, T, S) of one module: its one call, or its per-step calls stacked along T."""
    calls = rec.get_all(f"{name}.hook_weights")
    if len(calls) == 1:
        return calls[0][0]
    shapes = {tuple(c.shape[-1:]) for c in calls}
    if len(shapes) != 1:
        raise ModelError(f"attention module {name} was called {len(calls)} times with different key lengths; "
                         "record it on a teacher-forced pass.")
    return torch.cat([c[0] for c in calls], dim=-2)


def _stacks(modules, rec: Recording, prepared: AttentionPass) -> list[AttentionStack]:
    """Group the recorded weights by stack name, in the order the stacks first appear."""
    by_stack: dict[str, list[tuple[str, torch.nn.Module]]] = {}
    for name, mod in modules:
        if f"{name}.hook_weights" in rec:
            by_stack.setdefault(mod.attention_stack, []).append((name, mod))
    stacks = []
    for stack_name, members in by_stack.items():
        first = members[0][1]
        q, k = prepared.sequences[first.query_sequence], prepared.sequences[first.key_sequence]
        weights = _stack_layers([_weights_of(rec, n) for n, _ in members])
        stacks.append(AttentionStack(kind=first.attention_kind, tokens_q=q.labels, tokens_k=k.labels, weights=weights,
                                     layer_names=[n.removesuffix(".attn") for n, _ in members], name=stack_name,
                                     sequence_q=first.query_sequence, sequence_k=first.key_sequence))
    return stacks


def _stack_layers(tensors: list[torch.Tensor]) -> np.ndarray:
    """L tensors (H, T, S) -> one float32 array (L, H, T, S), copied once into numpy's memory
    (from a GPU: stacked there first, so that one transfer brings everything back)."""
    out = np.empty((len(tensors), *tensors[0].shape), np.float32)
    view = torch.from_numpy(out)
    if tensors[0].device.type != "cpu":
        view.copy_(torch.stack(tensors))
        return out
    for i, t in enumerate(tensors):
        view[i].copy_(t)
    return out
