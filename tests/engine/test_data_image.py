"""Image inputs from real files: every PIL mode to RGB, alpha on white (checked against Pillow's
own compositing), 16-bit scaled, CMYK, and bombs refused from the header."""
from __future__ import annotations

import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from engine.data import detect_kind, inspect, load_input, read_image
from engine.errors import InputError
from engine.records.inputs import ImageInput


def _gradient(h: int = 24, w: int = 32) -> np.ndarray:
    y, x = np.mgrid[0:h, 0:w]
    return np.stack([x * 255 // (w - 1), y * 255 // (h - 1), (x + y) % 256], axis=2).astype(np.uint8)


def _on_white_by_pillow(im: Image.Image) -> np.ndarray:
    rgba = im.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return np.asarray(Image.alpha_composite(white, rgba).convert("RGB"), dtype=np.int16)


def test_rgb_png_round_trips_exactly(tmp_path):
    pixels = _gradient()
    path = tmp_path / "rgb.png"
    Image.fromarray(pixels).save(path)
    img = load_input(path)
    assert isinstance(img, ImageInput)
    assert (img.width, img.height, img.mode, img.note) == (32, 24, "RGB", "")
    assert img.pixels.dtype == np.uint8
    np.testing.assert_array_equal(img.pixels, pixels)
    assert inspect(path).summary == "32×24 RGB"


def test_grayscale_and_one_bit_become_grey_rgb(tmp_path):
    grey = _gradient()[:, :, 0]
    Image.fromarray(grey).save(tmp_path / "l.png")
    img = read_image(tmp_path / "l.png")
    assert img.mode == "L"
    np.testing.assert_array_equal(img.pixels, np.repeat(grey[:, :, None], 3, axis=2))
    Image.fromarray(grey > 127).save(tmp_path / "bw.png")
    bw = read_image(tmp_path / "bw.png")
    np.testing.assert_array_equal(bw.pixels[:, :, 1], np.where(grey > 127, 255, 0))


@pytest.mark.parametrize("mode", ["RGBA", "LA"])
def test_alpha_is_composited_on_white_like_pillow(tmp_path, mode):
    rgb = _gradient()
    alpha = np.tile(np.linspace(0, 255, 32).astype(np.uint8), (24, 1))
    im = Image.fromarray(np.dstack([rgb, alpha]), "RGBA")
    im = im if mode == "RGBA" else Image.merge("LA", (im.convert("L"), im.getchannel("A")))
    path = tmp_path / f"{mode}.png"
    im.save(path)
    img = read_image(path)
    assert img.mode == mode
    reference = _on_white_by_pillow(Image.open(path))
    assert np.abs(img.pixels.astype(np.int16) - reference).max() <= 1
    np.testing.assert_array_equal(img.pixels[:, 0], 255)          # fully transparent column is white


def test_palette_with_and_without_transparency(tmp_path):
    base = Image.fromarray(_gradient()).quantize(colors=16)
    base.save(tmp_path / "p.png")
    img = read_image(tmp_path / "p.png")
    assert img.mode == "P"
    np.testing.assert_array_equal(img.pixels, np.asarray(Image.open(tmp_path / "p.png").convert("RGB")))
    base.save(tmp_path / "pt.png", transparency=0)
    img_t = read_image(tmp_path / "pt.png")
    reference = _on_white_by_pillow(Image.open(tmp_path / "pt.png"))
    np.testing.assert_array_equal(img_t.pixels.astype(np.int16), reference)
    assert (np.asarray(base) == 0).any() and (img_t.pixels[np.asarray(base) == 0] == 255).all()


def test_sixteen_bit_grey_is_scaled_not_clipped(tmp_path):
    levels = (np.arange(24 * 32).reshape(24, 32) * 85).astype(np.uint16)        # 0 .. 65195
    path = tmp_path / "deep.png"
    Image.fromarray(levels).save(path)
    img = read_image(path)
    assert img.mode.startswith("I")
    expected = np.rint(levels / 257.0).astype(np.uint8)
    np.testing.assert_array_equal(img.pixels[:, :, 0], expected)
    assert img.pixels[:, :, 0].max() > 250 and img.pixels[:, :, 0].min() == 0


def test_cmyk_uses_the_standard_conversion(tmp_path):
    cmyk = np.array([[[255, 0, 0, 0], [0, 255, 0, 0], [0, 0, 255, 0]],
                     [[0, 0, 0, 255], [0, 0, 0, 0], [0, 0, 0, 128]]], dtype=np.uint8)
    path = tmp_path / "print.tif"
    Image.fromarray(cmyk, "CMYK").save(path)
    img = read_image(path)
    assert img.mode == "CMYK"
    expected = [[[0, 255, 255], [255, 0, 255], [255, 255, 0]], [[0, 0, 0], [255, 255, 255], [127, 127, 127]]]
    np.testing.assert_array_equal(img.pixels, np.array(expected, dtype=np.uint8))


def test_animated_gif_gives_its_first_frame_and_says_so(tmp_path):
    frames = [Image.fromarray(np.full((8, 8, 3), v, np.uint8)) for v in (10, 120, 240)]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    img = read_image(path)
    assert img.note == "first of 3 frames"
    assert inspect(path).summary.endswith("3 frames")
    np.testing.assert_array_equal(img.pixels, np.asarray(Image.open(path).convert("RGB")))


def test_exif_orientation_is_applied(tmp_path):
    im = Image.fromarray(_gradient(10, 20))
    exif = Image.Exif()
    exif[0x0112] = 6                                    # rotate 90° clockwise to display
    path = tmp_path / "phone.jpg"
    im.save(path, exif=exif)
    img = read_image(path)
    assert (img.width, img.height) == (10, 20)


def _png_declaring(width: int, height: int) -> bytes:
    """A PNG header for a huge RGB image, with a tiny (wrong-sized) data chunk: only the header lies."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def test_decompression_bomb_is_refused_from_the_header(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_declaring(50000, 50000))
    with pytest.raises(InputError, match=r"bomb\.png declares an image so large \(2,500,000,000 pixels\)"):
        read_image(path)
    with pytest.raises(InputError, match="decompression bomb"):
        inspect(path)


def test_image_over_the_pixel_budget_is_refused_with_the_limit(tmp_path):
    path = tmp_path / "poster.png"
    path.write_bytes(_png_declaring(10000, 6000))
    with pytest.raises(InputError, match=r"poster\.png declares 10000×6000 = 60,000,000 pixels, over the limit of "
                                         r"50,000,000"):
        load_input(path)


def test_truncated_and_fake_images_are_refused(tmp_path):
    full = tmp_path / "full.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(full)
    cut = tmp_path / "cut.png"
    cut.write_bytes(full.read_bytes()[:3000])
    with pytest.raises(InputError, match=r"cut\.png could not be decoded"):
        read_image(cut)
    fake = tmp_path / "fake.png"
    fake.write_text("not a picture\n", encoding="utf-8")
    assert detect_kind(fake) == "image"
    with pytest.raises(InputError, match=r"fake\.png is not an image that can be read"):
        read_image(fake)
    magic_only = tmp_path / "picture"
    magic_only.write_bytes(full.read_bytes())
    assert detect_kind(magic_only) == "image"
