"""The content model: what a reading group's archive is made of.

Frozen, slotted dataclasses with no I/O and no rendering. Cross references are held
as ids; :mod:`rgsite.link` resolves them into a :class:`Site` with the indexes pages read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from rgsite.errors import Location
from rgsite.images.sizes import Picture
from rgsite.read.fields import slugify
from rgsite.settings import AcademicTerm, SiteConfig


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
    ABSTRACT = "abstract"
    """A session's abstract: Markdown of its own, shown on the session's page."""
    EVENT_KIND = "kind"
    """A kind of event from ``kinds:`` in site.yaml (a talk, a tech coffee): a page of its
    sessions."""


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
CITED_KINDS: tuple[str, ...] = ("paper", "notes")  # what BibTeX is made for
ROLES: tuple[str, ...] = ("organizer", "member", "alumni", "guest")
"""A speaker's place in the group, in the order the People page shows them."""
SESSION_STATES: tuple[str, ...] = ("scheduled", "tba", "break", "cancelled")
"""What a session's ``status`` may say; upcoming and past follow from the clock."""
ProposalStatus = Literal["open", "accepted", "scheduled", "presented", "declined"]
READING_STATUSES: tuple[str, ...] = ("queued", "reading", "read")
"""Where a reading-list item stands in the group's reading."""
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
    role: str = "guest"
    """One of :data:`ROLES`; anyone but a guest is on the People page."""
    position: str = ""
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
    titled: bool = True
    """False while ``title`` only stands in for a missing one: the paper's identifier or
    a short form of its address."""
    status: str | None = None
    """One of :data:`READING_STATUSES` as the reading list says; None: follows from the
    sessions that discuss it (see :meth:`rgsite.render.views.View.reading_status`)."""

    @property
    def citable(self) -> bool:
        """Whether BibTeX would say something true: a paper or notes with an arXiv id or
        DOI, or with authors, a title and a year. Posts, videos and code never are."""
        described = self.titled and bool(self.authors) and self.year is not None
        return self.kind in CITED_KINDS and (bool(self.arxiv or self.doi) or described)

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
class Alias:
    """An old address of a page, where a small page sends readers on to the new one."""

    url: str
    """Relative to the base path, like a route's (``2021/talk-x/``, ``blog/x.html``)."""
    source: Location


@dataclass(frozen=True, slots=True, kw_only=True)
class Session:
    slug: str
    title: str
    start: datetime
    """Aware, in the group's time zone."""
    end: datetime
    speakers: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    """Who chairs or moderates: speaker ids, shown apart, never counted as their talks."""
    topics: tuple[str, ...] = ()
    series: str | None = None
    papers: tuple[str, ...] = ()
    resources: tuple[Resource, ...] = ()
    proposal: str | None = None
    state: str = "scheduled"
    """As written: one of :data:`SESSION_STATES`."""
    draft: bool = False
    tldr: str = ""
    location: str | None = None
    join_url: str | None = None
    time_known: bool = True
    """False for ``time: tba``: ``start`` is the day's first moment and ``end`` the next
    day's, so it sorts on its day and is over once the day is."""
    date_approximate: bool = False
    """The day was inferred, not recorded: pages say so; ``time_known`` is False too."""
    abstract_html: str = ""
    abstract_summary: str = ""
    kind: str | None = None
    """An id of ``kinds:`` in site.yaml."""
    register: str | None = None
    body_html: str = ""
    summary: str = ""
    headings: tuple[Heading, ...] = ()
    has_math: bool = False
    attachments: tuple[str, ...] = ()
    """Site-relative paths of the bundle's files, copied beside the page."""
    aliases: tuple[Alias, ...] = ()
    source: Location

    @property
    def duration(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def description(self) -> str:
        """What lists show: the TL;DR, else the recap's opening, else the abstract's."""
        return self.tldr or self.summary or self.abstract_summary

    @property
    def cancelled(self) -> bool:
        return self.state == "cancelled"

    @property
    def tba(self) -> bool:
        """An open slot: the date is known, the speaker and title may be placeholders."""
        return self.state == "tba"

    @property
    def is_break(self) -> bool:
        """No meeting (the title says why): listed, but no page and no calendar event."""
        return self.state == "break"


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
    aliases: tuple[Alias, ...] = ()
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
    aliases: tuple[Alias, ...] = ()
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
    by_kind: dict[str, list[Session]] = field(default_factory=dict)
    by_host: dict[str, list[Session]] = field(default_factory=dict)
    """The sessions each speaker id chaired or moderated (``hosts:``)."""
    by_paper: dict[str, list[Session]] = field(default_factory=dict)
    proposals_by_topic: dict[str, list[Proposal]] = field(default_factory=dict)
    proposals_by_speaker: dict[str, list[Proposal]] = field(default_factory=dict)
    papers_by_topic: dict[str, list[Paper]] = field(default_factory=dict)
    lists_of_paper: dict[str, list[ReadingList]] = field(default_factory=dict)
    session_of_proposal: dict[str, Session] = field(default_factory=dict)
    by_term: dict[str, list[Session]] = field(default_factory=dict)
    """The sessions of each term of ``config.terms`` that has any, by the term's slug."""
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
        """The one rule for what a session is: ``break``, ``cancelled`` or ``tba`` as its
        file says, whenever it falls; else ``past`` (ended by ``now``) or ``upcoming``."""
        if session.state in ("break", "cancelled", "tba"):
            return session.state
        return "past" if session.end <= self.now else "upcoming"

    def ahead(self, session: Session) -> bool:
        """A meeting still to come: upcoming, or an open slot whose day has not passed."""
        return session.end > self.now and session.state in ("scheduled", "tba")

    def recaps(self) -> list[Session]:
        """Past sessions that may hold a recap, oldest first: not open slots nor breaks."""
        return [s for s in self.past() if s.state in ("scheduled", "cancelled")]

    def next_session(self) -> Session | None:
        return next((s for s in self.upcoming() if s.state in ("scheduled", "tba")), None)

    def neighbours(self, session: Session) -> tuple[Session | None, Session | None]:
        """The sessions before and after, among those with a page (a break has none)."""
        if self._order is None or len(self._order) != len(self.sessions):
            self._order = list(self.sessions)
            self._index = {slug: i for i, slug in enumerate(self._order)}
        ordered, index = self._order, self._index[session.slug]
        return self._page_at(ordered, index, -1), self._page_at(ordered, index, 1)

    def _page_at(self, ordered: list[str], index: int, step: int) -> Session | None:
        index += step
        while 0 <= index < len(ordered):
            found = self.sessions[ordered[index]]
            if not found.is_break:
                return found
            index += step
        return None

    def topic_of(self, name: str) -> Term:
        return self.topics[slugify(name)]

    def series_of(self, name: str) -> Term:
        return self.series[slugify(name)]

    def term_of(self, session: Session) -> AcademicTerm | None:
        """The term a session's day falls in (its day in the group's time zone)."""
        day = session.start.date()
        return next((t for t in self.config.terms if t.holds(day)), None)
