"""One attention head as a PNG heatmap with token labels, drawn with Pillow + numpy (no Qt,
no matplotlib): queries down the left, keys along the top, a viridis colour bar on the right."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from engine.errors import InputError

# viridis at 9 evenly spaced points (colour-blind safe, dark = low); interpolated to 256 colours.
_VIRIDIS_ANCHORS = np.array([
    [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
    [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37]], np.float64)
MAX_SIDE = 900          # the heatmap's longest side in pixels (before labels)


def viridis(values: np.ndarray) -> np.ndarray:
    """values in [0, 1], any shape -> uint8 RGB, shape + (3,)."""
    x = np.clip(np.nan_to_num(values, nan=0.0), 0.0, 1.0) * (len(_VIRIDIS_ANCHORS) - 1)
    lo = np.floor(x).astype(int).clip(0, len(_VIRIDIS_ANCHORS) - 2)
    frac = (x - lo)[..., None]
    rgb = _VIRIDIS_ANCHORS[lo] * (1 - frac) + _VIRIDIS_ANCHORS[lo + 1] * frac
    return rgb.round().astype(np.uint8)


def save_png(img: Image.Image, path: str | Path) -> Path:
    """Write `img` as PNG at `path`; an unwritable place is an InputError naming it."""
    out = Path(path)
    try:
        img.save(out, format="PNG")
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}; choose another file name.") from None
    return out


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):          # Pillow without FreeType: the fixed bitmap font
        return ImageFont.load_default()


def _label_every(cell: int, font_px: int) -> int:
    """Label every n-th token so that labels do not overlap."""
    return max(1, math.ceil((font_px + 2) / max(cell, 1)))


def _short(token: str, n: int = 16) -> str:
    token = token.replace("\n", "⏎")
    return token if len(token) <= n else token[:n - 1] + "…"


def render_attention_png(weights: np.ndarray, tokens_q: list[str], tokens_k: list[str], path: str | Path,
                         title: str = "", generated_from: int | None = None) -> Path:
    """Save a (T, S) weight matrix as a heatmap PNG at `path`; returns the path.

    generated_from: index of the first generated token; a dashed line separates the prompt from it."""
    w = np.asarray(weights, np.float64)
    if w.ndim != 2 or w.shape != (len(tokens_q), len(tokens_k)):
        raise InputError(f"the heatmap needs ({len(tokens_q)}, {len(tokens_k)}) weights, got {w.shape}.")
    t, s = w.shape
    cell = max(1, min(28, MAX_SIDE // max(t, s)))
    font_px = 12 if cell >= 10 else 10
    font = _font(font_px)
    labels_q = [_short(x) for x in tokens_q]
    labels_k = [_short(x) for x in tokens_k]
    text_w = lambda txt: int(font.getlength(txt)) if hasattr(font, "getlength") else 6 * len(txt)  # noqa: E731
    left = 8 + max((text_w(x) for x in labels_q), default=0)
    top_labels = 8 + max((text_w(x) for x in labels_k), default=0)
    title_h = 24 if title else 6
    top = title_h + top_labels
    bar_w, margin = 70, 12
    width, height = left + s * cell + margin + bar_w, max(top + t * cell + margin, top + 140)
    img = Image.new("RGB", (width, height), "white")
    vmax = float(w.max()) if w.size and w.max() > 0 else 1.0
    heat = viridis(w / vmax).repeat(cell, axis=0).repeat(cell, axis=1)
    img.paste(Image.fromarray(heat, "RGB"), (left, top))
    draw = ImageDraw.Draw(img)
    if title:
        draw.text((8, 4), title, fill="black", font=_font(14))
    every_q, every_k = _label_every(cell, font_px), _label_every(cell, font_px)
    for i in range(0, t, every_q):
        y = top + i * cell + (cell - font_px) // 2 - 1
        draw.text((left - 4 - text_w(labels_q[i]), y), labels_q[i], fill="black", font=font)
    for j in range(0, s, every_k):
        _vertical_label(img, labels_k[j], font, left + j * cell + (cell - font_px) // 2, top - 4)
    if generated_from is not None and 0 < generated_from < min(t, s):
        _dashed_boundary(draw, left, top, generated_from * cell, t * cell, s * cell)
    _colour_bar(img, draw, left + s * cell + margin, top, min(t * cell, 300) if t * cell >= 100 else 100, vmax)
    return save_png(img, path)


def _dashed_boundary(draw: ImageDraw.ImageDraw, left: int, top: int, at: int, height: int, width: int) -> None:
    """White dashed lines before the first generated query (row) and key (column)."""
    for i in range(0, max(height, width), 8):
        if i < width:
            draw.line((left + i, top + at, left + min(i + 4, width), top + at), fill="white", width=1)
        if i < height:
            draw.line((left + at, top + i, left + at, top + min(i + 4, height)), fill="white", width=1)


def _vertical_label(img: Image.Image, text: str, font, x: int, bottom: int) -> None:
    """Text turned 90° anticlockwise, its end at (x, bottom)."""
    w = int(font.getlength(text)) + 2 if hasattr(font, "getlength") else 6 * len(text) + 2
    strip = Image.new("L", (max(w, 1), 16), 0)
    ImageDraw.Draw(strip).text((0, 0), text, fill=255, font=font)
    rotated = strip.rotate(90, expand=True)
    img.paste((0, 0, 0), (x, bottom - rotated.size[1], x + rotated.size[0], bottom), rotated)


def _colour_bar(img: Image.Image, draw: ImageDraw.ImageDraw, x: int, y: int, height: int, vmax: float) -> None:
    ramp = viridis(np.linspace(1.0, 0.0, height))[:, None, :].repeat(14, axis=1)
    img.paste(Image.fromarray(ramp, "RGB"), (x, y))
    draw.rectangle((x, y, x + 13, y + height - 1), outline="black")
    font = _font(11)
    draw.text((x + 18, y - 2), f"{vmax:.2f}", fill="black", font=font)
    draw.text((x + 18, y + height - 12), "0", fill="black", font=font)
    draw.text((x + 18, y + height // 2 - 6), "weight", fill="black", font=font)
