"""What a source holds, before rgsite reads any meaning into it.

A reader (:mod:`.jekyll`, :mod:`.hugo`, :mod:`.yaml_list`, :mod:`.csv_list`) turns a
source into :class:`Entry` objects — one talk each, its keys and values as written, every
value with the file and line it came from — and :class:`Person` objects from people
files. Nothing here interprets a value; :mod:`.talks` does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from rgsite.errors import Location

Syntax = Literal["markdown", "html"]
Templating = Literal["liquid", "hugo", "none"]


@dataclass(frozen=True, slots=True)
class Value:
    """One field of a source as written: its key, its value and where it is."""

    key: str
    value: object
    where: Location


FileFinder = Callable[[str], Path | None]
"""Finds the file a relative or site-absolute link of the old site names, if it has it."""


def no_files(_: str) -> Path | None:
    return None


@dataclass(slots=True)
class Entry:
    """One talk of a source: its fields, and for a document its body."""

    where: Location
    values: list[Value]
    origin: str = ""
    """How a later import knows this entry: ``jekyll _posts/2019-09-04-x.md`` for a
    document; for an entry of a list, left empty and made from its date."""
    body: str = ""
    body_line: int = 1
    syntax: Syntax = "markdown"
    templating: Templating = "none"
    file_day: date | None = None
    """The day a file's name gives (``_posts/2019-09-04-x.md``)."""
    old_url: str | None = None
    """The path the old site published this entry at, which becomes an alias."""
    find: FileFinder = no_files

    def fingerprint(self) -> str:
        """Eight hex digits that change whenever the entry's source text changes."""
        data = [(v.key, _plain(v.value)) for v in self.values]
        text = json.dumps([data, self.body], sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:8]


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value if isinstance(value, str | int | float | bool | None) else str(value)


@dataclass(frozen=True, slots=True)
class Person:
    """Someone in a people file (``_data/people.yml``), by the key talks name them with."""

    key: str
    name: str
    where: Location
    affiliation: str = ""
    bio: str = ""
    links: tuple[tuple[str, str], ...] = ()
    position: str = ""
    role: str = ""


@dataclass(slots=True)
class Source:
    """Everything read from the sources of one import."""

    entries: list[Entry] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    """Old addresses of imported entries (``/2019/09/04/x.html``, ``_posts/x.md``) to
    their origin, so links between them can follow them to the new pages."""
    skipped: list[tuple[Location, str]] = field(default_factory=list)
    """Files read but not imported, and why (pages that are not talks, layouts...)."""
