"""One head of one multi-head attention module, step by step, with the model's own numbers:
x, the head's W^Q/W^K/W^V slices, q, k, v, q·k, the scaled and masked scores, the softmax,
the weighted values, the concatenation of all heads and W^O. For a cross-attention head the
queries come from the decoder (x) and the keys and values from the encoder (x_kv)."""
from __future__ import annotations

from dataclasses import dataclass

import torch

from engine.errors import InputError
from engine.models.hooks import Recording
from engine.records.attention import AttentionStep

STEP_POINTS = ("x", "kv", "q", "k", "v", "scores", "scaled", "mask", "weights", "head_out", "concat", "out")


@dataclass(frozen=True)
class ChosenHead:
    name: str                 # the module's name in the network
    module: torch.nn.Module
    layer: int
    head: int


def step_module(modules, step) -> ChosenHead:
    """The module of `step` = (layer, head) in the first stack, or (stack name, layer, head);
    InputError when the layer or head does not exist or the stack has no steps to show."""
    if len(step) == 3:
        stack, layer, head = step
    else:
        stack, (layer, head) = modules[0][1].attention_stack, step
    members = [(n, m) for n, m in modules if m.attention_stack == stack]
    if not members:
        names = sorted({m.attention_stack for _, m in modules})
        raise InputError(f"there is no attention stack '{stack}'; this model has {', '.join(names)}.")
    if not 0 <= layer < len(members):
        raise InputError(f"layer {layer} does not exist: this model has {len(members)} layers (0-{len(members) - 1}).")
    name, mod = members[layer]
    if not 0 <= head < mod.n_heads:
        raise InputError(f"head {head} does not exist: this model has {mod.n_heads} heads (0-{mod.n_heads - 1}).")
    if not hasattr(mod, "head_params"):
        raise InputError(f"the '{stack}' attention of this model is not multi-head attention, so it has no "
                         "query/key/value steps to show; its weights are in the heatmap.")
    return ChosenHead(name, mod, layer, head)


def read_step(chosen: ChosenHead, rec: Recording) -> AttentionStep:
    """One head of one layer, every number as the model computed it."""
    name, mod, head = chosen.name, chosen.module, chosen.head

    def got(point: str) -> torch.Tensor:
        return rec.get_tensor(f"{name}.hook_{point}")[0]

    mask = got("mask")[0].expand(got("scores").shape[-2:])                       # (T, S)
    scaled = got("scaled")[head].masked_fill(~mask, float("-inf"))
    params = {k: v.detach().float().cpu().numpy() for k, v in mod.head_params(head).items()}

    def arr(t: torch.Tensor):
        return t.float().cpu().numpy()

    return AttentionStep(
        layer=chosen.layer, head=head, stack=mod.attention_kind, x=arr(got("x")), **params,
        q=arr(got("q")[head]), k=arr(got("k")[head]), v=arr(got("v")[head]),
        scores=arr(got("scores")[head]), scaled=arr(scaled), mask=mask.cpu().numpy().copy(),
        weights=arr(got("weights")[head]), head_out=arr(got("head_out")[head]), concat=arr(got("concat")),
        out=arr(got("out")), x_kv=arr(got("kv")), scale=float(mod.scale))
