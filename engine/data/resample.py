"""Polyphase resampling in numpy (no scipy, no torch): the same filter and alignment as
`scipy.signal.resample_poly(x, up, down)` with its default Kaiser window (beta 5), computed
in blocks so that memory stays at a few megabytes whatever the length."""
from __future__ import annotations

from functools import lru_cache
from math import gcd

import numpy as np

KAISER_BETA = 5.0
HALF_LEN_PER_RATE = 10          # scipy: half_len = 10 * max(up, down)
BLOCK = 1 << 15                 # output samples computed per block


def rate_ratio(orig_rate: int, new_rate: int) -> tuple[int, int]:
    """(up, down) in lowest terms: new_rate / orig_rate = up / down."""
    g = gcd(int(orig_rate), int(new_rate))
    return int(new_rate) // g, int(orig_rate) // g


@lru_cache(maxsize=8)
def _polyphase_filter(up: int, down: int) -> tuple[np.ndarray, int]:
    """(H, half_len): the low-pass FIR (gain `up`) split into `up` phases, H[p, q] = h[p + q*up]."""
    max_rate = max(up, down)
    half_len = HALF_LEN_PER_RATE * max_rate
    n_taps = 2 * half_len + 1
    cutoff = 1.0 / max_rate                              # in units of the Nyquist frequency
    m = np.arange(n_taps, dtype=np.float64) - half_len
    h = cutoff * np.sinc(cutoff * m) * np.kaiser(n_taps, KAISER_BETA)
    h = h / h.sum() * up                                 # unit DC gain after zero-stuffing by `up`
    q_taps = -(-n_taps // up)
    padded = np.zeros(q_taps * up)
    padded[:n_taps] = h
    return padded.reshape(q_taps, up).T.copy(), half_len   # (up, Q)


def resample_poly(x: np.ndarray, up: int, down: int) -> np.ndarray:
    """Resample (N,) float32 by up/down; output length ceil(N * up / down), float32."""
    x = np.asarray(x, dtype=np.float32)
    if up == down:
        return x.copy()
    n_in = x.shape[0]
    n_out = -(-n_in * up // down)
    phases, half_len = _polyphase_filter(up, down)
    q_taps = phases.shape[1]
    # y[n] = sum_q H[p, q] * x[b - q], with t = n*down + half_len, p = t % up, b = t // up.
    padded = np.concatenate([np.zeros(q_taps, np.float32), x, np.zeros(q_taps + 1, np.float32)])
    phases32 = phases.astype(np.float32)
    q = np.arange(q_taps)
    out = np.empty(n_out, np.float32)
    for start in range(0, n_out, BLOCK):
        n = np.arange(start, min(start + BLOCK, n_out), dtype=np.int64)
        t = n * down + half_len
        base = t // up + q_taps                            # index into `padded`
        base = np.minimum(base, padded.shape[0] - 1)
        window = padded[base[:, None] - q[None, :]]        # (B, Q)
        out[n[0]:n[-1] + 1] = np.einsum("bq,bq->b", window, phases32[t % up])
    return out


def resample(x: np.ndarray, orig_rate: int, new_rate: int) -> np.ndarray:
    """Resample mono (N,) float32 from `orig_rate` to `new_rate` Hz."""
    up, down = rate_ratio(orig_rate, new_rate)
    return resample_poly(x, up, down)
