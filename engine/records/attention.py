"""Attention records: what `engine.probes.attention` returns and the attention views draw."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Kinds of attention block.
ENCODER_SELF = "encoder-self"      # bidirectional self-attention (BERT, ViT, wav2vec, NMT encoder)
CAUSAL_SELF = "causal-self"        # masked self-attention (GPT, NMT decoder)
CROSS = "cross"                    # decoder queries over encoder keys (NMT, an LSTM decoder's attention)
POOLING = "pooling"                # one learned query over a sequence (attention pooling: u_t, a_t, l)


@dataclass(frozen=True)
class SequenceInfo:
    """The labels of one sequence that attention modules index (tokens, frames or patches).

    unit: "token" | "frame" | "patch". times: (N,) seconds of each frame (audio); grid: (rows,
    cols) of the patches, whose labels follow `grid_offset` leading labels such as [CLS];
    segments: (N,) 0 = sentence A, 1 = sentence B (BERT pairs)."""

    name: str
    labels: list[str]
    unit: str = "token"
    times: np.ndarray | None = None
    grid: tuple[int, int] | None = None
    grid_offset: int = 0
    segments: np.ndarray | None = None

STACK_NAMES = {ENCODER_SELF: "encoder", CAUSAL_SELF: "decoder", CROSS: "cross", POOLING: "pooling"}


@dataclass(frozen=True)
class AttentionStack:
    """All layers of one kind of block: weights[layer, head, query t, key s]; rows sum to 1."""

    kind: str                          # ENCODER_SELF | CAUSAL_SELF | CROSS | POOLING
    tokens_q: list[str]                # labels of the query sequence (T)
    tokens_k: list[str]                # labels of the key sequence (S)
    weights: np.ndarray                # (L, H, T, S) float32
    layer_names: list[str] = field(default_factory=list)
    name: str = ""                     # the stack's name ("encoder", "decoder", "cross", "pooling")
    sequence_q: str = "tokens"         # which sequence the queries index (AttentionMaps.sequences)
    sequence_k: str = "tokens"

    def __post_init__(self) -> None:
        w = self.weights
        if w.ndim != 4 or w.shape[2] != len(self.tokens_q) or w.shape[3] != len(self.tokens_k):
            raise ValueError(f"weights must be (L, H, {len(self.tokens_q)}, {len(self.tokens_k)}), got {w.shape}")
        if not self.name:
            object.__setattr__(self, "name", STACK_NAMES.get(self.kind, self.kind))

    @property
    def is_self(self) -> bool:
        """Queries and keys index the same sequence (a square map)."""
        return self.sequence_q == self.sequence_k

    @property
    def layers(self) -> int:
        return int(self.weights.shape[0])

    @property
    def heads(self) -> int:
        return int(self.weights.shape[1])


@dataclass(frozen=True)
class AttentionStep:
    """One layer/head of self-attention, step by step, with the model's own numbers.

    Shapes: T queries, S keys, D model width, H heads, dh = D / H head width.
    """

    layer: int
    head: int
    stack: str                          # which stack's kind the layer belongs to
    x: np.ndarray                       # (T, D) input of the attention block (after any pre-LN)
    w_q: np.ndarray                     # (D, dh) this head's slice of W^Q   (q = x @ w_q + b_q)
    w_k: np.ndarray                     # (D, dh)
    w_v: np.ndarray                     # (D, dh)
    b_q: np.ndarray                     # (dh,)
    b_k: np.ndarray                     # (dh,)
    b_v: np.ndarray                     # (dh,)
    q: np.ndarray                       # (T, dh)
    k: np.ndarray                       # (S, dh)
    v: np.ndarray                       # (S, dh)
    scores: np.ndarray                  # (T, S) q . k
    scaled: np.ndarray                  # (T, S) scores / sqrt(dh), plus the additive mask (-inf where masked)
    mask: np.ndarray                    # (T, S) bool, True where attention is allowed
    weights: np.ndarray                 # (T, S) softmax of `scaled`
    head_out: np.ndarray                # (T, dh) weights @ v
    concat: np.ndarray                  # (T, H * dh) all heads' outputs side by side
    w_o: np.ndarray                     # (H * dh, D)  out = concat @ w_o + b_o
    b_o: np.ndarray                     # (D,)
    out: np.ndarray                     # (T, D) the attention block's real output, as recorded
    # Added with the engine (defaults keep records built without them valid):
    x_kv: np.ndarray | None = None      # (S, D) input the keys and values come from (x itself for self-attention)
    scale: float | None = None          # the factor on q . k: 1 / sqrt(dh) unless the model says otherwise

    @property
    def head_dim(self) -> int:
        return int(self.q.shape[1])


@dataclass(frozen=True)
class AttentionMaps:
    """Every attention stack of one forward pass, plus (optionally) one recorded step."""

    model: str
    stacks: list[AttentionStack]
    segments_q: np.ndarray | None = None   # (T,) 0 = sentence A, 1 = sentence B (BERT pairs)
    segments_k: np.ndarray | None = None   # (S,)
    truncated: bool = False
    note: str = ""                         # e.g. "input truncated to 512 tokens"
    step: AttentionStep | None = None
    prompt_length: int | None = None       # causal generation: tokens[prompt_length:] were generated
    sequences: tuple[SequenceInfo, ...] = ()   # every sequence the stacks index, with its labels

    def sequence(self, name: str) -> SequenceInfo | None:
        return next((s for s in self.sequences if s.name == name), None)

    def stack(self, name: str) -> AttentionStack:
        """The stack called `name` ("encoder", "cross", ...); KeyError names the ones there are."""
        for s in self.stacks:
            if s.name == name:
                return s
        raise KeyError(f"no attention stack '{name}'; this record has {[s.name for s in self.stacks]}")

    # The first stack is the primary one (what the CLI's NPZ holds as weights/tokens/tokens_k).
    @property
    def primary(self) -> AttentionStack:
        return self.stacks[0]

    @property
    def tokens(self) -> list[str]:
        return self.primary.tokens_q

    @property
    def tokens_k(self) -> list[str]:
        return self.primary.tokens_k

    @property
    def weights(self) -> np.ndarray:
        return self.primary.weights

    @property
    def block_kinds(self) -> list[str]:
        return [s.kind for s in self.stacks for _ in range(s.layers)]
