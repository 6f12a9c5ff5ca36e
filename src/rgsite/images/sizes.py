"""What size each image is shown at, and the smaller copies published for it.

Pure arithmetic over a :class:`Picture` (what reading an image found: its pixel size
as shown, after EXIF orientation, and the digest of its bytes); no Pillow here, so
pages are planned and signed without decoding anything. Each resized copy is named
after the original with its size and a digest of what it is made from
(``speakers/ada-88x88.1f2e3d4c.jpg``): a new photo under the same name gets new names,
so every page that shows it is rendered again and no browser keeps the old one.

The sizes follow the default theme's CSS (``static/css/site.css``): ``.avatar`` is
2.5rem (40 px) and ``.avatar-large`` 5.5rem (88 px), cropped square by ``object-fit:
cover``; an image in Markdown sits in ``.prose``, at most ``--measure`` (40rem, 640 px)
wide. A copy is never larger than the original.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

AVATAR_SIZES = {"": 40, "large": 88}
"""CSS pixels of ``.avatar`` and ``.avatar-large``, by the size name templates use."""
COLUMN = 640
"""CSS pixels of the widest text column (``--measure``): an image in Markdown is at most
this wide, or twice as many pixels on a high-density screen."""
RESIZED = (".jpg", ".jpeg", ".png", ".webp")
"""Images published in smaller sizes; SVG, GIF and anything else are published as they are."""
ENCODING = "1"
"""Bumped when the encoder's settings change: every copy gets a new name and cache key."""
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Picture:
    """An image a page shows, as reading it found it."""

    source: str
    """Site-relative path: ``static/speakers/ada.jpg``, ``content/sessions/x/board.png``."""
    digest: str
    """Of the file's bytes."""
    width: int
    height: int
    """As shown: after its EXIF orientation."""
    format: str
    """``jpeg``, ``png`` or ``webp``."""
    alpha: bool
    """Has transparency, which its copies keep."""
    webp: bool
    """This Pillow can write WebP."""
    uses: frozenset[str]
    """``avatar`` and/or ``column``: the sizes it is shown at."""


@dataclass(frozen=True, slots=True)
class Rendition:
    """One resized copy of a picture."""

    source: str
    output: str
    """Where it is published, relative to the output root."""
    width: int
    height: int
    crop: bool
    """Cropped to its centre to fill ``width`` x ``height``; else scaled whole."""
    format: str
    key: str
    """Its key in the build cache: the source's digest, the size, the format, the
    encoder's settings and Pillow's version."""


@dataclass(frozen=True, slots=True)
class Shown:
    """The attributes of an ``<img>``: URLs under the base path."""

    src: str
    width: int
    height: int
    srcset: str = ""
    sizes: str = ""


def digest_of(data: bytes) -> str:
    """The digest a :class:`Picture` and its copies' names are made from."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def is_resized(path: str) -> bool:
    return path.lower().endswith(RESIZED)


def published_at(source: str) -> str:
    """Where a site file is published: ``static/x`` at ``x``, a session's attachment
    ``content/sessions/<slug>/f`` at ``sessions/<slug>/f``."""
    if source.startswith("static/"):
        return source.removeprefix("static/")
    return source.removeprefix("content/")


@functools.cache
def pillow_version() -> str:
    try:
        return version("pillow")
    except PackageNotFoundError:
        return "none"


def _format(picture: Picture, crop: bool) -> str:
    if crop:  # an avatar: a photo a few dozen pixels wide
        if picture.alpha:
            return "webp" if picture.webp else "png"
        return "jpeg"
    if picture.format == "webp" and not picture.webp:
        return "png"
    return picture.format


def rendition(picture: Picture, width: int, height: int, *, crop: bool) -> Rendition:
    fmt = _format(picture, crop)
    spec = f"{picture.digest}|{width}x{height}|{'crop' if crop else 'fit'}|{fmt}|{ENCODING}"
    # The name covers the source's path too: two copies of one photo get two names.
    short = hashlib.blake2b(f"{spec}|{picture.source}".encode(), digest_size=4).hexdigest()
    stem = published_at(picture.source).rpartition(".")[0]
    key = hashlib.blake2b(f"{spec}|{pillow_version()}".encode(), digest_size=20).hexdigest()
    return Rendition(
        source=picture.source,
        output=f"{stem}-{width}x{height}.{short}.{EXTENSIONS[fmt]}",
        width=width,
        height=height,
        crop=crop,
        format=fmt,
        key=key,
    )


def avatar_renditions(picture: Picture, box: int) -> list[tuple[Rendition, float]]:
    """The square copies for a ``box``-pixel avatar, each with its pixel density: 1x and
    2x, or fewer when the photo is smaller than that."""
    side = min(picture.width, picture.height)
    found: list[tuple[Rendition, float]] = []
    for density in (1, 2):
        size = min(box * density, side)
        if found and size == found[-1][0].width:
            break
        found.append((rendition(picture, size, size, crop=True), size / box))
    return found


def column_candidates(picture: Picture) -> list[tuple[Rendition | None, int, int]]:
    """The widths an image in Markdown is offered at: as wide as the column shows it and
    twice that, each ``(copy, width, height)``; None where the original is that wide."""
    width, height = picture.width, picture.height
    shown = min(width, COLUMN)
    found: list[tuple[Rendition | None, int, int]] = []
    for wide in sorted({shown, min(width, 2 * COLUMN)}):
        high = max(1, round(height * wide / width))
        copy = None if wide == width else rendition(picture, wide, high, crop=False)
        found.append((copy, wide, high))
    return found


def renditions(picture: Picture) -> list[Rendition]:
    """Every copy of ``picture`` its pages show."""
    found: dict[str, Rendition] = {}
    if "avatar" in picture.uses:
        for box in AVATAR_SIZES.values():
            for copy, _ in avatar_renditions(picture, box):
                found[copy.output] = copy
    if "column" in picture.uses:
        for maybe, _, _ in column_candidates(picture):
            if maybe is not None:
                found[maybe.output] = maybe
    return list(found.values())


def show_avatar(picture: Picture, box: int, url: Callable[[str], str]) -> Shown:
    made = avatar_renditions(picture, box)
    srcset = ", ".join(f"{url(copy.output)} {density:.3g}x" for copy, density in made)
    return Shown(src=url(made[0][0].output), width=box, height=box, srcset=srcset)


def show_in_column(picture: Picture, url: Callable[[str], str]) -> Shown:
    """An image in Markdown: its default as wide as the column shows it, and ``sizes``
    saying so, so a phone takes the smaller copy and a high-density screen the larger."""
    candidates = column_candidates(picture)
    urls = [
        url(published_at(picture.source) if copy is None else copy.output)
        for copy, _, _ in candidates
    ]
    _, shown, high = candidates[0]
    # The column is the viewport less the page's side padding (2rem in all) until it
    # reaches the image's own width.
    sizes = f"(max-width: {shown + 32}px) calc(100vw - 2rem), {shown}px"
    srcset = ", ".join(f"{u} {wide}w" for u, (_, wide, _) in zip(urls, candidates, strict=True))
    return Shown(src=urls[0], width=shown, height=high, srcset=srcset, sizes=sizes)
