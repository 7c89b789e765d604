"""`wav2vec-mini`: wav2vec 2.0 in miniature (Baevski et al., 2020), self-supervised on raw speech.

    z_t = f(x)                    strided 1-D convolutions over the 16 kHz waveform: one 20 ms frame per
                                  320 samples, receptive field 325 samples (20 ms), then LayerNorm + Linear
    q_t = Q(z_t)                  product quantiser: G groups choose one of V codewords each by a
                                  Gumbel-softmax (straight-through, temperature annealed), concatenated
    z̃_t                           spans of `mask_span` frames starting at a fraction `mask_prob` of the
                                  frames replaced by a learned mask vector
    c_t = Transformer(z̃)_t        the project's blocks (post-LN), a convolutional relative position
    L = L_m + α L_d               L_m = -log exp(sim(c_t, q_t)/κ) / Σ_{q̃ ∈ {q_t} ∪ K distractors} exp(sim(c_t, q̃)/κ)
                                  over masked t (distractors: other masked frames of the same utterance);
                                  L_d = (GV - Σ_g exp(H(p̄_g))) / GV, the codebook diversity loss

Shapes: B batch, N samples, T frames, C conv channels, D model width, G groups, V entries.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from engine.models.transformer import BlockConfig, MultiHeadAttention, TransformerStack

RATE = 16_000
CONV_LAYERS = ((10, 5), (4, 4), (4, 4), (4, 4))        # (kernel, stride): 5·4³ = 320 samples per frame
CONV_WIDTHS = (0.5, 0.5, 1.0, 1.0)                      # channels of each layer, times conv_channels


@dataclass
class Wav2VecConfig:
    """Model, masking and loss settings of wav2vec-mini (`mlsp train wav2vec-mini --set key=value`)."""

    conv_channels: int = 64
    d_model: int = 96
    layers: int = 2
    heads: int = 4
    d_ff: int = 256
    groups: int = 2              # G
    entries: int = 32            # V per group
    code_dim: int = 64           # width of q (G codewords of code_dim / G, concatenated)
    final_dim: int = 64          # where c_t and q_t are compared
    mask_prob: float = 0.08      # fraction of frames that start a masked span
    mask_span: int = 5           # frames per span (100 ms)
    distractors: int = 20        # K
    temperature: float = 0.1     # κ
    diversity_weight: float = 0.1    # α
    feature_penalty: float = 10.0    # on the mean square of z (as wav2vec 2.0)
    gumbel_start: float = 2.0    # Gumbel temperature, annealed to gumbel_end over gumbel_steps
    gumbel_end: float = 0.5
    gumbel_steps: int = 2000
    dropout: float = 0.1

    def __post_init__(self) -> None:
        for key in ("conv_channels", "d_model", "layers", "heads", "d_ff", "groups", "entries", "mask_span",
                    "distractors", "final_dim"):
            if int(getattr(self, key)) < 1:
                raise ValueError(f"{key} must be at least 1")
        if self.code_dim % self.groups:
            raise ValueError(f"code_dim ({self.code_dim}) must be a multiple of groups ({self.groups})")
        if not 0 < self.mask_prob < 1:
            raise ValueError("mask_prob must be in (0, 1)")

    @property
    def hop(self) -> int:
        s = 1
        for _k, stride in CONV_LAYERS:
            s *= stride
        return s

    @property
    def receptive_field(self) -> int:
        """Samples one frame sees."""
        rf, jump = 1, 1
        for k, s in CONV_LAYERS:
            rf += (k - 1) * jump
            jump *= s
        return rf


def frames_for(samples: int) -> int:
    """Frames the feature encoder makes of `samples` samples (0 when too short)."""
    n = samples
    for k, s in CONV_LAYERS:
        n = (n - k) // s + 1
        if n < 1:
            return 0
    return n


class FeatureEncoder(nn.Module):
    """(B, N) -> (B, T, C): conv + GELU layers, GroupNorm on the first (as wav2vec 2.0's base); the
    first layers are narrower (cheap on a CPU)."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        layers, c_in = [], 1
        for i, ((k, s), width) in enumerate(zip(CONV_LAYERS, CONV_WIDTHS)):
            c_out = max(1, int(channels * width))
            layers.append(nn.Conv1d(c_in, c_out, k, s, bias=False))
            if i == 0:
                layers.append(nn.GroupNorm(c_out, c_out))
            layers.append(nn.GELU())
            c_in = c_out
        self.conv = nn.Sequential(*layers)

    def forward(self, wave: torch.Tensor) -> torch.Tensor:
        x = wave[:, None, :]
        x = (x - x.mean(-1, keepdim=True)) / (x.std(-1, keepdim=True) + 1e-5)    # per-utterance level
        return self.conv(x).transpose(1, 2)


class GumbelQuantizer(nn.Module):
    """(B, T, D) -> codes (B, T, G) and q (B, T, code_dim): G groups of V codewords, Gumbel-softmax."""

    def __init__(self, d_in: int, groups: int, entries: int, code_dim: int, anneal: tuple[float, float, int]) -> None:
        super().__init__()
        self.groups, self.entries = groups, entries
        self.logits = nn.Linear(d_in, groups * entries)
        self.codebook = nn.Parameter(torch.randn(groups, entries, code_dim // groups) * 0.5)
        self.anneal = anneal                                  # (start, end, steps) of the Gumbel temperature
        self.register_buffer("updates", torch.zeros((), dtype=torch.long))   # training passes so far (checkpointed)

    @property
    def temperature(self) -> float:
        start, end, steps = self.anneal
        return start + (end - start) * min(1.0, int(self.updates) / max(steps, 1))

    def forward(self, z: torch.Tensor, generator: torch.Generator | None = None) -> tuple[torch.Tensor, ...]:
        b, t, _ = z.shape
        logits = self.logits(z).view(b, t, self.groups, self.entries).float()
        soft = torch.softmax(logits, dim=-1)                                         # p for the diversity loss
        if self.training:
            self.updates += 1
            u = torch.rand(logits.shape, generator=generator, device="cpu").to(logits.device)
            gumbel = -torch.log(-torch.log(u.clamp(1e-9, 1 - 1e-9)))
            y = torch.softmax((logits + gumbel) / self.temperature, dim=-1)
            hard = F.one_hot(y.argmax(-1), self.entries).to(y.dtype)
            weights = hard - y.detach() + y                                          # straight-through
        else:
            weights = F.one_hot(logits.argmax(-1), self.entries).to(logits.dtype)
        q = torch.einsum("btgv,gvd->btgd", weights.to(self.codebook.dtype), self.codebook).reshape(b, t, -1)
        return logits.argmax(-1), q, soft


@dataclass
class Wav2VecOutput:
    """One pass: everything the loss and the views need."""

    features: torch.Tensor       # (B, T, D) z after LayerNorm + Linear (unmasked)
    context: torch.Tensor        # (B, T, final_dim) c_t projected
    hidden: torch.Tensor         # (B, T, D) transformer output
    targets: torch.Tensor        # (B, T, final_dim) q_t projected
    codes: torch.Tensor          # (B, T, G) codeword index per group
    probs: torch.Tensor          # (B, T, G, V) softmax of the quantiser's logits
    mask: torch.Tensor           # (B, T) bool, True where masked
    feature_pen: torch.Tensor    # scalar


class Wav2VecMini(nn.Module):
    """(B, N) samples -> Wav2VecOutput (with `mask`, masked pre-training; without, plain encoding)."""

    def __init__(self, cfg: Wav2VecConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.encoder = FeatureEncoder(cfg.conv_channels)
        self.norm = nn.LayerNorm(cfg.conv_channels)
        self.project = nn.Linear(cfg.conv_channels, cfg.d_model)
        self.quantizer = GumbelQuantizer(cfg.conv_channels, cfg.groups, cfg.entries, cfg.code_dim,
                                         (cfg.gumbel_start, cfg.gumbel_end, cfg.gumbel_steps))
        self.mask_vector = nn.Parameter(torch.rand(cfg.d_model) * 0.1)
        self.pos_conv = nn.Conv1d(cfg.d_model, cfg.d_model, 9, padding=4, groups=4)
        self.pos_norm = nn.LayerNorm(cfg.d_model)
        self.drop = nn.Dropout(cfg.dropout)
        self.transformer = TransformerStack(BlockConfig(cfg.d_model, cfg.heads, cfg.d_ff, dropout=cfg.dropout), cfg.layers)
        for m in self.transformer.modules():
            if isinstance(m, MultiHeadAttention):
                m.query_sequence = m.key_sequence = "frames"
        self.final_context = nn.Linear(cfg.d_model, cfg.final_dim)
        self.final_target = nn.Linear(cfg.code_dim, cfg.final_dim)

    def encode(self, wave: torch.Tensor, mask: torch.Tensor | None = None,
               generator: torch.Generator | None = None) -> Wav2VecOutput:
        conv = self.norm(self.encoder(wave))                                   # (B, T, C)
        pen = conv.float().pow(2).mean()
        codes, q, probs = self.quantizer(conv, generator)
        z = self.project(conv)                                                 # (B, T, D)
        x = self.drop(z)
        if mask is None:
            mask = torch.zeros(z.shape[:2], dtype=torch.bool, device=z.device)
        x = torch.where(mask[..., None], self.mask_vector.to(x.dtype), x)
        x = self.pos_norm(x + F.gelu(self.pos_conv(x.transpose(1, 2)).transpose(1, 2)))
        h = self.transformer(x).last_hidden_state
        return Wav2VecOutput(features=z, context=self.final_context(h), hidden=h, targets=self.final_target(q),
                             codes=codes, probs=probs, mask=mask, feature_pen=pen)

    def forward(self, wave: torch.Tensor, mask: torch.Tensor | None = None,
                generator: torch.Generator | None = None) -> Wav2VecOutput:
        return self.encode(wave, mask, generator)


def span_mask(batch: int, frames: int, prob: float, span: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """(B, T) bool: spans of `span` frames from starts drawn with probability `prob` per frame; at
    least one span and at least two masked frames per row (distractors need others)."""
    starts = torch.rand(batch, frames, generator=generator) < prob
    first = torch.randint(0, max(frames - span, 0) + 1, (batch,), generator=generator)
    starts[torch.arange(batch), first] = True
    mask = torch.zeros(batch, frames, dtype=torch.bool)
    for offset in range(span):
        mask[:, offset:] |= starts[:, :frames - offset]
    return mask


def sample_distractors(mask: torch.Tensor, k: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """For each masked (b, t): K frame indices of other masked frames of row b, (M, K) long, in the order
    of mask.nonzero(); drawn with replacement (a row with one masked frame uses itself, scored as such)."""
    rows, cols = mask.nonzero(as_tuple=True)
    out = torch.empty(len(rows), k, dtype=torch.long)
    masked_per_row = [torch.nonzero(mask[b]).flatten() for b in range(mask.shape[0])]
    for b, idx in enumerate(masked_per_row):
        sel = (rows == b).nonzero().flatten()
        if not len(sel):
            continue
        n = len(idx)
        draw = torch.randint(0, max(n - 1, 1), (len(sel), k), generator=generator)
        own = torch.searchsorted(idx, cols[sel])[:, None]
        draw = draw + (draw >= own).long() if n > 1 else torch.zeros_like(draw)   # skip the frame itself
        out[sel] = idx[draw.clamp_max(n - 1)]
    return out


@dataclass
class ContrastiveScores:
    """Per masked frame: cosine similarity to the true target and to the K distractors."""

    rows: torch.Tensor           # (M,) batch index
    cols: torch.Tensor           # (M,) frame index
    positive: torch.Tensor       # (M,)
    negatives: torch.Tensor      # (M, K)
    distractor_frames: torch.Tensor   # (M, K)


def contrastive_scores(out: Wav2VecOutput, k: int, generator: torch.Generator | None = None) -> ContrastiveScores:
    rows, cols = out.mask.nonzero(as_tuple=True)
    idx = sample_distractors(out.mask.cpu(), k, generator).to(out.context.device)
    rows, cols = rows.to(out.context.device), cols.to(out.context.device)
    c = F.normalize(out.context[rows, cols].float(), dim=-1)                       # (M, F)
    t = F.normalize(out.targets.float(), dim=-1)
    positive = (c * t[rows, cols]).sum(-1)
    negatives = torch.einsum("mf,mkf->mk", c, t[rows[:, None].expand_as(idx), idx])
    same = idx == cols[:, None]                                                    # a row with one masked frame
    negatives = negatives.masked_fill(same, -2.0)
    return ContrastiveScores(rows, cols, positive, negatives, idx)


def wav2vec_losses(out: Wav2VecOutput, cfg: Wav2VecConfig, generator: torch.Generator | None = None) -> dict:
    """{"loss", "contrastive", "diversity", "accuracy", "perplexity"} of one masked pass."""
    s = contrastive_scores(out, cfg.distractors, generator)
    logits = torch.cat([s.positive[:, None], s.negatives], dim=1) / cfg.temperature
    contrastive = F.cross_entropy(logits, torch.zeros(len(logits), dtype=torch.long, device=logits.device))
    p = out.probs.reshape(-1, cfg.groups, cfg.entries).mean(0)                    # p̄_g (G, V)
    perplexity = torch.exp(-(p * torch.log(p + 1e-7)).sum(-1)).sum()
    gv = cfg.groups * cfg.entries
    diversity = (gv - perplexity) / gv
    loss = contrastive + cfg.diversity_weight * diversity + cfg.feature_penalty * 1e-3 * out.feature_pen
    accuracy = (logits.argmax(-1) == 0).float().mean()
    return {"loss": loss, "contrastive": contrastive.detach(), "diversity": diversity.detach(),
            "accuracy": accuracy.detach(), "perplexity": perplexity.detach()}


def build_wav2vec_mini(cfg: Wav2VecConfig) -> Wav2VecMini:
    return Wav2VecMini(cfg)
