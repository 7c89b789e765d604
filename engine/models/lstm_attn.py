"""`lstm-attn`: the lecture's attention in LSTM networks, over speech.

    x_t  = log-mel frame t of the waveform (25 ms Hann window every 10 ms, 40 mel bands)
    h_t  = biLSTM(x)_t
    u_t  = tanh(W h_t + b)
    a_t  = softmax_t(u_tᵀ u)          u: a learned context vector
    l    = Σ_t a_t h_t
    y    = softmax(V l + c)           the word

The log-mel front end is part of the network (fixed buffers, no parameters), so the model takes
raw 16 kHz samples and every frame time is t · hop / rate seconds. Each utterance's log-mel
energies are taken relative to its loudest band (gain does not matter) and floored 80 dB below it.
Shapes: B batch, N samples, T frames, M mel bands, D = 2 · hidden, C classes.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from engine.models.attention_pooling import AttentionPooling

RATE = 16_000


@dataclass
class LstmAttnConfig:
    """Model and training-data settings of lstm-attn (`mlsp train lstm-attn --set key=value`)."""

    n_fft: int = 400             # 25 ms at 16 kHz
    hop: int = 160               # 10 ms
    mels: int = 40
    hidden: int = 64             # per direction
    layers: int = 1
    bidirectional: bool = True
    attn: int = 64               # width of u_t
    dropout: float = 0.1
    shift: float = 0.15          # training: random time shift of each clip, up to ± this many seconds
    noise: float = 0.5           # training: probability of added white noise (SNR 10-40 dB)

    def __post_init__(self) -> None:
        for key in ("n_fft", "hop", "mels", "hidden", "layers", "attn"):
            if int(getattr(self, key)) < 1:
                raise ValueError(f"{key} must be at least 1")
        if not 0 <= self.dropout < 1:
            raise ValueError("dropout must be in [0, 1)")


def mel_matrix(mels: int, n_fft: int, rate: int) -> torch.Tensor:
    """(mels, n_fft // 2 + 1) HTK triangular filters, peak 1 (as engine.probes.spectrogram)."""
    bins = torch.linspace(0, rate / 2, n_fft // 2 + 1, dtype=torch.float64)
    top = 2595.0 * math.log10(1.0 + (rate / 2) / 700.0)
    edges = 700.0 * (10.0 ** (torch.linspace(0.0, top, mels + 2, dtype=torch.float64) / 2595.0) - 1.0)
    lo, mid, hi = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    rise = (bins[None] - lo) / (mid - lo).clamp_min(1e-9)
    fall = (hi - bins[None]) / (hi - mid).clamp_min(1e-9)
    filters = torch.minimum(rise, fall).clamp_min(0.0)
    step = float(bins[1] - bins[0])
    for m in torch.nonzero(filters.sum(1) == 0).flatten().tolist():     # a band narrower than a bin
        pos = float(edges[m + 1]) / step
        k = min(int(pos), len(bins) - 2)
        filters[m, k], filters[m, k + 1] = 1.0 - (pos - k), pos - k
    return filters.float()


class LogMel(nn.Module):
    """(B, N) samples -> (B, T, M) log-mel frames, relative to each utterance's loudest band, scaled
    to about [-2, 2] (0 dB -> 2, -80 dB and below -> -2). T = N // hop + 1 (centred frames)."""

    def __init__(self, n_fft: int, hop: int, mels: int, rate: int = RATE) -> None:
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        self.register_buffer("window", torch.hann_window(n_fft, periodic=True), persistent=False)
        self.register_buffer("filters", mel_matrix(mels, n_fft, rate), persistent=False)

    def forward(self, wave: torch.Tensor) -> torch.Tensor:
        spec = torch.stft(wave.float(), self.n_fft, self.hop, window=self.window, center=True, pad_mode="reflect",
                          return_complex=True)                         # (B, F, T)
        power = spec.real ** 2 + spec.imag ** 2
        db = 10.0 * torch.log10(self.filters @ power + 1e-10)          # (B, M, T)
        db = db - db.amax(dim=(1, 2), keepdim=True)
        return (db.clamp_min(-80.0) / 20.0 + 2.0).transpose(1, 2)      # (B, T, M)


@dataclass
class LstmAttnOutput:
    """One recorded pass: everything the views and the CLI show."""

    logits: torch.Tensor         # (B, C)
    weights: torch.Tensor        # (B, T) a_t, rows sum to 1
    pooled: torch.Tensor         # (B, D) l
    states: torch.Tensor         # (B, T, D) h_t
    frames: torch.Tensor         # (B, T, M) the log-mel input


class LstmAttnNet(nn.Module):
    """(B, N) samples -> (B, C) word logits."""

    def __init__(self, cfg: LstmAttnConfig, n_classes: int) -> None:
        super().__init__()
        self.cfg = cfg
        self.frontend = LogMel(cfg.n_fft, cfg.hop, cfg.mels)
        self.lstm = nn.LSTM(cfg.mels, cfg.hidden, num_layers=cfg.layers, batch_first=True,
                            bidirectional=cfg.bidirectional, dropout=cfg.dropout if cfg.layers > 1 else 0.0)
        d = cfg.hidden * (2 if cfg.bidirectional else 1)
        self.drop = nn.Dropout(cfg.dropout)
        self.pool = AttentionPooling(d, cfg.attn, key_sequence="frames")   # W, b, u
        self.head = nn.Linear(d, n_classes)

    @property
    def frame_seconds(self) -> float:
        return self.cfg.hop / RATE

    def run(self, wave: torch.Tensor) -> LstmAttnOutput:
        frames = self.frontend(wave)                                   # (B, T, M)
        h, _ = self.lstm(frames)                                       # (B, T, D)
        h = self.drop(h)
        u = torch.tanh(self.pool.proj(h))                              # (B, T, A)
        a = torch.softmax(u @ self.pool.context, dim=-1)               # (B, T)
        pooled = self.pool(h)                                          # (B, D) the hooked pass of the same sums
        return LstmAttnOutput(logits=self.head(pooled), weights=a, pooled=pooled, states=h, frames=frames)

    def forward(self, wave: torch.Tensor) -> torch.Tensor:
        frames = self.frontend(wave)
        h, _ = self.lstm(frames)
        return self.head(self.pool(self.drop(h)))


def build_lstm_attn(cfg: LstmAttnConfig, n_classes: int) -> LstmAttnNet:
    return LstmAttnNet(cfg, n_classes)
