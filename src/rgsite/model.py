"""The content model: what a reading group's archive is made of.

Frozen, slotted dataclasses with no I/O and no rendering. Cross references are held
as ids; :mod:`rgsite.link` resolves them into a :class:`Site` with the indexes pages read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

from rgsite.errors import Location
from rgsite.images.sizes import Picture
from rgsite.read.fields import slugify


class Kind(StrEnum):
    """What a model is. Its value is the ``kind`` of ``[[kind:id]]`` references and of
    input keys (``session:<slug>``), so a member compares and hashes as its string."""

    SESSION = "session"
    SPEAKER = "speaker"
    PROPOSAL = "proposal"
    LIST = "list"
    PAGE = "page"
    PAPER = "paper"
    TOPIC = "topic"
    SERIES = "series"
    SECTION = "section"
    """A reading list's section: it owns Markdown (its description) but has no page."""


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


Key = tuple[str, str]
Answers = dict[int, tuple[str, str] | None]
"""A rendering's placeholders filled in: index -> (URL, title), or None if broken."""


@dataclass(slots=True)
class Site:
    """The resolved archive. Collections are ordered as pages show them."""

    config: SiteConfig
    now: datetime
    sessions: dict[str, Session]
    """Oldest first."""
    speakers: dict[str, Speaker]
    papers: dict[str, Paper]
    lists: dict[str, ReadingList]
    proposals: dict[str, Proposal]
    pages: dict[str, Page]
    topics: dict[str, Term] = field(default_factory=dict)
    series: dict[str, Term] = field(default_factory=dict)
    by_speaker: dict[str, list[Session]] = field(default_factory=dict)
    by_topic: dict[str, list[Session]] = field(default_factory=dict)
    by_series: dict[str, list[Session]] = field(default_factory=dict)
    by_paper: dict[str, list[Session]] = field(default_factory=dict)
    proposals_by_topic: dict[str, list[Proposal]] = field(default_factory=dict)
    proposals_by_speaker: dict[str, list[Proposal]] = field(default_factory=dict)
    papers_by_topic: dict[str, list[Paper]] = field(default_factory=dict)
    lists_of_paper: dict[str, list[ReadingList]] = field(default_factory=dict)
    session_of_proposal: dict[str, Session] = field(default_factory=dict)
    links_from: dict[Key, set[Key]] = field(default_factory=dict)
    """Which models each model's Markdown links to: a title change there changes it."""
    answers: dict[Key, Answers] = field(default_factory=dict, repr=False)
    """Each model's Markdown links as resolved, by placeholder: for patching its text."""
    pictures: dict[str, Picture] = field(default_factory=dict)
    """Every image pages show in smaller sizes, by its site file (see :mod:`rgsite.images`)."""
    _order: list[str] | None = field(default=None, repr=False, compare=False)
    _index: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def upcoming(self) -> list[Session]:
        return [s for s in self.sessions.values() if s.end > self.now]

    def past(self) -> list[Session]:
        return [s for s in self.sessions.values() if s.end <= self.now]

    def status(self, session: Session) -> str:
        """``cancelled``, ``past`` (ended by ``now``) or ``upcoming``."""
        if session.cancelled:
            return "cancelled"
        return "past" if session.end <= self.now else "upcoming"

    def next_session(self) -> Session | None:
        return next((s for s in self.upcoming() if not s.cancelled), None)

    def neighbours(self, session: Session) -> tuple[Session | None, Session | None]:
        if self._order is None or len(self._order) != len(self.sessions):
            self._order = list(self.sessions)
            self._index = {slug: i for i, slug in enumerate(self._order)}
        ordered, index = self._order, self._index[session.slug]
        before = self.sessions[ordered[index - 1]] if index > 0 else None
        after = self.sessions[ordered[index + 1]] if index + 1 < len(ordered) else None
        return before, after

    def topic_of(self, name: str) -> Term:
        return self.topics[slugify(name)]

    def series_of(self, name: str) -> Term:
        return self.series[slugify(name)]
