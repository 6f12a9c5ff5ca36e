"""What an announcement says, before any format: facts, papers, resources and the abstract.

:mod:`rgsite.authoring.announce` gathers them from the site;
:mod:`rgsite.authoring.announce_formats` writes them out.
"""

from __future__ import annotations

from dataclasses import dataclass

from rgsite.authoring.prose import Block
from rgsite.i18n.translations import ENGLISH, Translations


@dataclass(frozen=True, slots=True)
class PaperLine:
    title: str
    authors: str
    year: int | None
    link: str | None


@dataclass(frozen=True, slots=True)
class ResourceLine:
    title: str
    kind: str
    """What it is, as the session page says: ``Slides``, ``Video``."""
    link: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Announcement:
    """What an announcement says, before any format."""

    group: str
    heading: str
    """``Next session``, ``Upcoming session``, ``Session``, ``Cancelled session`` or
    ``No meeting``, in the site's language."""
    kicker: str = ""
    """The heading as the first line says it, after the group: ``next session``."""
    title: str
    state: str
    """The session's ``status``: ``scheduled``, ``tba``, ``break`` or ``cancelled``."""
    local_time: str
    utc_time: str
    """Empty when the time is not known, or for a break."""
    duration: str
    location: str | None
    join_url: str | None
    register: str | None
    speakers: tuple[tuple[str, str], ...]
    """(name, affiliation) pairs."""
    hosts: tuple[tuple[str, str], ...] = ()
    """Who chairs or moderates, likewise."""
    abstract: tuple[Block, ...]
    papers: tuple[PaperLine, ...]
    resources: tuple[ResourceLine, ...]
    page_url: str | None
    """None for a break: it has no page, nor a calendar file."""
    calendar_url: str | None
    language: str = "en"
    t: Translations = ENGLISH
    """The site's translations, for the labels of each format."""

    @property
    def cancelled(self) -> bool:
        return self.state == "cancelled"

    @property
    def meets(self) -> bool:
        """There is a meeting to join: not a break, not cancelled."""
        return self.state in ("scheduled", "tba")
