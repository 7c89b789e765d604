"""A labelled image set through a vision model, for the projector: the class-token vector of each
image (or each of its patch vectors), coloured by the image's label — `mlsp embed vit --data
builtin:digits` and the projector's "Held-out digits" source.

Points are labelled "digit 7 · #12" (class token) or "digit 7 · #12 r3 c1" (a patch), so a search
for "digit 7" finds the sevens. Metadata columns: digit (for builtin:digits; class for other sets),
the image's class and the default colouring; image (which image of the split); for patches row and
column. A model without a class token (the `patches` feature extractor) gives the mean of its patch
vectors as the image's vector."""
from __future__ import annotations

import numpy as np

from engine.contract.capabilities import Capability, InputKind
from engine.errors import InputError, ModelError
from engine.records.embeddings import Embeddings

DEFAULT_LIMIT = 200          # images embedded unless asked otherwise (of the 360 held-out digits)


def spread_pick(labels: np.ndarray, limit: int | None) -> np.ndarray:
    """Indices of `limit` items taking the classes in turn (the first of each class, then the second …),
    in the set's order; all items when limit is None or at least the set's size."""
    n = len(labels)
    if limit is None or limit >= n:
        return np.arange(n)
    if limit < 1:
        raise InputError(f"--limit must be at least 1, got {limit}.")
    rank = np.zeros(n, np.int64)
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        rank[idx] = np.arange(len(idx))
    order = np.lexsort((np.arange(n), rank))          # by rank within the class, then position
    return np.sort(order[:limit])


def _class_word(data: str) -> str:
    return "digit" if data.startswith("builtin:digits") else "class"


def embed_image_set(model, data: str = "builtin:digits", split: str = "test", limit: int | None = DEFAULT_LIMIT,
                    patches: bool = False, progress=None) -> Embeddings:
    """One point per image of `data`'s `split` (the first `limit`, classes in turn), or with `patches`
    one point per patch token of each; every point carries its image's label."""
    from engine.data.image_sets import load_image_set, resize_images

    if not model.can(Capability.EMBED) or InputKind.IMAGE not in model.ref.inputs:
        raise ModelError(f"model '{model.name}' does not embed images; choose a vision model (vit, vit-mae, rotnet, "
                         "simclr, cluster, patches or an hf: ViT folder).")
    found = load_image_set(data, split)
    if not found.labelled:
        raise InputError(f"the images of {found.name} have no labels to colour by; give builtin:digits, builtin:shapes "
                         "or a folder with one subfolder per class.")
    pick = spread_pick(found.labels, limit)
    size = int(getattr(model, "image_size", getattr(model, "size", found.images.shape[1])))
    if progress is not None:
        progress(0.2, f"embedding {len(pick)} images of {found.name}")
    images = resize_images(found.images[pick], size)
    names = [found.classes[y] for y in found.labels[pick]]
    word = _class_word(data)                           # the column's name and the labels' first word
    heads = [f"{word} {c} · #{i}" for c, i in zip(names, pick)]
    image_ids = [f"{split} {i}" for i in pick]
    if hasattr(model, "image_states"):
        states = model.image_states(images)
        token_labels = model.token_labels()[1:]
        cls, grid = states[:, 0], states[:, 1:]
    else:
        parts = [_embed_one(model, img, name) for img, name in zip(images, image_ids)]
        token_labels = parts[0].labels
        grid = np.stack([p.vectors for p in parts])
        cls = grid.mean(axis=1)
    if not patches:
        return Embeddings(labels=heads, vectors=np.ascontiguousarray(cls, np.float32), kind="image", model=model.name,
                          metadata={word: names, "image": image_ids})
    t = len(token_labels)
    rows = [lab.split()[0][1:] for lab in token_labels]
    cols = [lab.split()[1][1:] for lab in token_labels]
    return Embeddings(labels=[f"{h} {lab}" for h in heads for lab in token_labels],
                      vectors=np.ascontiguousarray(grid.reshape(-1, grid.shape[-1]), np.float32),
                      kind="image-patch", model=model.name,
                      metadata={word: [n for n in names for _ in range(t)],
                                "image": [i for i in image_ids for _ in range(t)], "row": rows * len(pick),
                                "column": cols * len(pick)})


def _embed_one(model, pixels: np.ndarray, name: str) -> Embeddings:
    """Patch vectors of one image through the model's own `embed_image` (models without batches)."""
    from engine.records.inputs import ImageInput

    data = (np.clip(pixels, 0, 1) * 255).round().astype(np.uint8)
    h, w = data.shape[:2]
    emb = model.embed_image(ImageInput(None, name, data, w, h, "RGB", ""))
    keep = [i for i, lab in enumerate(emb.labels) if lab != "[CLS]"]
    return Embeddings(labels=[emb.labels[i] for i in keep], vectors=emb.vectors[keep], kind=emb.kind, model=emb.model)
