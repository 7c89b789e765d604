"""`attention`: every attention weight of one forward pass, and one head's steps in full.

Models on the project's blocks (`engine.models`) are recorded through their hook points: the
weights of every attention module, grouped into stacks by kind (encoder self, causal self,
cross), plus — for the chosen layer and head — x, the head's W^Q/W^K/W^V slices, q, k, v, the
scores, scaled scores, mask, softmax weights, head output, the concatenation and W^O. Models
run by `transformers` give their `output_attentions=True` weights (no steps).

A model the probe can record provides `net` (an nn.Module with `MultiHeadAttention` modules),
`encode(text, pair, limit) -> Encoded`, `run(ids, mask, token_type_ids)`, `max_tokens`, and for
causal models `generate(ids, n)` and `display_tokens(ids)`.
"""
from __future__ import annotations

import weakref

import numpy as np
import torch

from engine.errors import InputError, ModelError
from engine.models.hooks import Recording, record
from engine.models.transformer import MultiHeadAttention, attention_modules
from engine.records.attention import CAUSAL_SELF, ENCODER_SELF, AttentionMaps, AttentionStack, AttentionStep
from engine.zoo.spec import LoadedModel

_MODULES: "weakref.WeakKeyDictionary[torch.nn.Module, list]" = weakref.WeakKeyDictionary()

STEP_POINTS = ("x", "kv", "q", "k", "v", "scores", "scaled", "mask", "weights", "head_out", "concat", "out")


def attention(model: LoadedModel, text: str, pair: str | None = None, step: tuple[int, int] | None = None,
              generate: int = 0) -> AttentionMaps:
    """Attention maps of `text` (with `pair` as sentence B for BERT-family models).

    step: (layer, head) of the primary stack to record in full. generate: for causal models,
    greedily generate this many tokens first and return attention over prompt + generated tokens.
    Inputs longer than the model's positions are truncated (`truncated`, `note` say so).
    """
    if "attention" not in model.provides:
        raise ModelError(f"model '{model.name}' gives no attention weights; try minilm or a BERT/GPT-2 folder.")
    if generate < 0:
        raise InputError(f"the number of tokens to generate must be 0 or more, not {generate}.")
    if generate and not getattr(model, "causal", False):
        raise ModelError(f"model '{model.name}' is not a causal language model, so it cannot generate; "
                         "use a GPT-2-format folder (hf:PATH) or leave out --generate.")
    net = getattr(model, "net", None)
    if net is not None and _attention_modules(net):
        return _from_blocks(model, text, pair, step, generate)
    if hasattr(model, "attentions"):
        return _from_transformers(model, text, pair, step, generate)
    raise ModelError(f"model '{model.name}' has no attention modules the probe can read.")


def _from_blocks(model, text, pair, step, generate) -> AttentionMaps:
    limit = None
    if generate:
        limit = model.max_tokens - generate
        if limit < 1:
            raise InputError(f"cannot generate {generate} tokens: the model has only {model.max_tokens} positions.")
    enc = model.encode(text, pair, limit)
    ids, types = enc.input_ids, enc.token_type_ids
    tokens = enc.tokens
    if generate:
        ids, types = model.generate(ids, generate), None
        tokens = model.display_tokens(ids[0])
    modules = _attention_modules(model.net)
    patterns = [f"{name}.hook_weights" for name, _ in modules]
    chosen = _step_module(modules, step) if step is not None else None
    if chosen is not None:
        patterns += [f"{chosen[0]}.hook_{p}" for p in STEP_POINTS]
    with record(model.net, *patterns) as rec, torch.inference_mode():
        model.run(ids, None, types)
    stacks = _stacks(modules, rec, tokens)
    recorded = _step(chosen[0], chosen[1], rec, step) if chosen is not None else None
    note = enc.note
    if generate and enc.truncated:
        note = (f"The prompt has {enc.n_tokens} tokens; only the first {enc.limit} are kept, leaving room for "
                f"{generate} generated tokens within the model's {model.max_tokens} positions.")
    return AttentionMaps(model=model.name, stacks=stacks, segments_q=enc.segments, segments_k=enc.segments,
                         truncated=enc.truncated, note=note, step=recorded,
                         prompt_length=int(enc.input_ids.shape[1]) if generate else None)


