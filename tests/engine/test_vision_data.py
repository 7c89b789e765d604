"""Image sets for the vision models: the digits' fixed split, the shapes generator, image folders
(labelled, unlabelled, with a stray text file, empty, one class) and the linear probe."""
import numpy as np
import pytest
from PIL import Image

from engine.data.image_sets import digits, digits_split, image_folder, load_image_set, resize_images
from engine.data.shapes import SHAPES, make_shapes
from engine.errors import InputError
from engine.probes.linear_probe import fit_and_score, sample_per_class
from engine.records.vision import FeatureSet


def test_digits_split_is_fixed_disjoint_and_stratified():
    train, test = digits_split()
    assert len(train) == 1437 and len(test) == 360 and not set(train) & set(test)
    assert np.array_equal(digits_split()[1], test)
    t = digits("test")
    assert t.images.shape == (360, 8, 8, 3) and 0 <= t.images.min() and t.images.max() <= 1
    assert np.bincount(t.labels).min() >= 34                 # every class in the test split


def test_shapes_are_deterministic_and_labelled():
    a, la = make_shapes(20, seed=5)
    b, lb = make_shapes(20, seed=5)
    c, _ = make_shapes(20, seed=6)
    assert np.array_equal(a, b) and np.array_equal(la, lb) and not np.array_equal(a, c)
    assert a.shape == (20, 32, 32, 3) and set(la) <= set(range(len(SHAPES)))
    # every image has a shape: its pixels are not all the background colour
    assert all(img.reshape(-1, 3).std(axis=0).max() > 0.05 for img in a)


def _save(path, colour, size=(10, 12)):
    Image.new("RGB", size, colour).save(path)


def test_folder_with_class_subfolders_and_a_text_file(tmp_path):
    for name, colour in (("red", (255, 0, 0)), ("blue", (0, 0, 255))):
        (tmp_path / name).mkdir()
        for i in range(5):
            _save(tmp_path / name / f"{i}.png", colour)
    (tmp_path / "red" / "notes.txt").write_text("not an image")
    (tmp_path / "blue" / "broken.png").write_bytes(b"not really a png")
    found = image_folder(tmp_path, "all")
    assert found.classes == ["blue", "red"] and len(found) == 10 and found.images.shape[1:] == (32, 32, 3)
    assert "notes.txt" in found.note and "broken.png" in found.note
    assert np.allclose(found.images[found.labels == 1][:, :, :, 0], 1.0)
    train, test = image_folder(tmp_path, "train"), image_folder(tmp_path, "test")
    assert len(train) + len(test) == 10 and len(test) == 2


def test_unlabelled_empty_and_one_class_folders(tmp_path):
    flat = tmp_path / "flat"
    flat.mkdir()
    for i in range(3):
        _save(flat / f"{i}.jpg", (i * 50, 0, 0))
    found = load_image_set(str(flat), "all")
    assert len(found) == 3 and not found.labelled
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "readme.txt").write_text("hello")
    with pytest.raises(InputError, match="holds no images"):
        image_folder(empty)
    with pytest.raises(InputError, match="no built-in image set"):
        load_image_set("builtin:nope")
    one = FeatureSet(np.zeros((4, 2), np.float32), np.zeros(4, np.int64), ["a"], "one")
    with pytest.raises(InputError, match="only one class"):
        fit_and_score(one, one, None, 0)
    unl = FeatureSet(np.zeros((4, 2), np.float32), -np.ones(4, np.int64), [], "flat")
    with pytest.raises(InputError, match="unlabelled"):
        fit_and_score(unl, unl, None, 0)


def test_resize_keeps_range_and_shape():
    x = np.random.RandomState(0).rand(2, 8, 8, 3).astype(np.float32)
    y = resize_images(x, 32)
    assert y.shape == (2, 32, 32, 3) and 0 <= y.min() and y.max() <= 1
    assert abs(y.mean() - x.mean()) < 0.02


def test_sample_per_class_and_a_separable_probe():
    rng = np.random.RandomState(0)
    labels = np.repeat(np.arange(3), 50)
    pick = sample_per_class(labels, 7, seed=1)
    assert np.bincount(labels[pick]).tolist() == [7, 7, 7]
    assert not np.array_equal(pick, sample_per_class(labels, 7, seed=2))
    feats = rng.normal(size=(150, 4)).astype(np.float32) * 0.1
    feats[np.arange(150), labels] += 3.0                      # class c lights up feature c
    train = FeatureSet(feats[::2], labels[::2], ["a", "b", "c"])
    test = FeatureSet(feats[1::2], labels[1::2], ["a", "b", "c"])
    result = fit_and_score(train, test, 5, 0)
    assert result.accuracy == 1.0 and result.train_items == 15 and result.test_items == 75
    shuffled = FeatureSet(rng.normal(size=(150, 4)).astype(np.float32), labels, ["a", "b", "c"])
    assert fit_and_score(shuffled, shuffled, 5, 0).accuracy < 0.7       # noise is not linearly readable
