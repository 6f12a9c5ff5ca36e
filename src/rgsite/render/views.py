"""A page's view of the site: URLs under the base path, local times, lookups by id.

Everything here is read-only over a :class:`~rgsite.model.Site`; templates and the
file formats see the site through a :class:`View`, never files or the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from rgsite.errors import did_you_mean
from rgsite.i18n.dates import Clock
from rgsite.i18n.messages import N_
from rgsite.i18n.translations import Translations, translations_for
from rgsite.images.sizes import AVATAR_SIZES, Shown, show_avatar
from rgsite.model import Paper, Proposal, Session, Site, Speaker
from rgsite.routes import url_of
from rgsite.settings import AcademicTerm, EventKind

T = TypeVar("T")

PROPOSAL_ORDER = ("open", "accepted", "scheduled", "presented", "declined")
KIND_LABELS = {
    "paper": N_("Paper"),
    "notes": N_("Notes"),
    "post": N_("Post"),
    "video": N_("Video"),
    "slides": N_("Slides"),
    "code": N_("Code"),
    "dataset": N_("Dataset"),
    "link": N_("Link"),
}
ROLE_LABELS = {
    "organizer": N_("Organizer"),
    "member": N_("Member"),
    "alumni": N_("Former member"),
    "guest": N_("Guest"),
}
"""A speaker's role, as their profile page says it."""
PROPOSAL_LABELS = {
    "open": N_("Open"),
    "accepted": N_("Accepted"),
    "scheduled": N_("Scheduled"),
    "presented": N_("Presented"),
    "declined": N_("Declined"),
}


