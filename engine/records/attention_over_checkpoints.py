"""Attention summaries over the checkpoints of a training run: per checkpoint the step, the training
loss logged at that step, the mean head entropy per layer and the heads that stand out, so heads
can be seen to specialise (previous token, [SEP]-like, focused) as the loss falls.

Built by `engine.probes.attention_over_checkpoints.over_checkpoints`; printed by
`mlsp attention-summary RUN INPUT --over-checkpoints`; plotted by the GUI's "Rollout and head
summaries" view ("Entropy over checkpoints").
"""
from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("previous token", "next token", "special tokens", "focused")


@dataclass(frozen=True)
class CheckpointHeads:
    """One checkpoint's attention summary, reduced to a few numbers."""

    step: int
    entropy_per_layer: tuple[float, ...]      # mean over heads of each layer's head entropy (nats)
    mean_entropy: float                       # mean over every head
    notable: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)  # role -> (layer, head)s
    loss: float | None = None                 # the training loss logged at this step (None: not in metrics)
    checkpoint: str = ""                      # the checkpoint folder ("" when not known)

    def counts(self) -> dict[str, int]:
        """How many heads of each role (every role of ROLES, 0 when none)."""
        return {role: len(self.notable.get(role, ())) for role in ROLES}


@dataclass(frozen=True)
class HeadsOverCheckpoints:
    """The summaries of one text at each complete checkpoint of a run, in step order."""

    run: str                                  # the run folder
    model: str                                # the registry id the run trains (bert-mini, gpt-mini, ...)
    text: str                                 # the probed text
    kind: str                                 # the stack's kind (encoder-self, causal-self, ...)
    layers: int
    heads: int
    max_entropy: float                        # log(keys): the entropy of uniform attention
    points: tuple[CheckpointHeads, ...]
    skipped: tuple[str, ...] = ()             # "step-00000009 (why)" for damaged checkpoints left out

    @property
    def steps(self) -> list[int]:
        return [p.step for p in self.points]
