"""`mlsp attention MODEL INPUT`: every attention weight of an input (text, a sentence to translate,
an audio or image file — whatever the model takes), saved as NPZ, one head drawn as a PNG
heatmap, or summarised as JSON.

The NPZ holds `weights` (layers, heads, T, S) float32 of the primary (first) stack, `tokens`
(queries), `tokens_k` (keys), `block_kinds` (one per layer), `truncated`, `note`; for sentence
pairs `segments_q`/`segments_k` (0 = A, 1 = B); after --generate `prompt_length`; `stacks` (the
stack names in order) and every stack by name: `<name>_weights` (L, H, T, S), `<name>_tokens_q`,
`<name>_tokens_k` (e.g. encoder, decoder, cross for a translation model; pooling for attention
pooling); `<sequence>_times` (seconds) for audio frames and `<sequence>_grid` for image patches;
other stacks also under `<kind>_weights` (earlier versions' names); with --layer and --head,
that head's steps under `step_*`.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from engine.cli.common import (
    TEXT_MODELS,
    add_command,
    add_device,
    add_json,
    add_model,
    add_text_input,
    print_json,
    read_probe_input,
)
from engine.contract.capabilities import Capability
from engine.contract.loaded import cannot_message
from engine.errors import ConfigError, InputError, ModelError


def register(subparsers) -> None:
    p = add_command(subparsers, "attention", "attention weights of a text: NPZ, PNG heatmap of one head, or JSON",
                    __doc__, run, description="Run MODEL on INPUT and record every attention weight "
                    "([layers, heads, T, S]). Inputs longer than the model's positions are truncated, with a note.")
    add_model(p, TEXT_MODELS)
    add_text_input(p)
    p.add_argument("--out", metavar="attention.npz", help="save weights, tokens and block kinds as NPZ")
    p.add_argument("--png", metavar="FILE.png", help="draw one head (--layer, --head) as a heatmap PNG")
    p.add_argument("--layer", type=int, default=None, metavar="L",
                   help="layer for --png and the step arrays (default 0; -1 = last)")
    p.add_argument("--head", default=None, metavar="H", help="head for --png and the step arrays (default 0), or 'mean'")
    p.add_argument("--generate", type=int, default=0, metavar="N",
                   help="causal models: greedily generate N tokens, then show attention over prompt + generated")
    add_device(p)
    add_json(p)


def _head_choice(args) -> tuple[int, int | None]:
    """(layer, head) from the options; head None means the mean of all heads."""
    layer = 0 if args.layer is None else args.layer
    if args.head is None:
        return layer, 0
    if str(args.head).strip().lower() == "mean":
        return layer, None
    try:
        return layer, int(args.head)
    except ValueError:
        raise ConfigError(f"--head must be a head number or 'mean', not '{args.head}'.") from None


def _check(layers: int, heads: int, layer: int, head: int | None) -> tuple[int, int | None]:
    """Resolve a negative layer and check both against the primary stack's size."""
    idx = layer + layers if layer < 0 else layer
    if not 0 <= idx < layers:
        raise InputError(f"--layer {layer} does not exist: the model has {layers} layers (0-{layers - 1}).")
    if head is not None and not 0 <= head < heads:
        raise InputError(f"--head {head} does not exist: the model has {heads} heads (0-{heads - 1}).")
    return idx, head


def _primary_size(model) -> tuple[int, int] | None:
    """(layers, heads) of the primary stack of a model on the project's blocks, before any forward pass."""
    from engine.probes.attention import attention_modules_of

    net = getattr(model, "net", None)
    mods = [m for _, m in attention_modules_of(net)] if net is not None else []
    if not mods:
        return None
    primary = [m for m in mods if m.attention_stack == mods[0].attention_stack]
    return len(primary), primary[0].n_heads


