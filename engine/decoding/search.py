"""Greedy decoding, sampling and beam search over any `StepModel` (see step_model.py).

All three take a prefix (B = 1: the prompt, or a decoder's start token) and return
`Hypothesis` records holding only the new tokens, each with the probability the model gave it.
Beam search runs its beams as one batch (the state is reordered as beams survive).
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from engine.decoding.filtering import filtered_probs, is_greedy
from engine.decoding.step_model import StepModel
from engine.errors import InputError
from engine.records.decoding import Hypothesis


def _prefix(prefix: torch.Tensor | Sequence[int], device=None) -> torch.Tensor:
    ids = prefix if isinstance(prefix, torch.Tensor) else torch.tensor([list(prefix)], dtype=torch.long)
    ids = ids if ids.dim() == 2 else ids[None]
    if ids.shape[0] != 1 or ids.shape[1] == 0:
        raise InputError("decoding needs one non-empty prefix (a prompt or a start token).")
    return ids.to(device) if device is not None else ids


def _check_length(max_new: int) -> None:
    if max_new < 0:
        raise InputError(f"the number of tokens to generate must be 0 or more, not {max_new}.")


@torch.inference_mode()
def greedy(lm: StepModel, prefix, max_new: int, eos: int | None = None) -> Hypothesis:
    """Append the most likely token `max_new` times (or until `eos`)."""
    return sample(lm, prefix, max_new, temperature=0.0, eos=eos)


@torch.inference_mode()
def sample(lm: StepModel, prefix, max_new: int, temperature: float = 1.0, top_k: int = 0, top_p: float = 1.0,
           seed: int | None = None, eos: int | None = None) -> Hypothesis:
    """Draw each token from the filtered distribution (temperature, top-k, top-p); the same seed
    gives the same tokens. Temperature 0 or top-p 0 is greedy. token_probs are the probabilities
    in the distribution the token was drawn from."""
    _check_length(max_new)
    ids = _prefix(prefix)
    gen = torch.Generator().manual_seed(int(seed)) if seed is not None else None
    out, probs_out, logprob = [], [], 0.0
    if max_new == 0:
        return Hypothesis((), (), 0.0, 0.0, False)
    logits, state = lm.start(ids)
    for i in range(max_new):
        probs = filtered_probs(logits[0].float().cpu(), temperature, top_k, top_p)
        if is_greedy(temperature, top_p):
            tok = int(logits[0].argmax())
        else:
            tok = int(torch.multinomial(probs, 1, generator=gen))
        p = float(probs[tok]) if not is_greedy(temperature, top_p) else float(torch.softmax(logits[0].float(), -1)[tok])
        out.append(tok)
        probs_out.append(p)
        logprob += math.log(max(p, 1e-45))
        if tok == eos or i == max_new - 1:
            break
        logits, state = lm.step(torch.tensor([tok], device=logits.device), state)
    finished = eos is not None and out[-1] == eos
    return Hypothesis(tuple(out), tuple(probs_out), logprob, logprob / max(len(out), 1), finished)


@torch.inference_mode()
def beam_search(lm: StepModel, prefix, beam_size: int, max_new: int, length_penalty: float = 1.0,
                eos: int | None = None) -> list[Hypothesis]:
    """Keep the `beam_size` best partial outputs at every step; return every finished beam (and the
    live ones at `max_new`), best first by log-probability / length ** length_penalty."""
    if beam_size < 1:
        raise InputError(f"the beam size must be at least 1, not {beam_size}.")
    _check_length(max_new)
    if max_new == 0:
        return [Hypothesis((), (), 0.0, 0.0, False)]
    logits, state = lm.start(_prefix(prefix))                     # (1, V): one beam to begin with
    device = logits.device
    beams = [_Beam((), (), 0.0)]
    finished: list[Hypothesis] = []
    for step in range(max_new):
        logp = torch.log_softmax(logits.float(), dim=-1)           # (K, V)
        total = (torch.tensor([b.logprob for b in beams], device=device)[:, None] + logp).reshape(-1)
        top = torch.topk(total, min(2 * beam_size, total.numel()))
        alive: list[tuple[int, _Beam]] = []
        for value, flat in zip(top.values.tolist(), top.indices.tolist()):
            row, tok = divmod(flat, logp.shape[-1])
            beam = beams[row].extend(tok, float(logp[row, tok]), value)
            if tok == eos:
                finished.append(beam.hypothesis(length_penalty, finished=True))
            else:
                alive.append((row, beam))
            if len(alive) == beam_size:
                break
        beams = [b for _, b in alive]
        if not beams or step == max_new - 1:
            break
        best_done = max((h.score for h in finished), default=float("-inf"))
        if len(finished) >= beam_size and best_done >= max(b.hypothesis(length_penalty).score for b in beams):
            beams = []
            break
        state = lm.reorder(state, torch.tensor([row for row, _ in alive], device=device))
        logits, state = lm.step(torch.tensor([b.ids[-1] for b in beams], device=device), state)
    live = [b.hypothesis(length_penalty) for b in beams]
    return sorted(finished + live, key=lambda h: h.score, reverse=True)


class _Beam:
    """A partial output: its tokens, each token's log-probability, and their sum."""

    __slots__ = ("ids", "lps", "logprob")

    def __init__(self, ids: tuple[int, ...], lps: tuple[float, ...], logprob: float) -> None:
        self.ids, self.lps, self.logprob = ids, lps, logprob

    def extend(self, tok: int, lp: float, total: float) -> _Beam:
        return _Beam(self.ids + (tok,), self.lps + (lp,), total)

    def hypothesis(self, length_penalty: float, finished: bool = False) -> Hypothesis:
        probs = tuple(float(math.exp(x)) for x in self.lps)
        return Hypothesis(self.ids, probs, self.logprob, self.logprob / (max(len(self.ids), 1) ** length_penalty),
                          finished)
