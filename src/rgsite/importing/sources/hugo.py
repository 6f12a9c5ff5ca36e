"""A Hugo site: every page under ``content/`` in a section (``content/talks/x.md``,
``content/event/x/index.md``) is a talk; ``_index.md`` files and pages at the top of
``content/`` (about, contact) are not.

Front matter may be YAML or TOML. The address Hugo published a page at — its section and
slug, or a pattern under ``permalinks`` in the site's configuration — becomes an alias;
its own ``aliases`` and ``url`` do too. Links to files go to the page's bundle first,
then to ``static/``.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rgsite.errors import Location, UsageError
from rgsite.importing.entry import Entry, Person, Source
from rgsite.importing.report import Report
from rgsite.importing.sources.documents import (
    DOCUMENT_SUFFIXES,
    Document,
    Unread,
    finder,
    read_data,
    read_document,
    read_text,
    walk,
)
from rgsite.importing.values.dates import read_when
from rgsite.read.fields import slugify

CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "config.toml", "config.yaml", "config.yml")
_UTC = ZoneInfo("UTC")


def read_hugo(root: Path, shown: str, report: Report) -> Source:
    content = root / "content"
    if not root.is_dir():
        raise UsageError(f"'{shown}' is not a folder; give the folder of the Hugo site")
    if not content.is_dir():
        raise UsageError(f"'{shown}' is not a Hugo site: it has no content/ folder")
    source = Source()
    permalinks = _permalinks(root, shown, source)
    for path in walk(content):
        rel = path.relative_to(content)
        if not path.is_file() or path.suffix.lower() not in DOCUMENT_SUFFIXES:
            continue
        if any(part.startswith(".") for part in rel.parts):
            continue
        label = f"{shown}/content/{rel.as_posix()}"
        if path.stem == "_index":
            if len(rel.parts) == 3 and rel.parts[0] == "authors":
                _author(path, rel.parts[1], label, report, source)
            continue
        if rel.parts[0] == "authors":
            continue
        if len(rel.parts) == 1:
            source.skipped.append(
                (Location(label), "a page, not in a section; rgsite pages go in content/pages/")
            )
            continue
        try:
            document = read_document(path, label)
        except Unread as exc:
            source.skipped.append((exc.where, exc.why))
            continue
        if document is None:
            source.skipped.append((Location(label, 1), "has no front matter"))
            continue
        _page(root, path, rel, label, document, permalinks, source)
    return source


def _page(
    root: Path,
    path: Path,
    rel: Path,
    label: str,
    document: Document,
    permalinks: dict[str, str],
    source: Source,
) -> None:
    bundle = path.stem == "index"
    name = rel.parent.name if bundle else path.stem
    section = rel.parts[0]
    data = document.data
    slug = str(data.get("slug") or name)
    url = None
    if not data.get("url"):
        pattern = permalinks.get(section)
        if pattern:
            url = _expand(pattern, section, slug, name, data)
        else:
            inner = rel.parent.as_posix() if bundle else rel.with_suffix("").as_posix()
            if data.get("slug"):
                inner = (
                    f"{rel.parent.parent.as_posix() if bundle else rel.parent.as_posix()}/{slug}"
                )
            url = "/" + inner.lower().strip("/") + "/"
    origin = f"hugo content/{rel.as_posix()}"
    entry = Entry(
        Location(label, 1),
        document.values,
        origin=origin,
        body=document.body,
        body_line=document.body_line,
        syntax="html" if path.suffix.lower() in (".html", ".htm") else "markdown",
        templating="hugo",
        old_url=url,
        find=finder(root, ("static",), path.parent),
    )
    source.entries.append(entry)
    # What {{< ref >}} and links may name this page by: its address, its file with or
    # without the extension, its bundle's folder, or just its file's (or folder's) name.
    page = rel.parent if bundle else rel.with_suffix("")
    names = {rel.as_posix(), page.as_posix(), page.name, path.name if not bundle else ""}
    for address in {url, *names} - {None, ""}:
        assert address is not None
        source.pages[f"ref:{address}"] = origin
        source.pages[f"ref:/{address.lstrip('/')}"] = origin
    if url:
        source.pages[url] = origin


def _author(path: Path, key: str, label: str, report: Report, source: Source) -> None:
    """A profile of the Academic (Wowchemy) theme, ``content/authors/<id>/_index.md``: the
    people that talks name by id in ``authors``."""
    try:
        document = read_document(path, label)
    except Unread as exc:
        source.skipped.append((exc.where, exc.why))
        return
    if document is None:
        return
    data = {str(k).lower(): v for k, v in document.data.items()}
    name = data.get("name") or data.get("title")
    if not isinstance(name, str) or not name.strip():
        source.skipped.append((Location(label, 1), "an author profile with no name (title)"))
        return
    affiliation = ""
    organizations = data.get("organizations")
    if isinstance(organizations, list) and organizations and isinstance(organizations[0], dict):
        affiliation = str(organizations[0].get("name") or "")
    bio = data.get("bio")
    role = data.get("role")
    source.people[key] = Person(
        key=key,
        name=" ".join(name.split()),
        where=Location(label, 1),
        affiliation=affiliation.strip(),
        bio=bio.strip() if isinstance(bio, str) else "",
        position=role.strip() if isinstance(role, str) else "",
    )


def _permalinks(root: Path, shown: str, source: Source) -> dict[str, str]:
    for name in CONFIGS:
        path = root / name
        if not path.is_file():
            continue
        label = f"{shown}/{name}"
        try:
            if name.endswith(".toml"):
                data: Any = tomllib.loads(read_text(path, label))
            else:
                data = read_data(path, label).data
        except (Unread, tomllib.TOMLDecodeError) as exc:
            why = exc.why if isinstance(exc, Unread) else str(exc)
            source.skipped.append((Location(label), f"{why}; read with Hugo's defaults"))
            return {}
        links = data.get("permalinks") if isinstance(data, dict) else None
        if isinstance(links, dict):
            return {str(k): str(v) for k, v in links.items() if isinstance(v, str)}
        return {}
    return {}


def _expand(pattern: str, section: str, slug: str, name: str, data: dict[str, Any]) -> str | None:
    """A page's address by a ``permalinks`` pattern; None if it has parts not known here."""
    when = read_when(data.get("date"), _UTC) if data.get("date") else None
    day = when.day if when is not None and not hasattr(when, "why") else None
    title = str(data.get("title") or name)
    values = {
        "section": section,
        "sections": section,
        "slug": slug,
        "filename": name,
        "title": slugify(title),
        "contentbasename": name,
    }
    if isinstance(day, date | datetime):
        values |= {
            "year": f"{day.year}",
            "month": f"{day.month:02d}",
            "day": f"{day.day:02d}",
            "monthname": day.strftime("%B").lower(),
            "yearday": str(day.timetuple().tm_yday),
        }
    unknown = [n for n in re.findall(r":([a-z]+)", pattern) if n not in values]
    if unknown:
        return None
    url = re.sub(r":([a-z]+)", lambda m: values[m[1]], pattern)
    return "/" + re.sub(r"/{2,}", "/", url).strip("/") + ("/" if url.endswith("/") else "")
