"""Probes of the language models: fill-mask, generation and the next-token distribution.

    fill_mask(model, text, top_k, positions)        -> FillMask        (FILL_MASK)
    generate(model, prompt, max_new_tokens, ...)    -> Generation      (GENERATE, shared decoders)
    next_token(model, ids, temperature, top_k, top_p) -> NextToken     (GENERATE: the Next-token view's bars)
    prompt_ids(model, prompt, room)                 -> PromptIds       a prompt's ids, cut to the context

A prompt longer than the context keeps its last tokens (the ones the next token follows) and says
so; a prompt of characters the model never saw, or a [MASK] typed into a causal model, is refused
with a sentence saying what to do instead.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from engine.contract.capabilities import Capability
from engine.errors import InputError
from engine.records.decoding import NextTokenDistribution
from engine.records.language_model import FillMask, Generation

GREEDY_NOTE = "greedy decoding: temperature 0 or top-p 0 always picks the most likely token"


def fill_mask(model, text: str, top_k: int = 5, positions=()) -> FillMask:
    model.require(Capability.FILL_MASK)
    if not text or not text.strip():
        raise InputError("the text is empty; type a sentence with [MASK] where a word should be predicted.")
    return model.fill_mask(text, top_k, positions)


@dataclass(frozen=True)
class PromptIds:
    """A prompt's token ids (B = 1 list), its shown tokens, and a note when it was cut."""

    ids: list[int]
    tokens: list[str]
    note: str = ""


def prompt_ids(model, prompt: str, room: int = 1) -> PromptIds:
    """The prompt's ids, keeping the last (context - room) tokens; an empty prompt starts from the
    end-of-text token (the model then writes a sentence from nothing)."""
    model.require(Capability.GENERATE)
    if "[MASK]" in prompt and not model.can(Capability.FILL_MASK):
        raise InputError(f"'{model.name}' is a causal (left-to-right) model: it continues a prompt and cannot fill in "
                         "[MASK]; remove [MASK], or use `mlsp fill-mask` with a masked model such as bert-mini.")
    tok = model.tokenizer
    limit = model.max_tokens - room
    if limit < 1:
        raise InputError(f"cannot generate {room} tokens: '{model.name}' has only {model.max_tokens} positions.")
    ids = list(tok(prompt, add_special_tokens=False)["input_ids"]) if prompt.strip() else []
    unk = tok.unk_token_id
    if ids and unk is not None and all(i == unk for i in ids):
        raise InputError(f"every character of the prompt is unknown to '{model.name}' (its tokenizer learnt only the "
                         "characters of its training text); type words of that text instead.")
    note = ""
    if not ids:
        if tok.eos_token_id is None:
            raise InputError("the prompt is empty; type a few words to continue.")
        ids = [int(tok.eos_token_id)]
    if len(ids) > limit:
        note = (f"The prompt has {len(ids)} tokens; only its last {limit} are kept so that it and the new tokens fit "
                f"in the model's {model.max_tokens} positions.")
        ids = ids[-limit:]
    return PromptIds(ids=[int(i) for i in ids], tokens=model.display_tokens(ids), note=note)


def generate(model, prompt: str, max_new_tokens: int = 20, temperature: float = 1.0, top_k: int = 0,
             top_p: float = 1.0, seed: int | None = None, stop_at_end: bool = True) -> Generation:
    """Continue `prompt` with the shared sampler (seeded: the same seed gives the same text)."""
    from engine.decoding import sample
    from engine.decoding.filtering import check_settings, is_greedy

    check_settings(temperature, top_k, top_p)
    if max_new_tokens < 1:
        raise InputError(f"--max-new-tokens must be 1 or more, not {max_new_tokens}.")
    room = min(max_new_tokens, model.max_tokens - 1)
    p = prompt_ids(model, prompt, room)
    note = p.note
    if room < max_new_tokens:
        note = (note + " " if note else "") + f"Only {room} new tokens fit in the model's {model.max_tokens} positions."
    eos = model.tokenizer.eos_token_id if stop_at_end else None
    hyp = sample(model.step_model(), torch.tensor([p.ids], device=model.device), room, temperature, top_k, top_p,
                 seed=seed, eos=eos)
    new = [i for i in hyp.ids if i != eos]
    start = p.ids[1:] if p.ids[:1] == [model.tokenizer.eos_token_id] else p.ids
    text = model.tokenizer.decode(start + new, skip_special_tokens=True)
    greedy = is_greedy(temperature, top_p)
    if greedy:
        note = (note + " " if note else "") + GREEDY_NOTE[:1].upper() + GREEDY_NOTE[1:] + "."
    return Generation(model=model.name, prompt=prompt, text=text, tokens=tuple(model.display_tokens(hyp.ids)),
                      ids=tuple(int(i) for i in hyp.ids), token_probs=tuple(float(x) for x in hyp.token_probs),
                      prompt_tokens=tuple(p.tokens), greedy=greedy, note=note.strip())


@torch.inference_mode()
def next_token(model, ids: list[int], temperature: float = 1.0, top_k: int = 0,
               top_p: float = 1.0) -> NextTokenDistribution:
    """The distribution of the token after `ids` (the last context's worth), filtered as sampling would."""
    from engine.decoding import next_token_distribution

    model.require(Capability.GENERATE)
    ids = list(ids)[-model.max_tokens:]
    logits, _ = model.step_model().start(torch.tensor([ids], device=model.device))
    return next_token_distribution(logits[0], temperature, top_k, top_p)


def token_strings(model, n: int) -> list[str]:
    """The shown string of every token id 0..n-1 (for bars)."""
    return model.display_tokens(np.arange(n))


def next_token_step(model, ids: list[int], n_top: int = 20, note: str = ""):
    """The Next-token view's record for the sequence `ids` (cut to the context's last tokens)."""
    from engine.errors import MlspError
    from engine.probes.attention import attention
    from engine.records.inputs import as_probe_input
    from engine.records.language_model import NextTokenStep

    ids = [int(i) for i in ids][-model.max_tokens:]
    dist = next_token(model, ids)
    raw = dist.raw
    top = [int(i) for i in np.argsort(-raw, kind="stable")[:n_top]]
    rows, heads = None, ()
    text = model.tokenizer.decode(ids, skip_special_tokens=True)
    if text.strip():
        try:
            stack = attention(model, as_probe_input(text)).stacks[0]
            rows = stack.weights[:, :, -1, :].reshape(-1, stack.weights.shape[-1]).astype(np.float32)
            heads = tuple(f"L{layer} H{head}" for layer in range(stack.layers) for head in range(stack.heads))
        except MlspError as exc:
            note = (note + " " if note else "") + f"No attention: {exc}"
    return NextTokenStep(ids=tuple(ids), tokens=tuple(model.display_tokens(ids)), raw=raw, top_ids=tuple(top),
                         top_labels=tuple(model.display_tokens(top)), attention=rows, head_labels=heads, note=note)
