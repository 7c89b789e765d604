"""Shared decoding over any model that gives next-token logits with a cache.

    step_model.py   StepModel (start / step / reorder), CachedLM, Recompute
    filtering.py    temperature, top-k, top-p; the next-token distribution record
    search.py       greedy, sample (seeded), beam_search (batched beams, length penalty)

GPT-2 folders, gpt-mini and the translation models decode through these functions; nothing
decodes on its own.
"""
from engine.decoding.filtering import filtered_probs, next_token_distribution
from engine.decoding.search import beam_search, greedy, sample
from engine.decoding.step_model import CachedLM, Recompute, StepModel

__all__ = ["CachedLM", "Recompute", "StepModel", "beam_search", "filtered_probs", "greedy",
           "next_token_distribution", "sample"]
