"""Reading and resizing images with Pillow: the only module that imports it.

Pillow is imported inside the functions, so commands that never touch an image (and
``rgsite --help``) do not pay for it. Output is deterministic, because builds are
compared byte for byte: fixed quality and settings, no EXIF, XMP, comments or
timestamps written, and the same bytes from the same input and Pillow. The EXIF
orientation is applied first, so a phone's portrait photo stays upright once its
metadata is gone; a colour profile other than sRGB is kept, so colours stay right.

Anything wrong with a file — not an image, truncated, a decompression bomb — is an
:class:`Unreadable` with a short reason, never a crash: images come from anyone.
"""

from __future__ import annotations

import contextlib
import io
import math
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL.Image import Image

FORMATS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp"}
JPEG_QUALITY = 82
WEBP_QUALITY = 80
MAX_PIXELS = 64_000_000
"""Larger images are not decoded: a 12-megapixel photo is 12,000,000; a file claiming
more than this is far more likely a decompression bomb than a picture for a web page."""
_ROTATED = (5, 6, 7, 8)
"""EXIF orientations that swap width and height."""


class Unreadable(Exception):
    """The bytes are not an image rgsite can resize; ``str()`` says why."""


def inspect(data: bytes) -> dict[str, Any]:
    """What a page needs to know of an image: width and height as shown, format,
    transparency, and whether it is animated (then it is published as it is).

    Decodes the whole image, so a truncated file is found here, not while writing.
    """
    from PIL import features

    with _quiet():
        image = _open(data)
    try:
        width, height = image.size
        if _orientation(image) in _ROTATED:
            width, height = height, width
        animated = bool(getattr(image, "is_animated", False))
        if image.format == "JPEG":  # decoding at an eighth of the size reads every byte too
            image.draft(None, (max(1, image.width // 8), max(1, image.height // 8)))
        with _quiet():
            _load(image)
        return {
            "width": width,
            "height": height,
            "format": FORMATS[str(image.format)],
            "alpha": _has_alpha(image),
            "animated": animated,
            "webp": bool(features.check("webp")),
        }
    finally:
        image.close()


def resize(data: bytes, width: int, height: int, *, crop: bool, fmt: str) -> bytes:
    """The image scaled to ``width`` x ``height`` (cropped to its centre first when
    ``crop``), encoded as ``fmt`` (``jpeg``, ``png`` or ``webp``)."""
    from PIL import Image, ImageOps

    with _quiet():
        image = _open(data)
    try:
        if image.format == "JPEG":
            # Let the JPEG decoder scale down by up to 8 first: a 4000-pixel photo made
            # into an avatar is decoded at 500 pixels, in a fraction of the time.
            shown = image.size
            if _orientation(image) in _ROTATED:
                shown = shown[::-1]
            factor = max(width / shown[0], height / shown[1])
            image.draft(None, (math.ceil(image.width * factor), math.ceil(image.height * factor)))
        with _quiet():
            _load(image)
            profile = _profile(image)
            alpha = _has_alpha(image)
            upright = ImageOps.exif_transpose(image)
            mode = "RGBA" if alpha else ("L" if upright.mode in ("1", "L") else "RGB")
            converted = upright.convert(mode)
            if crop:
                scaled = ImageOps.fit(
                    converted, (width, height), Image.Resampling.LANCZOS, centering=(0.5, 0.5)
                )
            else:
                scaled = converted.resize((width, height), Image.Resampling.LANCZOS)
            return _encode(scaled, fmt, profile)
    finally:
        image.close()


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Pillow's warnings about a file are not the reader's business; a decompression
    bomb's is an error."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _open(data: bytes) -> Image:
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data), formats=tuple(FORMATS))
    except UnidentifiedImageError:
        raise Unreadable("not a JPEG, PNG or WebP image") from None
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise Unreadable("too many pixels to be a picture for a web page") from None
    except Exception as exc:  # a hostile file may raise anything from a decoder
        raise Unreadable(_reason(exc)) from None
    if image.width * image.height > MAX_PIXELS or image.width < 1 or image.height < 1:
        image.close()
        raise Unreadable(f"{image.width} x {image.height} pixels is too large to resize")
    return image


def _load(image: Image) -> None:
    try:
        image.load()
    except Exception as exc:  # a truncated or damaged file, whatever the decoder says
        raise Unreadable(_reason(exc)) from None


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:1].lower() + text[1:]


def _orientation(image: Image) -> int:
    try:
        value = image.getexif().get(0x0112, 1)
    except Exception:  # damaged EXIF: show the pixels as stored
        return 1
    return value if isinstance(value, int) else 1


def _has_alpha(image: Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info


def _profile(image: Image) -> bytes | None:
    """The colour profile to keep: None for sRGB, which browsers assume anyway."""
    profile = image.info.get("icc_profile")
    if not profile:
        return None
    try:
        from PIL import ImageCms

        described = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(profile)))
    except Exception:  # no colour management here, or a damaged profile: keep it as it is
        return bytes(profile)
    return None if "srgb" in described.lower() else bytes(profile)


def _encode(image: Image, fmt: str, profile: bytes | None) -> bytes:
    out = io.BytesIO()
    extra: dict[str, Any] = {"icc_profile": profile} if profile else {}
    if fmt == "jpeg":
        image.convert("L" if image.mode == "L" else "RGB").save(
            out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, **extra
        )
    elif fmt == "webp":
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=4, **extra)
    else:
        image.save(out, "PNG", optimize=True, **extra)
    return out.getvalue()
