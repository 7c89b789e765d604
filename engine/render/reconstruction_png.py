"""MAE's four-panel figure as a PNG: original | masked | reconstruction | reconstruction with the
visible patches pasted back (Pillow only, nearest-neighbour enlarged)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from engine.records.vision import Reconstruction

TITLES = ("original", "masked", "reconstruction", "visible + reconstruction")


def render_reconstruction_png(rec: Reconstruction, path: str | Path, cell: int = 192) -> Path:
    from PIL import Image, ImageDraw

    panels = [rec.original, rec.masked, rec.reconstruction, rec.pasted]
    gap, top = 8, 20
    canvas = Image.new("RGB", (4 * cell + 5 * gap, cell + top + gap), "white")
    draw = ImageDraw.Draw(canvas)
    for i, (title, img) in enumerate(zip(TITLES, panels)):
        x = gap + i * (cell + gap)
        tile = Image.fromarray((np.clip(img, 0, 1) * 255).round().astype(np.uint8), "RGB").resize((cell, cell), Image.NEAREST)
        canvas.paste(tile, (x, top))
        draw.text((x, 4), title, fill=(0, 0, 0))
    path = Path(path)
    canvas.save(path)
    return path
