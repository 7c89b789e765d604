"""Where a linear probe's frozen features come from, by the kind of the data (`mlsp probe --data`).

FEATURE_SOURCES maps a data kind to a function (model, data, split) -> FeatureSet. "images" covers
builtin:digits, builtin:shapes and image folders; "words" builtin:words and spoken-word folders.
`data_kind(data)` tells which kind a --data value is.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from engine.errors import InputError
from engine.records.vision import FeatureSet


def image_features(model, data: str, split: str) -> FeatureSet:
    """Class-token features (or, for models without one, mean patch vectors) of every image of `split`."""
    from engine.data.image_sets import load_image_set, resize_images
    from engine.records.inputs import ImageInput

    found = load_image_set(data, split)
    size = int(getattr(model, "image_size", found.images.shape[1]))
    images = resize_images(found.images, size)
    if hasattr(model, "image_features"):
        feats = model.image_features(images)
    else:
        rows = []
        for i, img in enumerate(images):
            pixels = (img * 255).round().astype(np.uint8)
            item = ImageInput(None, f"{i}", pixels, size, size, "RGB", "")
            rows.append(model.embed_image(item).vectors.mean(axis=0))
        feats = np.stack(rows)
    return FeatureSet(np.asarray(feats, np.float32), found.labels, list(found.classes), found.name)


FEATURE_SOURCES: dict[str, Callable[..., FeatureSet]] = {"images": image_features}
KIND_TESTS: list[tuple[str, Callable[[str], bool]]] = []


def _is_images(data: str) -> bool:
    from engine.data.image_sets import is_image_data

    return is_image_data(data)


KIND_TESTS.append(("images", _is_images))


def data_kind(data: str) -> str:
    """The FEATURE_SOURCES key of a --data value; InputError naming what works otherwise."""
    for kind, test in KIND_TESTS:
        if test(data):
            return kind
    raise InputError(f"cannot probe on '{data}': give builtin:digits, builtin:shapes, a folder of images "
                     "(one subfolder per class), builtin:words or a folder of spoken words (one subfolder per word).")


def features(model, data: str, split: str) -> FeatureSet:
    return FEATURE_SOURCES[data_kind(data)](model, data, split)


def word_clip_features(model, data: str, split: str) -> FeatureSet:
    """Pooled utterance features of every clip of a spoken-word corpus's `split` (engine.probes.word_features)."""
    from engine.probes.word_features import word_features

    found = word_features(model, data, split)
    return FeatureSet(found.X, found.y, list(found.label_names), found.data)


def _is_words(data: str) -> bool:
    from pathlib import Path

    if data.startswith("builtin:words"):
        return True
    folder = Path(data)
    audio = {".wav", ".flac", ".ogg", ".mp3", ".opus"}
    return folder.is_dir() and any(p.suffix.lower() in audio for p in folder.glob("*/*"))


FEATURE_SOURCES["words"] = word_clip_features
KIND_TESTS.append(("words", _is_words))
