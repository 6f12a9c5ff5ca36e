"""A Jekyll site: posts, collections and talk lists in ``_data/``.

* ``_posts/`` (also ``<category>/_posts/``): one talk per post, its day from the file
  name; the address Jekyll published it at (by ``permalink`` in ``_config.yml``: date,
  pretty, ordinal, none or a pattern) becomes an alias, so old links keep working.
* collections named in ``_config.yml`` (``_talks/``): one talk per document.
* ``_data/*.yml|yaml|json|csv``: lists of talks, and people files.
* ``_drafts/`` and pages outside collections are not talks; the report lists them.

Bodies are Liquid-templated Markdown or HTML; :mod:`.body` converts the tags it can.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from rgsite.errors import Location, UsageError
from rgsite.importing.entry import Entry, Source
from rgsite.importing.fields import Mapping
from rgsite.importing.report import Report
from rgsite.importing.sources.csv_list import read_csv_file
from rgsite.importing.sources.documents import (
    DOCUMENT_SUFFIXES,
    Document,
    Unread,
    finder,
    read_data,
    read_document,
    walk,
)
from rgsite.importing.sources.yaml_list import read_yaml_file

_POST_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
}
JEKYLL_DIRS = frozenset(
    {"_layouts", "_includes", "_sass", "_site", "_data", "_plugins", "_posts", "_drafts"}
)
SKIPPED_DIRS = frozenset({"_site", "vendor", "node_modules", ".git", ".jekyll-cache", "assets"})


def read_jekyll(root: Path, shown: str, mapping: Mapping, report: Report) -> Source:
    if not root.is_dir():
        raise UsageError(f"'{shown}' is not a folder; give the folder of the Jekyll site")
    if not (root / "_config.yml").is_file() and not (root / "_posts").is_dir():
        raise UsageError(f"'{shown}' is not a Jekyll site: it has neither _config.yml nor _posts/")
    source = Source()
    config = _config(root, shown, source)
    style = str(config.get("permalink") or "date")
    pattern = STYLES.get(style, style)
    collections = config.get("collections") or {}
    if isinstance(collections, list):
        collections = {str(name): {} for name in collections}
    for path in walk(root):
        rel = path.relative_to(root)
        parts = rel.parts
        if not path.is_file() or any(p in SKIPPED_DIRS or p.startswith(".") for p in parts):
            continue
        label = f"{shown}/{rel.as_posix()}"
        if "_posts" in parts and path.suffix.lower() in DOCUMENT_SUFFIXES:
            categories = [p for p in parts[: parts.index("_posts")]]
            _post(root, path, label, pattern, categories, source)
        elif parts[0] == "_data":
            _data(root, path, label, mapping, report, source)
        elif parts[0] == "_drafts":
            source.skipped.append((Location(label), "a draft, never published"))
        elif parts[0][1:] in collections and path.suffix.lower() in DOCUMENT_SUFFIXES:
            settings = collections.get(parts[0][1:]) or {}
            _document(root, path, label, parts[0][1:], settings, style, source)
        elif parts[0] not in JEKYLL_DIRS and path.suffix.lower() in DOCUMENT_SUFFIXES:
            if parts[0].startswith("_"):
                continue
            try:
                page = read_document(path, label)
            except Unread:
                page = None
            if page is not None:
                source.skipped.append(
                    (Location(label), "a page, not a post; rgsite pages go in content/pages/")
                )
    return source


def _config(root: Path, shown: str, source: Source) -> dict[str, Any]:
    path = root / "_config.yml"
    if not path.is_file():
        return {}
    try:
        record = read_data(path, f"{shown}/_config.yml")
    except Unread as exc:
        source.skipped.append((exc.where, f"{exc.why}; read with Jekyll's defaults"))
        return {}
    return record.data if isinstance(record.data, dict) else {}


def _post(
    root: Path, path: Path, label: str, pattern: str, categories: list[str], source: Source
) -> None:
    name = _POST_NAME.match(path.stem)
    if name is None:
        source.skipped.append(
            (Location(label), "not a post: its name does not start with a date (YYYY-MM-DD-)")
        )
        return
    document = _read(path, label, source)
    if document is None:
        return
    try:
        day = date(int(name[1]), int(name[2]), int(name[3]))
    except ValueError:
        source.skipped.append((Location(label), f"'{path.stem[:10]}' is not a real date"))
        return
    data = document.data
    slug = str(data.get("slug") or name[4])
    categories = categories + _words(data.get("categories")) + _words(data.get("category"))
    rel = path.relative_to(root).as_posix()
    url = None
    if not data.get("permalink"):
        ext = ".html"
        url = _expand(pattern, categories, day, slug, ext)
    entry = _entry(root, path, label, rel, document, day, url)
    source.entries.append(entry)
    _claim(source, entry, url, rel, f"{day.isoformat()}-{name[4]}")


def _document(
    root: Path,
    path: Path,
    label: str,
    collection: str,
    settings: Any,
    style: str,
    source: Source,
) -> None:
    document = _read(path, label, source)
    if document is None:
        return
    rel = path.relative_to(root).as_posix()
    url = None
    if isinstance(settings, dict) and settings.get("output") and not document.data.get("permalink"):
        inner = path.relative_to(root / f"_{collection}").with_suffix("").as_posix()
        url = f"/{collection}/{inner}" + ("/" if style == "pretty" else ".html")
        if isinstance(settings.get("permalink"), str):
            url = None  # a pattern of the collection's own, which this does not expand
    name = _POST_NAME.match(path.stem)
    entry = _entry(root, path, label, rel, document, _day(name) if name else None, url)
    source.entries.append(entry)
    _claim(source, entry, url, rel, None)


def _entry(
    root: Path,
    path: Path,
    label: str,
    rel: str,
    document: Document,
    day: date | None,
    url: str | None,
) -> Entry:
    """A post's or a collection document's entry: the same reading, its own day and address."""
    return Entry(
        Location(label, 1),
        document.values,
        origin=f"jekyll {rel}",
        body=document.body,
        body_line=document.body_line,
        syntax="html" if path.suffix.lower() in (".html", ".htm") else "markdown",
        templating="liquid",
        file_day=day,
        old_url=url,
        find=finder(root, ("",), path.parent),
    )


def _read(path: Path, label: str, source: Source) -> Document | None:
    try:
        document = read_document(path, label)
    except Unread as exc:
        source.skipped.append((exc.where, exc.why))
        return None
    if document is None:
        source.skipped.append(
            (Location(label, 1), "has no front matter, so Jekyll never published it")
        )
    return document


def _claim(source: Source, entry: Entry, url: str | None, rel: str, post: str | None) -> None:
    """Remember the addresses other pages may link to this entry by."""
    for address in (url, rel, post and f"post_url:{post}", f"link:{rel}"):
        if address:
            source.pages[address] = entry.origin


def _data(
    root: Path, path: Path, label: str, mapping: Mapping, report: Report, source: Source
) -> None:
    suffix = path.suffix.lower()
    find = finder(root, ("",), None)
    if suffix in (".yml", ".yaml", ".json"):
        read_yaml_file(
            path, label, fmt="jekyll", mapping=mapping, report=report, source=source, find=find
        )
    elif suffix in (".csv", ".tsv"):
        read_csv_file(path, label, report=report, source=source, find=find)


def _words(value: object) -> list[str]:
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, str | int)]
    return []


def _day(match: re.Match[str]) -> date | None:
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _expand(pattern: str, categories: list[str], day: date, slug: str, ext: str) -> str | None:
    """The address Jekyll gave a post, by its permalink pattern; None if it has parts
    this does not know."""
    cats = "/".join(dict.fromkeys(c.lower() for c in categories))
    values = {
        "categories": cats,
        "year": f"{day.year}",
        "month": f"{day.month:02d}",
        "day": f"{day.day:02d}",
        "i_month": str(day.month),
        "i_day": str(day.day),
        "short_year": f"{day.year % 100:02d}",
        "y_day": f"{day.timetuple().tm_yday:03d}",
        "short_month": day.strftime("%b"),
        "long_month": day.strftime("%B"),
        "short_day": day.strftime("%a"),
        "long_day": day.strftime("%A"),
        "week": f"{day.isocalendar()[1]:02d}",
        "title": slug,
        "slug": slug,
        "output_ext": ext,
    }
    unknown = [name for name in re.findall(r":([a-z_]+)", pattern) if name not in values]
    if unknown:
        return None
    url = re.sub(r":([a-z_]+)", lambda m: values[m[1]], pattern)
    url = re.sub(r"/{2,}", "/", url)
    return url if url.startswith("/") else "/" + url
