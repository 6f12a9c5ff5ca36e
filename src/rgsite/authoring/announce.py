"""The announcement of a session, gathered from the site.

Every format (:mod:`rgsite.authoring.announce_formats`) says the same things: the group,
the session's title, its date and time in the group's zone and in UTC (or that the time
is still to be announced), its duration, where it happens, how to join and where to
register, the speakers with their affiliations, the abstract (``abstract`` whole, else
the ``tldr``, else the notes' first paragraph whole, with every link's address), the
papers to read and the session's resources with their links, and the absolute links to
the session's page and its calendar file. A break says only that there is no meeting.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rgsite.authoring.announce_formats import as_html, as_markdown, as_text
from rgsite.authoring.announcement import Announcement, PaperLine, ResourceLine
from rgsite.authoring.prose import Block, first_paragraph, plain_blocks, read_prose
from rgsite.errors import did_you_mean
from rgsite.i18n.dates import Clock
from rgsite.i18n.messages import N_
from rgsite.model import Kind, Session, Site
from rgsite.render.views import View, authors
from rgsite.routes import event_url, url_of

FORMATS = ("text", "markdown", "html")


class NoSession(LookupError):
    """No session to announce; the message says what to do."""


def pick_session(site: Site, ref: str | None) -> Session:
    """The session named by ``ref`` (a slug, a session file's path, or a date), else the next."""
    if ref is None:
        session = site.next_session()
        if session is None:
            raise NoSession(
                f"no session after {site.now:%Y-%m-%d %H:%M %Z}; name one, e.g. "
                "'rgsite announce 2023-01-21-topic', or add one with 'rgsite new session'"
            )
        return session
    slug = ref.strip().rstrip("/")
    slug = re.sub(r"(/index)?\.md$", "", slug).rsplit("/", 1)[-1]
    if slug in site.sessions:
        return site.sessions[slug]
    on_day = [s for s in site.sessions.values() if s.slug.startswith(f"{slug}-")]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", slug) and len(on_day) == 1:
        return on_day[0]
    hint = did_you_mean(slug, site.sessions)
    if not hint and on_day:
        hint = " (that day has: " + ", ".join(s.slug for s in on_day) + ")"
    raise NoSession(f"no session '{ref}'{hint}; session ids are file names without .md")


HEADINGS = {
    "cancelled": (N_("Cancelled session"), N_("cancelled session")),
    "break": (N_("No meeting"), N_("no meeting")),
    "next": (N_("Next session"), N_("next session")),
    "upcoming": (N_("Upcoming session"), N_("upcoming session")),
    "past": (N_("Session"), N_("session")),
}
"""What an announcement is, as its title says it and as its first line does."""


def _offset(moment: datetime) -> str:
    raw = moment.strftime("%z")  # +HHMM
    return f"UTC{raw[0]}{raw[1:3]}:{raw[3:5]}" if raw else "UTC"


def times(view: View, session: Session) -> tuple[str, str]:
    """The session's time span in the group's zone (with its offset) and in UTC, as its
    pages write it; the day alone for a break, and for a session whose time is not known."""
    clock = view.clock
    start = view.local(session.start)
    if session.is_break:
        return clock.date(start, "day"), ""
    if session.date_approximate:
        day = clock.date(start, "day")
        return view.gettext("%(day)s (date approximate)") % {"day": day}, ""
    if not session.time_known:
        day = clock.date(start, "day")
        return view.gettext("%(day)s, time to be announced") % {"day": day}, ""
    local = clock.span(session.start, session.end)
    if clock.zone(start) != "UTC":
        local += f" ({_offset(start)})"
    in_utc = Clock(clock.language, clock.time_format, ZoneInfo("UTC"), view.t)
    return local, in_utc.span(session.start, session.end)


def facts(site: Site, session: Session) -> Announcement:
    view = View(site, {})
    local_time, utc_time = times(view, session)
    heading, kicker = HEADINGS[_heading(site, session)]
    said: dict[str, Any] = {
        "group": site.config.title,
        "heading": view.gettext(heading),
        "kicker": view.gettext(kicker),
        "t": view.t,
        "title": session.title,
        "state": session.state,
        "local_time": local_time,
        "utc_time": utc_time,
        "language": site.config.language,
    }
    if session.is_break:  # no meeting: nothing to join, read or add to a calendar
        return Announcement(
            **said,
            duration="",
            location=None,
            join_url=None,
            register=None,
            speakers=(),
            abstract=(),
            papers=(),
            resources=(),
            page_url=None,
            calendar_url=None,
        )
    page = view.absolute(url_of(Kind.SESSION, session.slug))
    meets = not session.cancelled
    papers = tuple(
        PaperLine(paper.title, authors(paper.authors, t=view.t), paper.year, paper.link)
        for paper in view.papers_of(session.papers)
    )
    resources = tuple(
        ResourceLine(r.title, view.kind_label(r.kind), _absolute(view, r.url))
        for r in session.resources
        if r.url is not None
    )
    return Announcement(
        **said,
        duration=view.clock.duration(session.duration) if session.time_known else "",
        location=view.location(session),
        join_url=view.join_url(session) if meets else None,
        register=session.register if meets else None,
        speakers=tuple((s.name, s.affiliation) for s in view.speakers_of(session.speakers)),
        hosts=tuple((s.name, s.affiliation) for s in view.speakers_of(session.hosts)),
        abstract=tuple(_abstract(session, page)),
        papers=papers,
        resources=resources,
        page_url=page,
        calendar_url=view.absolute(event_url(session)),
    )


def _heading(site: Site, session: Session) -> str:
    upcoming = site.next_session()
    if session.cancelled:
        return "cancelled"
    if session.is_break:
        return "break"
    if upcoming is not None and upcoming.slug == session.slug:
        return "next"
    if session.end > site.now:
        return "upcoming"
    return "past"


def _abstract(session: Session, page: str) -> list[Block]:
    """The abstract whole; else the TL;DR; else the notes' first paragraph, whole."""
    if session.abstract_html:
        return read_prose(session.abstract_html, page)
    if session.tldr:
        return plain_blocks(session.tldr)
    return first_paragraph(read_prose(session.body_html, page))


def _absolute(view: View, url: str) -> str:
    """A resource's address: a file in the session's folder is a path under the site."""
    if "://" in url or url.startswith("mailto:"):
        return url
    return view.site.config.origin + url


def announce(site: Site, session: Session, fmt: str = "text") -> str:
    """The announcement of ``session`` in ``fmt`` (one of :data:`FORMATS`)."""
    facts_ = facts(site, session)
    if fmt == "text":
        return as_text(facts_)
    if fmt == "markdown":
        return as_markdown(facts_)
    if fmt == "html":
        return as_html(facts_)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
