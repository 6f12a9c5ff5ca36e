"""What site.yaml says about the group, as the model holds it: its name, address,
language and clock, when it meets, its terms and kinds of event."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from rgsite.i18n.messages import Messages
from rgsite.markdown.macros import Macros


@dataclass(frozen=True, slots=True, kw_only=True)
class Meeting:
    weekday: str | None = None
    time: str = "18:00"
    duration: int = 60
    every_weeks: int = 1
    location: str | None = None
    join_url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AcademicTerm:
    """A term of the group's year (``Fall 2024``): the sessions between two days, inclusive."""

    name: str
    slug: str
    start: date
    end: date

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True, kw_only=True)
class EventKind:
    """A kind of event the group holds, from ``kinds:`` in site.yaml."""

    id: str
    name: str
    icon: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteConfig:
    title: str
    description: str = ""
    base_url: str = "/"
    """Absolute (``https://host/sub/``) or just a path (``/``); always ends with ``/``."""
    language: str = "en"
    time_format: str = ""
    """``24h`` or ``12h``; empty: the clock the language writes times in."""
    catalog: Messages | None = None
    """The site's own translations (``locales/<lang>.po``), over the theme's."""
    timezone: str = "UTC"
    meeting: Meeting = field(default_factory=Meeting)
    links: tuple[tuple[str, str], ...] = ()
    terms: tuple[AcademicTerm, ...] = ()
    """Oldest first; they never overlap."""
    kinds: tuple[EventKind, ...] = ()

    def kind_of(self, ident: str | None) -> EventKind | None:
        if ident is None:  # most sessions: asked for each of them on every listing
            return None
        return next((k for k in self.kinds if k.id == ident), None)

    math_macros: Macros = field(default_factory=Macros)
    """``math.macros``: LaTeX macros expanded in every formula of the site."""

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
