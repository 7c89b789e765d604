"""A spectrogram as a PNG (Pillow + numpy, no Qt): the waveform on top, the spectrogram below on
the same time axis (low frequencies at the bottom), ticks in seconds and Hz, a dB colour bar."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from engine.probes.spectrogram import envelope
from engine.records.spectrogram import Spectrogram
from engine.render.attention_png import _font, save_png, viridis

WIDTH = 1000             # plot width in pixels
SPEC_H, WAVE_H = 320, 90
LEFT, TOP, BAR_W = 64, 28, 80


def nice_ticks(lo: float, hi: float, count: int = 6) -> np.ndarray:
    """Round tick values (1, 2, 5 × 10^k steps) between lo and hi."""
    span = max(hi - lo, 1e-12)
    raw = span / count
    step = 10 ** np.floor(np.log10(raw))
    step *= next(m for m in (1, 2, 5, 10) if m * step >= raw)
    return np.arange(np.ceil(lo / step) * step, hi + step * 1e-9, step)


def _columns(db: np.ndarray, width: int) -> np.ndarray:
    """(F, T) -> (F, width): the loudest frame of each column (no peak is lost when T > width)."""
    t = db.shape[1]
    if t <= width:
        idx = np.minimum((np.arange(width) * t) // width, t - 1)
        return db[:, idx]
    edges = np.linspace(0, t, width + 1).astype(np.int64)
    return np.maximum.reduceat(db, edges[:-1], axis=1)


def render_spectrogram_png(spec: Spectrogram, samples: np.ndarray, path: str | Path, title: str = "") -> Path:
    """Save the waveform and the spectrogram of one input at `path`; returns the path."""
    plot_w = WIDTH
    height = TOP + WAVE_H + 10 + SPEC_H + 40
    img = Image.new("RGB", (LEFT + plot_w + 12 + BAR_W, height), "white")
    draw = ImageDraw.Draw(img)
    font = _font(11)
    draw.text((LEFT, 6), title or spec.name, fill="black", font=_font(14))
    # waveform: min/max per pixel column
    lo, hi = envelope(samples, plot_w)
    mid = TOP + WAVE_H // 2
    for x, (a, b) in enumerate(zip(lo, hi)):
        draw.line((LEFT + x, mid - int(b * (WAVE_H // 2 - 2)), LEFT + x, mid - int(a * (WAVE_H // 2 - 2))), fill="#0072b2")
    draw.rectangle((LEFT, TOP, LEFT + plot_w - 1, TOP + WAVE_H - 1), outline="#999999")
    # spectrogram: dB between the floor and the loudest bin, low frequencies at the bottom
    top = TOP + WAVE_H + 10
    db = _columns(spec.power_db, plot_w)
    vmax = float(db.max())
    vmin = max(spec.floor_db, vmax - 90.0)
    rows = np.linspace(0, spec.bins - 1, SPEC_H).round().astype(np.int64)[::-1]
    rgb = viridis((db[rows] - vmin) / max(vmax - vmin, 1e-6))
    img.paste(Image.fromarray(rgb, "RGB"), (LEFT, top))
    draw.rectangle((LEFT, top, LEFT + plot_w - 1, top + SPEC_H - 1), outline="black")
    duration = len(samples) / spec.sample_rate
    for t in nice_ticks(0.0, duration):
        x = LEFT + int(round(t / max(duration, 1e-12) * (plot_w - 1)))
        draw.line((x, top + SPEC_H, x, top + SPEC_H + 4), fill="black")
        draw.text((x - 10, top + SPEC_H + 6), f"{t:g}", fill="black", font=font)
    draw.text((LEFT + plot_w // 2 - 20, top + SPEC_H + 20), "time (s)", fill="black", font=font)
    f_hi = float(spec.freqs[-1])
    ticks = nice_ticks(0.0, f_hi, 5) if spec.scale == "linear" else \
        [f for f in (0, 250, 500, 1000, 2000, 4000, 8000, 16000) if f <= f_hi]     # mel: octaves read best
    for f in ticks:
        pos = np.interp(f, spec.freqs, np.arange(spec.bins))       # mel bands are not evenly spaced in Hz
        y = top + SPEC_H - 1 - int(round(pos / max(spec.bins - 1, 1) * (SPEC_H - 1)))
        draw.line((LEFT - 4, y, LEFT, y), fill="black")
        label = f"{f / 1000:g}k" if f >= 1000 else f"{f:g}"
        draw.text((LEFT - 8 - 7 * len(label), y - 6), label, fill="black", font=font)
    draw.text((4, top - 14), "Hz" + (" (mel)" if spec.scale == "mel" else ""), fill="black", font=font)
    bar_x = LEFT + plot_w + 12
    ramp = viridis(np.linspace(1.0, 0.0, SPEC_H))[:, None, :].repeat(14, axis=1)
    img.paste(Image.fromarray(ramp, "RGB"), (bar_x, top))
    draw.rectangle((bar_x, top, bar_x + 13, top + SPEC_H - 1), outline="black")
    draw.text((bar_x + 18, top - 2), f"{vmax:.0f} dB", fill="black", font=font)
    draw.text((bar_x + 18, top + SPEC_H - 12), f"{vmin:.0f} dB", fill="black", font=font)
    return save_png(img, path)
