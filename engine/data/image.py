"""Image inputs through Pillow: the size is checked from the header before any decoding
(decompression bombs refused), then every mode becomes (H, W, 3) uint8 RGB — alpha composited
on white, 16-bit and float scaled (not clipped), CMYK converted with the standard formula."""
from __future__ import annotations

import os
import re
import struct
import warnings

import numpy as np

from engine.data.files import as_path, file_size, open_binary, os_error
from engine.errors import InputError
from engine.records.inputs import IMAGE, ImageInput, InputInfo

DEFAULT_MAX_PIXELS = 50_000_000      # 50 megapixels: 150 MB as RGB


def _open_image(f, p):
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(f)
    except Image.DecompressionBombError as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))
        declared = f" ({int(found.group(1)):,} pixels)" if found else ""
        raise InputError(f"{p} declares an image so large{declared} that decoding it could exhaust memory "
                         f"(a decompression bomb); images are limited to {DEFAULT_MAX_PIXELS:,} pixels.") from None
    except UnidentifiedImageError:
        raise InputError(f"{p} is not an image that can be read; use PNG, JPEG, GIF, BMP, TIFF or WebP.") from None
    except OSError as exc:
        raise os_error(p, exc) from None
    except (ValueError, SyntaxError, struct.error) as exc:
        raise InputError(f"{p} has a damaged image header ({exc}).") from None


def _check_size(p, width: int, height: int, max_pixels: int) -> None:
    if width <= 0 or height <= 0:
        raise InputError(f"{p} declares a {width}×{height} image, which has no pixels.")
    if width * height > max_pixels:
        raise InputError(f"{p} declares {width}×{height} = {width * height:,} pixels, over the limit of "
                         f"{max_pixels:,} pixels for one image; scale it down first.")


def read_image(path: str | os.PathLike, max_pixels: int | None = None) -> ImageInput:
    """RGB pixels of `path` (first frame of an animation), upright per its EXIF orientation."""
    from PIL import Image, ImageOps

    p = as_path(path)
    limit = int(max_pixels or DEFAULT_MAX_PIXELS)
    if file_size(p) == 0:
        raise InputError(f"{p} is empty (0 bytes); there is no image to load.")
    with open_binary(p) as f, _open_image(f, p) as im:
        width, height = im.size
        _check_size(p, width, height, limit)
        mode = im.mode
        n_frames = int(getattr(im, "n_frames", 1) or 1)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                im.load()
                im = ImageOps.exif_transpose(im) or im
                pixels = to_rgb(im)
        except OSError as exc:
            raise InputError(f"{p} could not be decoded ({exc}); the file may be truncated or damaged.") from None
        except (ValueError, SyntaxError) as exc:
            raise InputError(f"{p} could not be decoded ({exc}).") from None
    note = f"first of {n_frames} frames" if n_frames > 1 else ""
    h, w = pixels.shape[:2]
    return ImageInput(path=str(p), name=p.name, pixels=pixels, width=int(w), height=int(h), mode=mode, note=note)


def to_rgb(im) -> np.ndarray:
    """(H, W, 3) uint8 from any PIL image mode."""
    mode = im.mode
    if mode == "RGB":
        return np.asarray(im, dtype=np.uint8).copy()
    if mode.startswith("I") or mode == "F":
        gray = _scale_to_8bit(np.asarray(im), mode)
        return np.repeat(gray[:, :, None], 3, axis=2)
    if mode == "CMYK":
        return cmyk_to_rgb(np.asarray(im, dtype=np.uint8))
    if mode in ("RGBA", "LA", "La", "RGBa", "PA") or "transparency" in im.info:
        return composite_on_white(np.asarray(im if mode == "RGBA" else im.convert("RGBA"), dtype=np.uint8))
    try:
        return np.asarray(im.convert("RGB"), dtype=np.uint8).copy()
    except (ValueError, OSError):
        raise InputError(f"images in PIL mode {mode} are not supported; save it as an RGB PNG.") from None


def _scale_to_8bit(a: np.ndarray, mode: str) -> np.ndarray:
    """16-bit / 32-bit integer or float grey levels -> uint8 (full range kept, not clipped)."""
    lo_v, hi_v = (float(a.min()), float(a.max())) if a.size else (0.0, 0.0)
    if mode == "F":
        lo, hi = (0.0, 1.0) if lo_v >= 0 and hi_v <= 1 else (lo_v, hi_v)
    elif mode.startswith("I;16") or (lo_v >= 0 and 255 < hi_v <= 65535):
        lo, hi = 0.0, 65535.0
    elif lo_v >= 0 and hi_v <= 255:
        lo, hi = 0.0, 255.0
    else:
        lo, hi = lo_v, hi_v
    scale = 255.0 / max(hi - lo, 1e-12)
    return _by_rows(a, 1, lambda rows: np.rint((rows.astype(np.float64) - lo) * scale))[:, :, 0]


def _by_rows(a: np.ndarray, channels: int, fn) -> np.ndarray:
    """Apply `fn` (rows -> float values) a band of rows at a time, so temporaries stay small; -> uint8."""
    out = np.empty(a.shape[:2] + (channels,), np.uint8)
    step = max(1, (1 << 20) // max(1, a.shape[1]))             # about a million pixels per band
    for top in range(0, a.shape[0], step):
        band = np.clip(fn(a[top:top + step]), 0, 255)
        out[top:top + step] = band.reshape(band.shape[:2] + (channels,))
    return out


def cmyk_to_rgb(cmyk: np.ndarray) -> np.ndarray:
    """(H, W, 4) uint8 CMYK -> (H, W, 3) uint8 RGB: R = 255·(1 - C)(1 - K), and so on."""
    def convert(rows: np.ndarray) -> np.ndarray:
        c = rows.astype(np.float64) / 255.0
        return np.rint(255.0 * (1.0 - c[..., :3]) * (1.0 - c[..., 3:4]))
    return _by_rows(cmyk, 3, convert)


def composite_on_white(rgba: np.ndarray) -> np.ndarray:
    """(H, W, 4) uint8 straight alpha -> (H, W, 3) uint8 over a white background."""
    def convert(rows: np.ndarray) -> np.ndarray:
        a = rows[..., 3:4].astype(np.float64) / 255.0
        return np.rint(rows[..., :3].astype(np.float64) * a + 255.0 * (1.0 - a))
    return _by_rows(rgba, 3, convert)


def inspect_image(path: str | os.PathLike, max_pixels: int | None = None) -> InputInfo:
    """'640×480 RGBA' from the header alone (no pixel is decoded)."""
    p = as_path(path)
    size = file_size(p)
    if size == 0:
        raise InputError(f"{p} is empty (0 bytes); there is no image to load.")
    with open_binary(p) as f, _open_image(f, p) as im:
        width, height = im.size
        _check_size(p, width, height, int(max_pixels or DEFAULT_MAX_PIXELS))
        summary = f"{width}×{height} {im.mode}"
        n_frames = int(getattr(im, "n_frames", 1) or 1)
    if n_frames > 1:
        summary += f", {n_frames} frames"
    return InputInfo(str(p), p.name, IMAGE, size, summary)
