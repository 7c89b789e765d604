"""`builtin:sines`: windows of a sum of two low-frequency sinusoids plus white noise (toy-mlp's data)."""
from __future__ import annotations


def make_sines(n: int, window: int, noise: float, seed: int):
    """(noisy, clean), each (n, window) float32: two random sinusoids per window plus noise."""
    import torch

    g = torch.Generator().manual_seed(seed)
    t = torch.arange(window, dtype=torch.float32)
    freq = torch.rand(n, 2, 1, generator=g) * 0.09 + 0.01          # cycles per sample: low-pass
    phase = torch.rand(n, 2, 1, generator=g) * 6.2831853
    amp = torch.rand(n, 2, 1, generator=g) * 0.8 + 0.2
    clean = (amp * torch.sin(6.2831853 * freq * t + phase)).sum(dim=1)
    noisy = clean + noise * torch.randn(n, window, generator=g)
    return noisy, clean
