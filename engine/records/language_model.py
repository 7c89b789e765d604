"""Language-model records: masked-token predictions and generated text (numpy and plain Python)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TokenProb:
    """One candidate token and the probability the model gives it."""

    token: str
    prob: float
    id: int


@dataclass(frozen=True)
class FillMask:
    """`mlsp fill-mask`: the input's tokens, the masked positions (in order) and, for each one,
    the top-k tokens the masked-LM head predicts there, most likely first."""

    model: str
    tokens: tuple[str, ...]                              # the tokens the model saw (masks as [MASK])
    masked: tuple[int, ...]                              # positions of the masks in `tokens`
    predictions: tuple[tuple[TokenProb, ...], ...]       # one tuple per mask, in order
    note: str = ""


@dataclass(frozen=True)
class Generation:
    """`mlsp generate`: the prompt's continuation, token by token, with each token's probability in
    the distribution it was drawn from (1.0 for greedy picks of a one-hot distribution)."""

    model: str
    prompt: str
    text: str                                            # the prompt followed by the new tokens, decoded
    tokens: tuple[str, ...]                              # the new tokens, as shown
    ids: tuple[int, ...]
    token_probs: tuple[float, ...]
    prompt_tokens: tuple[str, ...]
    greedy: bool                                         # temperature 0 or top-p 0 picked the argmax
    note: str = ""                                       # e.g. the prompt was cut to the context


@dataclass(frozen=True)
class MaskedWordScore:
    """Top-1 accuracy on held-out content words, each masked in turn (all of its word pieces)."""

    correct: int
    total: int
    sentences: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class PerplexityScore:
    """Test perplexity of a causal LM next to an interpolated bigram model on the same tokens."""

    perplexity: float
    bigram_perplexity: float
    tokens: int
    bigram_lambda: float


@dataclass(frozen=True)
class MaskedView:
    """The Masked prediction view: the predictions, and the first mask's attention in every head."""

    fill: FillMask
    attention: np.ndarray | None        # (L * H, T): the first mask's attention row in every head
    head_labels: tuple[str, ...]        # "L0 H1", ... one per row of `attention`
    note: str = ""


@dataclass(frozen=True)
class NextTokenStep:
    """The Next-token view after one step: the sequence so far, the next token's distribution at
    temperature 1 (`raw`, (V,)), the most likely tokens with their labels, and the attention of the
    sequence's last token in every layer and head."""

    ids: tuple[int, ...]
    tokens: tuple[str, ...]
    raw: np.ndarray                      # (V,) softmax(logits)
    top_ids: tuple[int, ...]             # the most likely next tokens, most likely first
    top_labels: tuple[str, ...]
    attention: np.ndarray | None         # (L * H, T): the last token's attention row in every head
    head_labels: tuple[str, ...]
    note: str = ""
