"""`patches`: an image as ViT sees it — resized to 224 × 224 and cut into 196 patches of
16 × 16 × 3 values, in reading order — with brightness, row and column columns."""
import numpy as np
import pytest
from PIL import Image

from engine.errors import InputError
from engine.probes.image_patches import image_patches
from engine.projection.sources import SourceRequest, get_source
from engine.records.inputs import ImageInput
from engine.zoo import get_spec, load_model


def image(pixels, name="i.png") -> ImageInput:
    pixels = np.asarray(pixels, np.uint8)
    return ImageInput(path=None, name=name, pixels=pixels, width=pixels.shape[1], height=pixels.shape[0],
                      mode="RGB", note="")


@pytest.fixture(scope="module")
def patches():
    return load_model("patches", "cpu")


def test_patches_are_the_resized_image_in_reading_order(patches):
    rng = np.random.default_rng(0)
    px = rng.integers(0, 256, (300, 500, 3), dtype=np.uint8)
    emb = image_patches(patches, image(px))
    ref = np.asarray(Image.fromarray(px).resize((224, 224), Image.BILINEAR), np.float32) / 255
    assert emb.vectors.shape == (196, 768) and emb.kind == "image-patch" and emb.model == "patches"
    np.testing.assert_allclose(emb.vectors[0], ref[:16, :16].reshape(-1))              # r0 c0
    np.testing.assert_allclose(emb.vectors[14 * 3 + 5], ref[48:64, 80:96].reshape(-1))  # r3 c5
    assert emb.labels[14 * 3 + 5] == "r3 c5" and emb.metadata["row"][47] == "3" and emb.metadata["column"][47] == "5"


def test_brightness_thirds_follow_the_picture(patches):
    px = np.zeros((224, 224, 3), np.uint8)
    px[:75] = 250                       # a bright sky over a dark ground
    px[150:] = 10
    px[75:150] = 128
    emb = image_patches(patches, image(px))
    words = np.array(emb.metadata["brightness"]).reshape(14, 14)
    assert (words[0] == "bright").all() and (words[-1] == "dark").all() and (words[7] == "mid").all()
    assert list(emb.metadata) == ["brightness", "row", "column", "source"]


def test_registry_and_projector_source(patches):
    assert get_spec("patches").weights_status() == "none needed" and get_spec("patches").modality == "image"
    source = get_source("image-patches")
    assert source.default_model == "patches"
    with pytest.raises(InputError, match="needs an image input"):
        source.run(None, patches, SourceRequest())
    emb = source.run(_State(), patches, SourceRequest(image=image(np.full((64, 64, 3), 200))))
    assert len(emb.labels) == 196


class _State:
    def progress(self, *_a):
        pass
