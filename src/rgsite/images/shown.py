"""Which images pages show, what each one is, and the ``<img>`` attributes that show it.

:func:`attach` runs inside :func:`rgsite.link.link`, once every document's links are
filled in and before the indexes are built. It finds the speakers' avatars and every
``<img>`` in a session, proposal or page whose ``src`` is a JPEG, PNG or WebP of the site
(a session's attachment or a file in ``static/``); reads each one (from the build cache
while the file is unchanged, else with Pillow, on every core); keeps what it found in
``Site.pictures``; and gives each such ``<img>`` the size the column shows it at,
``srcset`` and ``sizes`` over its smaller copies, and lazy loading. An image that cannot
be read is a warning at its file, and is published and shown as it is.

The HTML is the page's own: the attributes are added to the tag Markdown wrote, never
to an ``<img>`` that already says its size or its ``srcset``.
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator
from dataclasses import fields, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rgsite.build import parallel
from rgsite.errors import Location, Problems
from rgsite.images.sizes import (
    Picture,
    digest_of,
    is_resized,
    pillow_version,
    show_in_column,
)

if TYPE_CHECKING:
    from rgsite.build.cache import Cache
    from rgsite.model import Site

FACTS = "1"
"""Bumped when :func:`rgsite.images.codec.inspect` records something new."""
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""\s([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_SIZED = ("width", "height", "srcset", "sizes")


def attach(
    site: Site,
    *,
    root: Path,
    assets: Collection[str],
    problems: Problems,
    cache: Cache | None,
    jobs: int,
) -> None:
    """Read every image the site's pages show into ``site.pictures`` and give each
    ``<img>`` of one in a document its sizes."""
    base = site.config.base_path
    uses: dict[str, set[str]] = defaultdict(set)
    for speaker in site.speakers.values():
        if speaker.avatar and is_resized(speaker.avatar):
            uses[f"static/{speaker.avatar}"].add("avatar")
    documents = list(_documents(site))
    for _, _, text in documents:
        for source in shown_sources(text, base, assets):
            uses[source].add("column")
    if not uses:
        return
    site.pictures = read_pictures(root, uses, cache, jobs, problems)
    changed: dict[tuple[int, str], dict[str, str]] = defaultdict(dict)
    for (collection, ident), name, text in documents:
        filled = fill(text, base, site.pictures)
        if filled != text:
            changed[(collection, ident)][name] = filled
    models = _collections(site)
    for (collection, ident), values in changed.items():
        models[collection][ident] = replace(models[collection][ident], **values)


def refill(site: Site, assets: Collection[str], before: str, after: str) -> str | None:
    """A document's new HTML ``after`` with its images' sizes, when it shows the same
    images its old HTML ``before`` did (both with links filled in); None when it shows
    others, which only reading the site again can size."""
    base = site.config.base_path
    if shown_sources(before, base, assets) != shown_sources(after, base, assets):
        return None
    return fill(after, base, site.pictures)


def shown_sources(text: str, base: str, assets: Collection[str]) -> list[str]:
    """The site files of JPEG, PNG and WebP images ``<img>`` tags in ``text`` show."""
    if "<img" not in text:
        return []
    found = []
    for match in _IMG.finditer(text):
        attrs = {name.lower(): value for name, value, _ in _attrs(match.group(0))}
        source = _source(attrs.get("src"), base, assets)
        if source is not None and not any(a in attrs for a in _SIZED):
            found.append(source)
    return found


def fill(text: str, base: str, pictures: dict[str, Picture]) -> str:
    """``text`` with each ``<img>`` of a picture given its sizes and copies."""
    if "<img" not in text or not pictures:
        return text

    def sized(match: re.Match[str]) -> str:
        tag = match.group(0)
        attrs = {name.lower(): (value, span) for name, value, span in _attrs(tag)}
        if any(a in attrs for a in _SIZED) or "src" not in attrs:
            return tag
        source = _source(attrs["src"][0], base, pictures)
        if source is None:
            return tag
        shown = show_in_column(pictures[source], lambda path: base + path)
        start, end = attrs["src"][1]
        head = tag[:start] + f' src="{html.escape(shown.src)}"' + tag[end:]
        close = len(head) - (2 if head.endswith("/>") else 1)
        added = (
            f' width="{shown.width}" height="{shown.height}"'
            f' srcset="{html.escape(shown.srcset)}" sizes="{shown.sizes}"'
        )
        if "loading" not in attrs:
            added += ' loading="lazy"'
        if "decoding" not in attrs:
            added += ' decoding="async"'
        return head[:close].rstrip() + added + head[close:]

    return _IMG.sub(sized, text)


def _attrs(tag: str) -> Iterator[tuple[str, str | None, tuple[int, int]]]:
    """Each attribute of an HTML tag: name, unescaped value, and the span it takes."""
    for match in _ATTR.finditer(tag, 4):
        raw = match.group(2)
        value = None if raw is None else html.unescape(raw.strip("\"'"))
        yield match.group(1), value, match.span()


def _source(src: str | None, base: str, known: Collection[str]) -> str | None:
    """The site file a ``src`` under the base path names, if it is in ``known``."""
    if not src or not src.startswith(base) or not is_resized(src):
        return None
    path = src[len(base) :]
    for source in (f"content/{path}", f"static/{path}"):
        if source.startswith(("content/sessions/", "static/")) and source in known:
            return source
    return None


def _collections(site: Site) -> list[dict[str, Any]]:
    return [site.sessions, site.proposals, site.pages]


def _documents(site: Site) -> Iterator[tuple[tuple[int, str], str, str]]:
    """Every HTML field of every session, proposal and page that holds an ``<img>``."""
    for number, models in enumerate(_collections(site)):
        for ident, model in models.items():
            for name in _html_fields(type(model)):
                value = getattr(model, name)
                if isinstance(value, str) and "<img" in value:
                    yield (number, ident), name, value


@functools.cache
def _html_fields(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind) if f.name.endswith("_html"))


def read_pictures(
    root: Path, uses: dict[str, set[str]], cache: Cache | None, jobs: int, problems: Problems
) -> dict[str, Picture]:
    """What each image of ``uses`` (site file -> where it is shown) is, or a warning at
    its file. The cache knows a file's digest while its size and mtime stay, and what
    an image of that digest is, so an unchanged site reads no image at all."""
    stamps: dict[str, str] = {}
    for source in sorted(uses):
        try:
            info = os.stat(root / source)
        except OSError:
            continue  # gone since the site was walked: the next build sees it go
        stamps[source] = f"file|{source}|{info.st_size}|{info.st_mtime_ns}|{info.st_ino}"
    known = cache.get_image_facts(stamps.values()) if cache is not None else {}
    digests: dict[str, str] = {}
    for source, stamp in stamps.items():
        digest = known.get(stamp) or _digest(root / source)
        if digest is not None:
            digests[source] = digest
    keys = {source: _facts_key(digest) for source, digest in digests.items()}
    stored = cache.get_image_facts(keys.values()) if cache is not None else {}
    facts = {source: stored[key] for source, key in keys.items() if _valid(stored.get(key))}
    missing = [source for source in digests if source not in facts]
    fresh: dict[str, str] = {}
    inspected = parallel.map_items(partial(_inspect, root), missing, jobs, heavy=True)
    for source, (digest, found) in zip(missing, inspected, strict=True):
        facts[source] = found
        if digest:  # read now, perhaps changed since: what was read is what is shown
            digests[source] = digest
            fresh[_facts_key(digest)] = found
    if cache is not None:
        fresh |= {stamps[s]: d for s, d in digests.items() if known.get(stamps[s]) != d}
        cache.put_image_facts(fresh)
    pictures: dict[str, Picture] = {}
    for source in sorted(facts):
        data = json.loads(facts[source])
        if "error" in data:
            problems.warning(
                Location(source),
                f"this image cannot be read ({data['error']}), so it is published as it is, "
                "without smaller copies; open it in an image editor and save it again as "
                "JPEG, PNG or WebP",
            )
        elif not data["animated"]:  # an animation is published as it is, like a GIF
            pictures[source] = Picture(
                source=source,
                digest=digests[source],
                width=data["width"],
                height=data["height"],
                format=data["format"],
                alpha=data["alpha"],
                webp=data["webp"],
                uses=frozenset(uses[source]),
            )
    return pictures


def _facts_key(digest: str) -> str:
    return f"facts|{digest}|{pillow_version()}|{FACTS}"


def _digest(path: Path) -> str | None:
    try:
        return digest_of(path.read_bytes())
    except OSError:
        return None


def _inspect(root: Path, source: str) -> tuple[str, str]:
    """The digest of the file as read now, and what it is (JSON)."""
    from rgsite.images.codec import Unreadable, inspect

    try:
        data = (root / source).read_bytes()
    except OSError as exc:
        return "", json.dumps({"error": exc.strerror or "cannot be read"})
    digest = digest_of(data)
    try:
        found = inspect(data)
    except Unreadable as exc:
        return digest, json.dumps({"error": str(exc)})
    return digest, json.dumps(found, sort_keys=True)


def _valid(text: str | None) -> bool:
    """Facts from the cache are used only if they have the shape :func:`_inspect` gives."""
    if text is None:
        return False
    try:
        data = json.loads(text)
    except ValueError:
        return False
    if not isinstance(data, dict):
        return False
    if "error" in data:
        return isinstance(data["error"], str)
    checks: dict[str, Callable[[Any], bool]] = {
        "width": lambda v: type(v) is int and v > 0,
        "height": lambda v: type(v) is int and v > 0,
        "format": lambda v: v in ("jpeg", "png", "webp"),
        "alpha": lambda v: type(v) is bool,
        "animated": lambda v: type(v) is bool,
        "webp": lambda v: type(v) is bool,
    }
    return all(name in data and check(data[name]) for name, check in checks.items())
