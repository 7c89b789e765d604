"""Sets of images to train and probe vision models on (`--data` of vit, vit-mae and the pretext
models; `mlsp probe --data`):

    builtin:digits   scikit-learn's 1,797 handwritten digits (8 × 8, grey), a fixed stratified split:
                     1,437 train, 360 test; the test digits are never seen in pre-training
    builtin:shapes   the project's shapes (engine.data.shapes): 6,000 train, 1,000 test, 32 × 32
    a folder         one subfolder per class (labelled), or images directly inside (unlabelled);
                     files that are not images are skipped and named in the set's note

`load_image_set(data, split)` -> ImageSet with images at their own size; `resize_images` brings
them to a model's square."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from engine.errors import InputError
from engine.records.vision import ImageSet

BUILTIN_IMAGE_SETS = {
    "digits": "scikit-learn's 1,797 handwritten digits (8 × 8 grey); 1,437 train / 360 test, fixed split",
    "shapes": "the project's labelled shapes (circle, square, triangle, cross, ring; 32 × 32, colours, textures)",
}
SPLITS = ("train", "test", "all")
DIGITS_TEST = 360
SHAPES_TRAIN, SHAPES_TEST = 6000, 1000
MAX_FOLDER_IMAGES = 20_000


def is_image_data(data: str | None) -> bool:
    """True for builtin:digits, builtin:shapes or an existing folder."""
    if data is None:
        return False
    if data.startswith("builtin:"):
        return data[8:] in BUILTIN_IMAGE_SETS
    return Path(data).expanduser().is_dir()


def load_image_set(data: str, split: str = "train") -> ImageSet:
    """The images of `data` (builtin:digits, builtin:shapes or a folder) for `split`."""
    if split not in SPLITS:
        raise InputError(f"split must be one of {', '.join(SPLITS)}, not '{split}'.")
    if data == "builtin:digits":
        return digits(split)
    if data == "builtin:shapes":
        return shapes(split)
    if data.startswith("builtin:"):
        raise InputError(f"there is no built-in image set '{data}'; use "
                         f"{' or '.join('builtin:' + k for k in BUILTIN_IMAGE_SETS)}, or a folder of images.")
    return image_folder(data, split)


def digits_split() -> tuple[np.ndarray, np.ndarray]:
    """(train indices, test indices) of the 1,797 digits: stratified, fixed (seed 0)."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    y = load_digits().target
    idx = np.arange(len(y))
    train, test = train_test_split(idx, test_size=DIGITS_TEST, random_state=0, stratify=y)
    return np.sort(train), np.sort(test)


def digits(split: str = "train") -> ImageSet:
    from sklearn.datasets import load_digits

    d = load_digits()
    grey = (d.images / 16.0).astype(np.float32)
    images = np.repeat(grey[..., None], 3, axis=3)
    labels = d.target.astype(np.int64)
    if split != "all":
        train, test = digits_split()
        pick = train if split == "train" else test
        images, labels = images[pick], labels[pick]
    return ImageSet(name=f"builtin:digits ({split})", images=images, labels=labels, classes=[str(i) for i in range(10)])


def shapes(split: str = "train") -> ImageSet:
    from engine.data.shapes import SHAPES, make_shapes

    parts = []
    if split in ("train", "all"):
        parts.append(make_shapes(SHAPES_TRAIN, seed=0))
    if split in ("test", "all"):
        parts.append(make_shapes(SHAPES_TEST, seed=1))
    images = np.concatenate([p[0] for p in parts])
    labels = np.concatenate([p[1] for p in parts])
    return ImageSet(name=f"builtin:shapes ({split})", images=images, labels=labels, classes=list(SHAPES))


def _image_files(folder: Path) -> tuple[list[Path], list[str]]:
    """(image files, names of the other files) directly in `folder`, sorted."""
    from engine.data.kinds import IMAGE_EXTENSIONS

    images, others = [], []
    for p in sorted(folder.iterdir()):
        if p.is_file() and not p.name.startswith("."):
            (images if p.suffix.lower() in IMAGE_EXTENSIONS else others).append(p)
    return images, [p.name for p in others]


def image_folder(path: str | os.PathLike, split: str = "all", size: int = 32) -> ImageSet:
    """A folder of images, each resized to `size` × `size`: one subfolder per class, or the images
    directly inside (unlabelled). Split: every fifth image (sorted by name) is test."""
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise InputError(f"'{folder}' is not a folder; give builtin:digits, builtin:shapes or a folder of images.")
    classes = sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    files, labels, skipped = [], [], []
    if classes:
        for i, name in enumerate(classes):
            found, others = _image_files(folder / name)
            files += found
            labels += [i] * len(found)
            skipped += [f"{name}/{o}" for o in others]
        classes = [c for i, c in enumerate(classes) if i in set(labels)]
        remap = {old: new for new, old in enumerate(sorted(set(labels)))}
        labels = [remap[v] for v in labels]
    else:
        files, skipped = _image_files(folder)
        labels = [-1] * len(files)
    if not files:
        raise InputError(f"the folder {folder} holds no images (PNG, JPEG, BMP, WebP, ...) directly or in "
                         "class subfolders; put the images in it, one subfolder per class.")
    if len(files) > MAX_FOLDER_IMAGES:
        raise InputError(f"the folder {folder} holds {len(files):,} images, over the limit of {MAX_FOLDER_IMAGES:,}.")
    return _read_folder(folder, files, labels, classes, skipped, split, size)


def _read_folder(folder, files, labels, classes, skipped, split, size) -> ImageSet:
    from engine.data.image import read_image

    images, kept = [], []
    for p, label in zip(files, labels):
        try:
            img = read_image(p)
        except InputError as exc:
            skipped.append(f"{p.name} ({exc})")
            continue
        images.append(resize_images(img.pixels[None].astype(np.float32) / 255.0, size)[0])
        kept.append(label)
    if not images:
        raise InputError(f"none of the {len(files)} image files in {folder} could be read: {skipped[0]}")
    order = np.arange(len(images))
    if split != "all":
        is_test = order % 5 == 4
        order = order[is_test] if split == "test" else order[~is_test]
    note = f"skipped {len(skipped)} file(s): {', '.join(skipped[:5])}" if skipped else ""
    return ImageSet(name=f"{folder.name} ({split})", images=np.stack(images)[order],
                    labels=np.asarray(kept, np.int64)[order], classes=list(classes), note=note)


def resize_images(images: np.ndarray, size: int) -> np.ndarray:
    """(N, H, W, 3) float32 in 0..1 -> (N, size, size, 3) float32 (bilinear, squeezed to a square)."""
    from PIL import Image

    n, h, w = images.shape[:3]
    if h == size and w == size:
        return images.astype(np.float32, copy=False)
    out = np.empty((n, size, size, 3), np.float32)
    for i in range(n):
        for c in range(3):
            band = Image.fromarray(images[i, :, :, c].astype(np.float32), "F")
            out[i, :, :, c] = np.asarray(band.resize((size, size), Image.BILINEAR), np.float32)
    return np.clip(out, 0.0, 1.0)


def digit_image(index: int):
    """Held-out digit `index` (of the 360 test digits) as an 8 × 8 ImageInput."""
    from engine.records.inputs import ImageInput

    test = digits("test")
    i = int(index) % len(test)
    pixels = (test.images[i] * 255).round().astype(np.uint8)
    return ImageInput(path=None, name=f"test digit {i} (a {test.classes[test.labels[i]]})", pixels=pixels,
                      width=8, height=8, mode="L", note="")
