"""Held-out digits through a vision model for the projector: one class-token point per digit (or
one per patch), each carrying its image's digit, and the projector source that serves them."""
import numpy as np
import pytest

from engine.data.image_sets import digits, resize_images
from engine.errors import InputError, ModelError
from engine.probes.labelled_images import embed_image_set, spread_pick
from tests.engine.vision_tiny import image, tiny_model


def test_one_point_per_digit_with_its_label():
    model = tiny_model("vit", seed=0)
    emb = embed_image_set(model, "builtin:digits", "test", limit=None)
    test = digits("test")
    assert emb.vectors.shape == (360, 16) and len(emb.labels) == 360
    assert emb.metadata["digit"] == [str(y) for y in test.labels]
    assert emb.metadata["image"][12] == "test 12" and emb.labels[12] == f"digit {test.labels[12]} · #12"
    feats = model.image_features(resize_images(test.images, 32))      # the linear probe's class tokens
    np.testing.assert_allclose(emb.vectors, feats, atol=1e-5)


def test_a_limit_takes_the_classes_in_turn():
    emb = embed_image_set(tiny_model("vit"), "builtin:digits", "test", limit=30)
    assert len(emb.labels) == 30 and sorted(emb.metadata["digit"]) == sorted([str(d) for d in range(10)] * 3)
    labels = np.array([0, 0, 0, 1, 1, 2])
    assert list(spread_pick(labels, 4)) == [0, 1, 3, 5] and list(spread_pick(labels, None)) == list(range(6))
    with pytest.raises(InputError):
        spread_pick(labels, 0)


def test_patch_points_carry_the_digit_of_their_image():
    model = tiny_model("vit-mae", seed=1)
    emb = embed_image_set(model, "builtin:digits", "test", limit=3, patches=True)
    assert emb.vectors.shape == (3 * 64, 16) and emb.kind == "image-patch"
    first = digits("test").labels[0]
    assert emb.labels[9] == f"digit {first} · #0 r1 c1"
    assert set(emb.metadata["digit"][:64]) == {str(first)} and emb.metadata["row"][9] == "1"
    one = model.embed_image(_as_input(digits("test").images[0]))
    np.testing.assert_allclose(emb.vectors[:64], one.vectors[1:], atol=2e-2)    # uint8 rounding of the input


def _as_input(pixels):
    from engine.records.inputs import ImageInput

    data = (resize_images(pixels[None], 32)[0] * 255).round().astype(np.uint8)
    return ImageInput(None, "digit", data, 32, 32, "RGB", "")


def test_the_projector_source_adds_the_input_image():
    from engine.projection.sources import SourceRequest, get_source
    from engine.zoo import resolve

    class State:
        def progress(self, *_a):
            pass

    spec = get_source("digits")
    model = tiny_model("vit")
    got = spec.run(State(), model, SourceRequest(image=image(), options={"limit": 20, "patches": 0}))
    assert len(got.labels) == 21 and got.labels[-1].startswith("▶ your image")
    assert got.metadata["digit"][-1] == "▶ your image" and set(got.metadata["digit"][:20]) == set("0123456789")
    assert not spec.accepts(resolve("minilm")) and spec.accepts(model.ref)


def test_a_model_that_embeds_no_images_is_refused():
    from engine.zoo import load_model

    with pytest.raises(ModelError, match="vision model"):
        embed_image_set(load_model("word2vec", "cpu"), "builtin:digits")
