"""The resized copies of every image pages show, as files beside the pages.

Each copy is an :class:`~rgsite.render.files.Artifact` keyed for the build cache, so a
build makes only copies it has never made (on every core, see
:func:`rgsite.render.pages.make_files`) and a build whose pages did not change keeps the
files it wrote. The original is published as it always was, and stays linkable.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rgsite.errors import Location
from rgsite.images.sizes import Rendition, digest_of, renditions
from rgsite.render.files import Artifact

if TYPE_CHECKING:
    from rgsite.model import Site


class SourceChanged(Exception):
    """An image changed, or went, between reading the site and resizing it."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(source, reason)
        self.source, self.reason = source, reason


def image_files(root: Path, site: Site) -> list[Artifact]:
    found = []
    for picture in site.pictures.values():
        for copy in renditions(picture):
            found.append(
                Artifact(
                    copy.output,
                    frozenset(),  # the name says what it is made of: see images.sizes
                    partial(_make, root, copy, picture.digest),
                    cache_key=copy.key,
                    source=Location(picture.source),
                )
            )
    return found


def _make(root: Path, copy: Rendition, digest: str) -> bytes:
    from rgsite.images.codec import Unreadable, resize

    try:
        data = (root / copy.source).read_bytes()
        if digest_of(data) != digest:
            raise SourceChanged(copy.source, "it changed while the site was being built")
        return resize(data, copy.width, copy.height, crop=copy.crop, fmt=copy.format)
    except OSError as exc:
        raise SourceChanged(copy.source, exc.strerror or "it cannot be read") from None
    except Unreadable as exc:
        raise SourceChanged(copy.source, str(exc)) from None