class View:
    """The helpers bound to one site; exposed to templates as globals and filters."""

    def __init__(self, site: Site, assets: dict[str, str]) -> None:
        self.site = site
        self.assets = assets
        config = site.config
        self.t: Translations = translations_for(config.language, config.catalog)
        self.clock = Clock(config.language, config.time_format, config.tz, self.t)
        # Every link of every page starts with these: read from base_url once.
        self._base_path = site.config.base_path
        self._origin = site.config.origin
        self._terms: dict[str, AcademicTerm] | None = None
        """The term of each session in one, by slug (a session's term lasts as long as
        this view: its date is front matter, which a patched build never changes)."""
        self.made: dict[str, Any] = {}
        """What formats make once for all the files they are in, each under its own name."""
        self._kept: dict[str, dict[tuple[Any, ...], tuple[object, Any]]] = {}

    def kept(self, owner: str, model: object, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        """``make()``, made once while this view lasts for ``model`` (``owner`` is its
        input key, ``session:<slug>`` or ``paper:<id>``) and ``key``: what is shown of one
        session or paper in many places, a session's row in lists, its event in calendars,
        its part of the schedule, a paper's entry with where it was read.

        What it is made from does not change under one plan, except a session's text and
        front matter that a patched build puts into it in place: :meth:`forget` drops what
        was made of it. A new build's models are new objects, never taken for the old."""
        kept = self._kept.get(owner)
        if kept is None:
            kept = self._kept[owner] = {}
        held = kept.get(key)
        if held is not None and held[0] is model:
            return held[1]  # type: ignore[no-any-return]
        value = make()
        kept[key] = (model, value)
        return value

    def forget(self, session: Session) -> None:
        """Make again what is made of ``session``, and of the papers it discussed."""
        self._kept.pop(f"session:{session.slug}", None)
        for ident in session.papers:
            self._kept.pop(f"paper:{ident}", None)

    def url(self, path: str = "") -> str:
        return self._base_path + path

    def absolute(self, path: str = "") -> str:
        return self._origin + self._base_path + path

    def asset(self, path: str) -> str:
        """A static file's URL, fingerprinted when the build fingerprints it."""
        return self.url(self.assets.get(path, path))

    def avatar(self, speaker: Speaker, size: str = "") -> Shown:
        """A speaker's avatar at ``size`` (``""``: 40 px, ``"large"``: 88 px): its copies
        at 1x and 2x, or the file as it is when it is not resized (SVG, GIF, unreadable)."""
        box = AVATAR_SIZES.get(size)
        if box is None:
            sizes = ", ".join(repr(s) for s in AVATAR_SIZES)
            hint = did_you_mean(size, AVATAR_SIZES)
            raise ValueError(f"avatar size '{size}' is not one of {sizes}{hint}")
        if not speaker.avatar:
            raise ValueError(f"speaker '{speaker.id}' has no avatar; check speaker.avatar first")
        picture = self.site.pictures.get(f"static/{speaker.avatar}")
        if picture is None:
            return Shown(src=self.url(speaker.avatar), width=box, height=box)
        return show_avatar(picture, box, self.url)

    def gettext(self, message: str) -> str:
        return self.t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.t.ngettext(singular, plural, n)

    def kind_label(self, kind: str) -> str:
        """What a paper or resource is (``Slides``, ``Video``), in the site's language."""
        return self.t.gettext(KIND_LABELS[kind]) if kind in KIND_LABELS else kind.title()

    def proposal_status(self, status: str) -> str:
        """A proposal's status as a badge says it: ``Open``, ``Presented``."""
        label = PROPOSAL_LABELS.get(status)
        return self.t.gettext(label) if label else status.capitalize()

    def link(self, kind: str, ident: str) -> str:
        return self.url(url_of(kind, ident))

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.site.config.tz)

    def speakers_of(self, ids: tuple[str, ...]) -> list[Speaker]:
        return [self.site.speakers[i] for i in ids if i in self.site.speakers]

    def papers_of(self, ids: tuple[str, ...]) -> list[Paper]:
        return [self.site.papers[i] for i in ids if i in self.site.papers]

    def proposal_of(self, session: Session) -> Proposal | None:
        if session.proposal and session.proposal in self.site.proposals:
            return self.site.proposals[session.proposal]
        return None

    def is_past(self, session: Session) -> bool:
        return session.end <= self.site.now

    def status(self, session: Session) -> str:
        return self.site.status(session)

    def ahead(self, session: Session) -> bool:
        return self.site.ahead(session)

    def kind_of(self, session: Session) -> EventKind | None:
        return self.site.config.kind_of(session.kind)

    def start_iso(self, session: Session) -> str:
        """The start for a ``datetime`` attribute: the day alone when the time is not known."""
        if not session.time_known:
            return self.local(session.start).date().isoformat()
        return session.start.isoformat()

    def by_year(self, sessions: list[Session]) -> list[tuple[int, list[Session]]]:
        years: dict[int, list[Session]] = {}
        for session in sessions:
            years.setdefault(self.local(session.start).year, []).append(session)
        return sorted(years.items(), reverse=True)

    def by_term(
        self, sessions: list[Session]
    ) -> list[tuple[AcademicTerm | None, int, list[Session]]]:
        """``sessions`` (newest first) grouped by term, and by year outside every term:
        ``(term, year, sessions)``, ``term`` None for a year's group, the group with the
        newest session first. Without terms, these are :meth:`by_year`'s groups."""
        if self._terms is None:
            terms = {t.slug: t for t in self.site.config.terms}
            self._terms = {
                s.slug: terms[slug] for slug, held in self.site.by_term.items() for s in held
            }
        groups: dict[str | int, tuple[AcademicTerm | None, int, list[Session]]] = {}
        for session in sessions:
            term = self._terms.get(session.slug)
            year = self.local(session.start).year
            key: str | int = term.slug if term is not None else year
            groups.setdefault(key, (term, year, []))[2].append(session)
        return sorted(groups.values(), key=lambda group: group[2][0].start, reverse=True)

    def proposals_by_status(self) -> list[tuple[str, list[Proposal]]]:
        groups = [
            (status, [p for p in self.site.proposals.values() if p.status == status])
            for status in PROPOSAL_ORDER
        ]
        return [(status, items) for status, items in groups if items]

    def reading_status(self, paper: Paper) -> str:
        """``queued``, ``reading`` or ``read``: as its reading list says, else ``read``
        once a session has discussed it, ``reading`` while one is still to come."""
        if paper.status:
            return paper.status
        if self.last_discussed(paper) is not None:
            return "read"
        ahead = any(self.site.ahead(s) for s in self.site.by_paper.get(paper.id, []))
        return "reading" if ahead else "queued"

    def last_discussed(self, paper: Paper) -> Session | None:
        """The latest session that has discussed ``paper``: over, and not cancelled."""
        held = [s for s in self.site.by_paper.get(paper.id, []) if self.site.status(s) == "past"]
        return held[-1] if held else None

    def join_url(self, session: Session) -> str | None:
        return session.join_url or self.site.config.meeting.join_url

    def location(self, session: Session) -> str | None:
        return session.location or self.site.config.meeting.location


def when(view: View, moment: datetime, style: str = "long") -> str:
    """A moment in the group's zone, as the site's language writes it: ``day``, ``date``
    (with a short weekday), ``short`` (the day alone), ``clock`` (the time alone),
    ``time`` (with the zone) or ``long`` (day, time and zone)."""
    clock = view.clock
    if style == "clock":
        return clock.time(moment)
    if style == "time":
        return f"{clock.time(moment)} {clock.zone(moment)}".strip()
    if style == "long":
        return f"{clock.moment(moment)} {clock.zone(moment)}".strip()
    return clock.date(moment, style)


def iso(moment: datetime | date) -> str:
    return moment.isoformat()


def authors(names: tuple[str, ...], limit: int = 4, t: Translations | None = None) -> str:
    """``A, B and C``; ``A, B, C, D et al.`` past ``limit`` names."""
    gettext = t.gettext if t is not None else str
    if len(names) > limit:
        return gettext("%(names)s et al.") % {"names": ", ".join(names[:limit])}
    if len(names) > 1:
        return gettext("%(names)s and %(last)s") % {
            "names": ", ".join(names[:-1]),
            "last": names[-1],
        }
    return names[0] if names else ""
