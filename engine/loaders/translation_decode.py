"""Translating with a trained encoder-decoder (`seq2seq` or `nmt-transformer`): the pieces the
loader, the task's evaluation and the benchmark share.

Any net with `new_cache(src, keep)` and `decode(tgt_in, cache) -> logits` (both models) is
driven by the shared decoders (`engine.decoding`): `beam_search` for one sentence (every beam
returned), `greedy_batch` for many. A beam's cross-attention at every step comes from a
teacher-forced pass over the beams it returned (exactly the weights seen while decoding: the
decoder is causal), recorded through the attention modules' hook points.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from engine.data.nmt_tokenizers import BOS, EOS, MAX_WORDS, PAD, UNK, NMTTokenizers
from engine.errors import InputError


@dataclass
class Encoded:
    """A batch of source sentences: ids (B, S) with </s>, keep (B, S) bool, tokens of each."""

    ids: torch.Tensor
    keep: torch.Tensor
    tokens: list[list[str]]


def check_sentence(text: str, max_tokens: int) -> str:
    """The sentence stripped; InputError for an empty one or one over the limits."""
    text = " ".join(str(text).split())
    if not text:
        raise InputError("the sentence to translate is empty; type an English sentence.")
    words = len(text.split())
    if words > MAX_WORDS:
        raise InputError(f"the sentence has {words} words; translate at most {MAX_WORDS} words at a time "
                         "(split it into sentences).")
    return text


def specials(toks) -> tuple[int, int, int]:
    """(pad, start, end) ids of a model's tokenisers: the built-in fixed ids, or a folder's own."""
    return getattr(toks, "pad_id", PAD), getattr(toks, "bos_id", BOS), getattr(toks, "eos_id", EOS)


def encode_sources(toks: NMTTokenizers, texts: Sequence[str], device, max_tokens: int) -> Encoded:
    """Tokenise and pad source sentences (each ends with </s>)."""
    pad, _, eos = specials(toks)
    rows, labels = [], []
    for text in texts:
        ids, tokens = toks.encode_source(text)
        if len(ids) + 1 > max_tokens:
            raise InputError(f"the sentence has {len(ids)} tokens; this model reads at most {max_tokens - 1}.")
        rows.append(ids + [eos])
        labels.append(tokens + ["</s>"])
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), pad, dtype=torch.long)
    keep = torch.zeros((len(rows), width), dtype=torch.bool)
    for i, r in enumerate(rows):
        ids[i, :len(r)] = torch.tensor(r)
        keep[i, :len(r)] = True
    return Encoded(ids.to(device), keep.to(device), labels)


def max_new_for(n_source_tokens: int) -> int:
    """Default output length limit: twice the source plus 10 tokens."""
    return 2 * n_source_tokens + 10


def step_model(net, src: torch.Tensor, keep: torch.Tensor, never: tuple[int, ...] = (PAD, BOS)):
    """A StepModel of `net`'s decoder bound to the source rows (src, keep); the `never` ids (padding,
    the start token) are never emitted."""
    from engine.decoding import CachedLM

    banned = sorted(set(never))

    def forward(ids: torch.Tensor, cache) -> torch.Tensor:
        logits = net.decode(ids, cache)
        logits[..., banned] = float("-inf")
        return logits

    return CachedLM(forward, lambda: net.new_cache(src, keep))


@torch.inference_mode()
def greedy_translate(net, toks: NMTTokenizers, sources: Sequence[str], device, max_tokens: int,
                     batch_size: int = 128) -> list[str]:
    """Greedy translations of many sentences, in batches."""
    from engine.decoding.batched import greedy_batch

    pad, bos, eos = specials(toks)
    out: list[str] = []
    for i in range(0, len(sources), batch_size):
        enc = encode_sources(toks, sources[i:i + batch_size], device, max_tokens)
        starts = torch.full((enc.ids.shape[0], 1), bos, dtype=torch.long, device=device)
        limits = [max_new_for(int(k.sum())) for k in enc.keep]
        for ids in greedy_batch(step_model(net, enc.ids, enc.keep, (pad, bos)), starts, limits, eos):
            out.append(toks.decode_target(ids))
    return out


@torch.inference_mode()
def forced_cross_attention(net, src: torch.Tensor, keep: torch.Tensor, outputs: list[list[int]],
                           pad: int = PAD, bos: int = BOS) -> list[np.ndarray]:
    """Cross-attention (L, H, T, S) of each output (T tokens, </s> included) on a teacher-forced pass."""
    from engine.models.hooks import record
    from engine.probes.attention import attention_modules_of

    cross = [n for n, m in attention_modules_of(net) if m.attention_stack == "cross"]
    if not cross or not outputs:
        return [np.zeros((0, 0, len(o), int(keep.sum())), np.float32) for o in outputs]
    width = max(len(o) for o in outputs)
    tgt_in = torch.full((len(outputs), width), pad, dtype=torch.long, device=src.device)
    for i, o in enumerate(outputs):
        tgt_in[i, :len(o)] = torch.tensor([bos] + o[:-1] if o else [bos])[:len(o)]
    b = len(outputs)
    with record(net, *[f"{n}.hook_weights" for n in cross]) as rec:
        net(src.expand(b, -1), keep.expand(b, -1), tgt_in)
    layers = []
    for n in cross:
        calls = rec.get_all(f"{n}.hook_weights")                      # per call (B, H, T|1, S)
        layers.append(torch.cat(calls, dim=2) if len(calls) > 1 else calls[0])
    stacked = torch.stack(layers, 1).float().cpu().numpy()             # (B, L, H, T, S)
    s = int(keep.sum())
    return [stacked[i, :, :, :len(o), :s] for i, o in enumerate(outputs)]


def unknown_note(tokens: list[str]) -> str:
    """A note naming the source words the vocabulary does not know (they read as <unk>)."""
    n = sum(t == "<unk>" for t in tokens)
    if not n:
        return ""
    return f"{n} source word{'s' if n > 1 else ''} not in the model's vocabulary (shown as <unk>)."


__all__ = ["BOS", "EOS", "PAD", "UNK", "Encoded", "MAX_WORDS", "check_sentence", "encode_sources",
           "forced_cross_attention", "greedy_translate", "max_new_for", "specials", "step_model", "unknown_note"]
