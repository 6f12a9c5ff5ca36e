"""The content model: what a reading group's archive is made of.

Frozen, slotted dataclasses with no I/O and no rendering. Cross references are held
as ids; :mod:`rgsite.graph` resolves them and builds the indexes pages read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from .errors import Location

ResourceKind = Literal["paper", "notes", "post", "video", "slides", "code", "dataset", "link"]
RESOURCE_KINDS: tuple[str, ...] = (
    "paper",
    "notes",
    "post",
    "video",
    "slides",
    "code",
    "dataset",
    "link",
)
ProposalStatus = Literal["open", "accepted", "scheduled", "presented", "declined"]
PROPOSAL_STATUSES: tuple[str, ...] = ("open", "accepted", "scheduled", "presented", "declined")
WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Meeting:
    weekday: str | None = None
    time: str = "18:00"
    duration: int = 60
    every_weeks: int = 1
    location: str | None = None
    join_url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteConfig:
    title: str
    description: str = ""
    base_url: str = "/"
    """Absolute (``https://host/sub/``) or just a path (``/``); always ends with ``/``."""
    language: str = "en"
    timezone: str = "UTC"
    meeting: Meeting = field(default_factory=Meeting)
    links: tuple[tuple[str, str], ...] = ()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``: ``/ml-theory/`` for a site under a subpath."""
        if "://" in self.base_url:
            rest = self.base_url.split("://", 1)[1]
            slash = rest.find("/")
            return rest[slash:] if slash != -1 else "/"
        return self.base_url

    @property
    def origin(self) -> str:
        """``https://host`` of an absolute base URL, or ``""``."""
        if "://" not in self.base_url:
            return ""
        scheme, rest = self.base_url.split("://", 1)
        return f"{scheme}://{rest.split('/', 1)[0]}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Speaker:
    id: str
    name: str
    affiliation: str = ""
    bio_html: str = ""
    links: tuple[Link, ...] = ()
    avatar: str | None = None
    """Relative to the output root (the file comes from ``static/``)."""
    source: Location


@dataclass(frozen=True, slots=True, kw_only=True)
class Paper:
    id: str
    title: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    arxiv: str | None = None
    doi: str | None = None
    url: str | None = None
    kind: str = "paper"
    tldr: str = ""
    notes_html: str = ""
    topics: tuple[str, ...] = ()
    source: Location
    described: bool = True
    """False for a paper known only from an ``arxiv:``/``doi:`` reference in a session."""

    @property
    def link(self) -> str | None:
        if self.url:
            return self.url
        if self.arxiv:
            return f"https://arxiv.org/abs/{self.arxiv}"
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    title: str
    description_html: str = ""
    papers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadingList:
    slug: str
    title: str
    description_html: str = ""
    sections: tuple[Section, ...] = ()
    source: Location


@dataclass(frozen=True, slots=True, kw_only=True)
class Resource:
    title: str
    kind: str = "link"
    url: str | None = None
    """Absolute URL, or the output-relative path of a bundle attachment; None: not linked."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Session:
    slug: str
    title: str
    start: datetime
    """Aware, in the group's time zone."""
    end: datetime
    speakers: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    series: str | None = None
    papers: tuple[str, ...] = ()
    resources: tuple[Resource, ...] = ()
    proposal: str | None = None
    cancelled: bool = False
    draft: bool = False
    tldr: str = ""
    location: str | None = None
    join_url: str | None = None
    body_html: str = ""
    summary: str = ""
    headings: tuple[Heading, ...] = ()
    has_math: bool = False
    attachments: tuple[str, ...] = ()
    """Site-relative paths of the bundle's files, copied beside the page."""
    source: Location

    @property
    def duration(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def description(self) -> str:
        return self.tldr or self.summary


@dataclass(frozen=True, slots=True, kw_only=True)
class Proposal:
    slug: str
    title: str
    proposed_by: tuple[str, ...] = ()
    date: date | None = None
    status: str = "open"
    votes: int | None = None
    topics: tuple[str, ...] = ()
    session: str | None = None
    tldr: str = ""
    body_html: str = ""
    summary: str = ""
    has_math: bool = False
    source: Location

    @property
    def description(self) -> str:
        return self.tldr or self.summary


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    slug: str
    title: str
    description: str = ""
    body_html: str = ""
    summary: str = ""
    headings: tuple[Heading, ...] = ()
    has_math: bool = False
    source: Location


@dataclass(frozen=True, slots=True, kw_only=True)
class Term:
    """A topic or a series: a name and its URL slug."""

    slug: str
    name: str
