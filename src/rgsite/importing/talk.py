"""A talk as rgsite will write it: the session's fields, read from an entry's values.

:class:`Talk` holds rgsite's meaning of an entry — its day and time, speaker ids,
papers, resources, abstract, body — with the source line of each field, so a merge of
duplicates and the report can point at them. :mod:`.interpret` fills it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rgsite.errors import Location
from rgsite.read.fields import slugify


@dataclass(slots=True)
class Resource:
    title: str
    kind: str
    url: str
    """An absolute address, or the name of an attachment in the session's folder."""


@dataclass(slots=True)
class Origin:
    """Where a talk came from, as the line written in its session file keeps it."""

    key: str
    """``jekyll _posts/2019-09-04-x.md``, or for a list's entry ``csv 2024-10-09``."""
    fingerprint: str
    """Changes when the entry's source text changes."""
    label: str
    """The file and line, relative to the source: ``_data/talks.yml:3``."""


@dataclass(slots=True)
class Talk:
    where: Location
    origins: list[Origin] = field(default_factory=list)
    """How later imports know this talk: one per merged entry."""
    fmt: str = ""
    title: str = ""
    day: date | None = None
    start: str | None = None
    """``HH:MM``; None when the source gave no time."""
    duration: int | None = None
    time_tba: bool = False
    status: str = ""
    speakers: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    series: str = ""
    kind: str = ""
    papers: list[str] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    abstract: str = ""
    tldr: str = ""
    location: str = ""
    register: str = ""
    join_url: str = ""
    aliases: list[str] = field(default_factory=list)
    draft: bool = False
    body: str = ""
    attachments: dict[str, Path] = field(default_factory=dict)
    """Files of the old site to copy beside the session, by their name there."""
    links: dict[str, tuple[str, str, Location]] = field(default_factory=dict)
    """Placeholders in the body for links to other pages of the old site:
    placeholder → (origin of the page, the link as written, where it is)."""
    wheres: dict[str, Location] = field(default_factory=dict)
    """The source line of each field, for the report."""

    def add_resource(self, resource: Resource) -> None:
        if all(r.url != resource.url for r in self.resources):
            self.resources.append(resource)

    def add_paper(self, ref: str) -> None:
        if ref not in self.papers:
            self.papers.append(ref)

    def attach(self, found: Path) -> str:
        """The name a file of the old site has in the session's folder (one name, one file):
        its own, made safe for an address (``My Slides.pdf`` is ``my-slides.pdf``)."""
        for name, path in self.attachments.items():
            if path == found:
                return name
        stem, suffix = slugify(found.stem), re.sub(r"[^a-z0-9.]", "", found.suffix.lower())
        name, number = stem + suffix, 1
        while name in self.attachments:
            number += 1
            name = f"{stem}-{number}{suffix}"
        self.attachments[name] = found
        return name
