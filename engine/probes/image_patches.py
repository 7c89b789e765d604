"""Image patches as vectors: the image resized to the model's square and cut into a grid of
patches, each one flattened (row-major, RGB in 0..1), as a vision transformer's patch embedding
layer sees it before its projection; with columns to colour by (brightness in thirds, row, column)."""
from __future__ import annotations

import numpy as np

from engine.records.embeddings import Embeddings
from engine.records.inputs import ImageInput


def resized(image: ImageInput, size: int) -> np.ndarray:
    """(size, size, 3) float32 pixels in 0..1 (bilinear, the whole image squeezed to a square as
    ViT's preprocessing does)."""
    from PIL import Image

    img = Image.fromarray(np.asarray(image.pixels, np.uint8), "RGB").resize((size, size), Image.BILINEAR)
    return np.asarray(img, np.float32) / 255.0


def image_patches(model, image: ImageInput) -> Embeddings:
    """(grid², 3·patch²) vectors of `image`, labelled "r3 c7" (row 3, column 7 of the grid)."""
    size, p = model.size, model.patch
    g = size // p
    pixels = resized(image, size)
    blocks = pixels[:g * p, :g * p].reshape(g, p, g, p, 3).transpose(0, 2, 1, 3, 4)   # (row, col, y, x, rgb)
    vectors = np.ascontiguousarray(blocks.reshape(g * g, p * p * 3), dtype=np.float32)
    means = blocks.reshape(g * g, p * p, 3).mean(axis=1)
    light = means.mean(axis=1)
    edges = np.quantile(light, [1 / 3, 2 / 3]) if len(light) > 2 else np.array([0.33, 0.66])
    rows, cols = np.divmod(np.arange(g * g), g)
    metadata = {"brightness": ["dark" if v <= edges[0] else "mid" if v <= edges[1] else "bright" for v in light],
                "row": [str(r) for r in rows], "column": [str(c) for c in cols], "source": [image.name] * (g * g)}
    labels = [f"r{r} c{c}" for r, c in zip(rows, cols)]
    return Embeddings(labels=labels, vectors=vectors, kind="image-patch", model=model.name, metadata=metadata)