def npz_arrays(maps) -> dict[str, np.ndarray]:
    """Everything the NPZ holds, by name (see the module docstring)."""
    arrays = {"weights": maps.weights.astype(np.float32, copy=False), "tokens": np.array(maps.tokens, dtype=str),
              "tokens_k": np.array(maps.tokens_k, dtype=str), "block_kinds": np.array(maps.block_kinds, dtype=str),
              "model": np.array(maps.model), "truncated": np.array(maps.truncated), "note": np.array(maps.note)}
    if maps.segments_q is not None:
        arrays["segments_q"] = np.asarray(maps.segments_q)
        arrays["segments_k"] = np.asarray(maps.segments_k)
    if maps.prompt_length is not None:
        arrays["prompt_length"] = np.array(maps.prompt_length)
    for i, stack in enumerate(maps.stacks[1:], 1):
        prefix = stack.kind.replace("-", "_")
        prefix = prefix if sum(s.kind == stack.kind for s in maps.stacks) == 1 else f"{prefix}{i}"
        arrays[f"{prefix}_weights"] = stack.weights.astype(np.float32, copy=False)
        arrays[f"{prefix}_tokens_q"] = np.array(stack.tokens_q, dtype=str)
        arrays[f"{prefix}_tokens_k"] = np.array(stack.tokens_k, dtype=str)
    arrays["stacks"] = np.array([s.name for s in maps.stacks], dtype=str)
    for stack in maps.stacks:                    # every stack by its name: encoder_weights, cross_tokens_q, ...
        arrays[f"{stack.name}_weights"] = stack.weights.astype(np.float32, copy=False)
        arrays[f"{stack.name}_tokens_q"] = np.array(stack.tokens_q, dtype=str)
        arrays[f"{stack.name}_tokens_k"] = np.array(stack.tokens_k, dtype=str)
    for seq in maps.sequences:
        if seq.times is not None:
            arrays[f"{seq.name}_times"] = np.asarray(seq.times, np.float32)
        if seq.grid is not None:
            arrays[f"{seq.name}_grid"] = np.array(seq.grid)
    if maps.step is not None:
        for name, value in vars(maps.step).items():
            if value is not None:
                arrays[f"step_{name}"] = np.asarray(value)
    return arrays


def _write_npz(path: str, maps) -> Path:
    p = Path(path).expanduser()
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        with open(p, "wb") as f:                 # a handle: numpy would append ".npz" to a bare name
            np.savez(f, **npz_arrays(maps))
    except OSError as exc:
        raise ConfigError(f"cannot write {p}: {exc.strerror or exc}; choose another path.") from None
    return p


def _write_png(path: str, maps, layer: int, head: int | None) -> Path:
    from engine.render.attention_png import render_attention_png

    w = maps.weights[layer]
    w = w.mean(0) if head is None else w[head]
    title = f"{maps.model} · layer {layer} · " + ("mean of heads" if head is None else f"head {head}")
    p = Path(path).expanduser()
    if not p.suffix:
        p = p.with_name(p.name + ".png")             # as matplotlib's savefig does with a bare name
    elif p.suffix.lower() != ".png":
        raise ConfigError(f"--png writes a PNG image, but {p.name} ends in {p.suffix}; give a name ending in .png.")
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot write {p}: {exc.strerror or exc}; choose another path.") from None
    return render_attention_png(w, maps.tokens, maps.tokens_k, p, title=title, generated_from=maps.prompt_length)


def compute(args: argparse.Namespace):
    """Load the model and probe it; returns (maps, layer, head)."""
    from engine.probes.attention import attention
    from engine.zoo import load_model, resolve

    ref = resolve(args.model)
    inp = read_probe_input(args.input, ref, args.pair)
    if not ref.can(Capability.ATTENTION):
        raise ModelError(cannot_message(args.model, Capability.ATTENTION))
    if args.generate and not ref.can(Capability.GENERATE):
        raise ModelError(cannot_message(args.model, Capability.GENERATE))
    layer, head = _head_choice(args)
    model = load_model(ref, args.device)
    size = _primary_size(model)
    step = None
    if size is not None:
        layer, head = _check(*size, layer, head)
        if args.layer is not None and args.head is not None and head is not None:
            step = (layer, head)
    maps = attention(model, inp, step=step, generate=args.generate)
    if size is None:
        layer, head = _check(maps.primary.layers, maps.primary.heads, layer, head)
    return maps, layer, head


def run(args: argparse.Namespace) -> int:
    maps, layer, head = compute(args)
    files = {}
    if args.out:
        files["npz"] = str(_write_npz(args.out, maps))
    if args.png:
        files["png"] = str(_write_png(args.png, maps, layer, head))
    if args.json:
        print_json({"model": maps.model, "tokens": maps.tokens, "tokens_k": maps.tokens_k,
                    "shape": list(maps.weights.shape), "block_kinds": maps.block_kinds,
                    "stacks": [{"name": s.name, "kind": s.kind, "shape": list(s.weights.shape),
                                "sequence_q": s.sequence_q, "sequence_k": s.sequence_k} for s in maps.stacks],
                    "segments": maps.segments_q, "truncated": maps.truncated, "note": maps.note,
                    "prompt_length": maps.prompt_length, "files": files})
        return 0
    L, H, T, S = maps.weights.shape
    kinds = ", ".join(dict.fromkeys(maps.block_kinds))
    print(f"{maps.model}: {T} tokens, {L} layers x {H} heads ({kinds})")
    if maps.note:
        print(f"note: {maps.note}")
    for path in files.values():
        print(f"wrote {path}")
    if not files:
        print("tokens: " + " ".join(maps.tokens))
    return 0