def _from_transformers(model, text, pair, step, generate) -> AttentionMaps:
    if generate:
        raise ModelError(f"generation runs on the project's blocks (GPT-2 folders); '{model.model_type}' "
                         "models run through transformers, so leave out --generate.")
    enc = model.encode(text, pair)
    with torch.inference_mode():
        atts = model.attentions(enc.input_ids, enc.token_type_ids)
    weights = _stack_layers([a[0] for a in atts])
    kind = CAUSAL_SELF if model.causal else ENCODER_SELF
    note = enc.note
    if step is not None:
        note = (note + " " if note else "") + (f"The step-by-step view needs a model the project's blocks cover "
                                               f"(BERT family, GPT-2); '{model.model_type}' runs through transformers.")
    stack = AttentionStack(kind=kind, tokens_q=enc.tokens, tokens_k=enc.tokens, weights=weights,
                           layer_names=[f"layer {i}" for i in range(len(atts))])
    return AttentionMaps(model=model.name, stacks=[stack], segments_q=enc.segments, segments_k=enc.segments,
                         truncated=enc.truncated, note=note)


def _attention_modules(net: torch.nn.Module) -> list[tuple[str, MultiHeadAttention]]:
    """attention_modules(net), found once per network (its structure does not change)."""
    if net not in _MODULES:
        _MODULES[net] = attention_modules(net)
    return _MODULES[net]


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


def _stacks(modules: list[tuple[str, MultiHeadAttention]], rec: Recording, tokens: list[str]) -> list[AttentionStack]:
    """Group the recorded weights by block kind, in the order the kinds first appear."""
    by_kind: dict[str, list[str]] = {}
    for name, mod in modules:
        by_kind.setdefault(mod.kind, []).append(name)
    stacks = []
    for kind, names in by_kind.items():
        weights = _stack_layers([rec.get_tensor(f"{n}.hook_weights")[0] for n in names])
        stacks.append(AttentionStack(kind=kind, tokens_q=tokens, tokens_k=tokens, weights=weights,
                                     layer_names=[n.removesuffix(".attn") for n in names]))
    return stacks


def _step_module(modules, step) -> tuple[str, MultiHeadAttention]:
    """The primary stack's attention module of `step = (layer, head)`, with range checks."""
    layer, head = step
    kind = modules[0][1].kind
    primary = [(n, m) for n, m in modules if m.kind == kind]
    if not 0 <= layer < len(primary):
        raise InputError(f"layer {layer} does not exist: this model has {len(primary)} layers (0-{len(primary) - 1}).")
    name, mod = primary[layer]
    if not 0 <= head < mod.n_heads:
        raise InputError(f"head {head} does not exist: this model has {mod.n_heads} heads (0-{mod.n_heads - 1}).")
    return name, mod


def _step(name: str, mod: MultiHeadAttention, rec: Recording, step: tuple[int, int]) -> AttentionStep:
    """One head of one layer, every number as the model computed it."""
    layer, head = step

    def got(point: str) -> torch.Tensor:
        return rec.get_tensor(f"{name}.hook_{point}")[0]

    mask = got("mask")[0].expand(got("scores").shape[-2:])                       # (T, S)
    scaled = got("scaled")[head].masked_fill(~mask, float("-inf"))
    params = {k: v.detach().float().cpu().numpy() for k, v in mod.head_params(head).items()}
    arr = lambda t: t.float().cpu().numpy()                                       # noqa: E731
    return AttentionStep(
        layer=layer, head=head, stack=mod.kind, x=arr(got("x")), **params,
        q=arr(got("q")[head]), k=arr(got("k")[head]), v=arr(got("v")[head]),
        scores=arr(got("scores")[head]), scaled=arr(scaled), mask=mask.cpu().numpy().copy(),
        weights=arr(got("weights")[head]), head_out=arr(got("head_out")[head]), concat=arr(got("concat")),
        out=arr(got("out")), x_kv=arr(got("kv")), scale=float(mod.scale))
