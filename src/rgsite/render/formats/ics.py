"""Sessions as iCalendar (RFC 5545): ``calendar.ics``, each ``event.ics``, Google links.

Every event carries its start and end in the group's zone (``TZID``) with a
``VTIMEZONE`` made from the IANA rules for the years the sessions span, so a client
without that zone still shows the right local time on both sides of a DST change.

Nothing here reads the clock or a file's mtime: the same site gives the same bytes.
rgsite keeps no history of edits, so the fields that tell a calendar "this changed"
are derived from the event itself:

``UID``
    ``<slug>[.<base path>]@<host>``. The slug is the file name (its date plus a name),
    so renaming a session's title keeps the UID; moving the site to another host or
    renaming the file starts a new event.
``SEQUENCE``
    ``2 × (minutes from the Unix epoch to DTSTART + minutes to DTEND) + 1 if cancelled``.
    RFC 5545 asks SEQUENCE to grow with every significant revision (start, end,
    status). Postponing, lengthening and cancelling — the usual revisions — all make
    it grow; only moving a session *earlier* makes it shrink, which no history-free
    scheme can avoid. A calendar that sees the same UID with a higher SEQUENCE
    replaces its copy.
``DTSTAMP`` and ``LAST-MODIFIED``
    The start of the event in UTC: deterministic and moving forward with a postponed
    session, like SEQUENCE.

A break has no event: nobody meets. An open slot (``status: tba``) has one, so the date
is held in readers' calendars; a session whose time is not known yet (``time: tba``) is
an all-day event (``DTSTART;VALUE=DATE``) until its time is written.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from icalendar import Calendar, Timezone

from rgsite import __version__
from rgsite.build import parallel
from rgsite.model import Kind
from rgsite.read.fields import slugify
from rgsite.render.formats.vevent import vevent
from rgsite.render.views import authors
from rgsite.routes import url_of

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rgsite.model import Session, Site
    from rgsite.render.views import View

PRODID = f"-//rgsite//rgsite {__version__}//EN"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Zulu", "Zulu", "Universal"})


def uid(site: Site, session: Session) -> str:
    """A UID that survives title edits and rebuilds: slug, base path and host."""
    config = site.config
    host = config.origin.split("://", 1)[1] if config.origin else slugify(config.title) + ".invalid"
    path = slugify(config.base_path.strip("/")) if config.base_path.strip("/") else ""
    return f"{session.slug}.{path}@{host}" if path else f"{session.slug}@{host}"


def sequence(session: Session) -> int:
    """Grows when a session is postponed, lengthened or cancelled (see the module doc)."""
    start = int((session.start - _EPOCH).total_seconds() // 60)
    end = int((session.end - _EPOCH).total_seconds() // 60)
    return 2 * (start + end) + (1 if session.cancelled else 0)


def events(site: Site) -> list[Session]:
    """The sessions that are calendar events: all but breaks."""
    return [s for s in site.sessions.values() if not s.is_break]


def summary(view: View, session: Session) -> str:
    names = [speaker.name for speaker in view.speakers_of(session.speakers)]
    text = session.title
    if names:
        text += " — " + authors(tuple(names), len(names), view.t)
    if session.date_approximate:  # an all-day event on a guessed day says so at a glance
        text = view.gettext("%(title)s (date approximate)") % {"title": text}
    if session.cancelled:
        return view.gettext("Cancelled: %(title)s") % {"title": text}
    return text


def description(view: View, session: Session) -> str:
    """TL;DR, hosts, join link and page link, as plain text."""
    parts = []
    if session.cancelled:
        parts.append(view.gettext("This session was cancelled."))
    if session.date_approximate:
        parts.append(view.gettext("The date is approximate: the archive does not record the day."))
    if session.description:
        parts.append(session.description)
    hosts = [host.name for host in view.speakers_of(session.hosts)]
    if hosts:
        names = authors(tuple(hosts), len(hosts), view.t)
        label = view.ngettext("Host: %(names)s", "Hosts: %(names)s", len(hosts))
        parts.append(label % {"names": names})
    join = view.join_url(session)
    if join and not session.cancelled:
        parts.append(view.gettext("Join: %(url)s") % {"url": join})
    if session.register and not session.cancelled:
        parts.append(view.gettext("Register: %(url)s") % {"url": session.register})
    if view.site.config.origin:
        page = view.absolute(url_of("session", session.slug))
        parts.append(view.gettext("Details: %(url)s") % {"url": page})
    return "\n\n".join(parts)


def where(view: View, session: Session) -> str | None:
    return view.location(session) or view.join_url(session)


def calendar(site: Site, view: View) -> bytes:
    """``calendar.ics``: every session of the site."""
    return _calendar(site, view, events(site), name=site.config.title)


def subject_calendar(
    site: Site, view: View, sessions: Iterable[Session], *, name: str, page: str
) -> bytes:
    """``<page>calendar.ics``: the sessions of one topic, speaker, kind or series, as
    events identical to the site calendar's (same UIDs), so a reader subscribed to both
    sees one event, not two. ``name`` is what the subject is called, ``page`` its page."""
    held = [s for s in sessions if not s.is_break]
    title = f"{site.config.title}: {name}"
    about = view.gettext("Sessions of %(calendar)s") % {"calendar": title}
    return _calendar(site, view, held, name=title, about=about, page=page)


def event_calendar(site: Site, view: View, session: Session) -> bytes:
    """``sessions/<slug>/event.ics``: one session, for "Add to calendar"."""
    return _calendar(site, view, [session], name=None)


def _calendar(
    site: Site,
    view: View,
    sessions: Iterable[Session],
    *,
    name: str | None,
    about: str = "",
    page: str = "",
) -> bytes:
    config = site.config
    utc = config.timezone in _UTC_NAMES
    made = [_kept_event(site, view, s, utc=utc) for s in sessions]
    years = None
    if made and not utc:
        years = (min(min(m[1:]) for m in made), max(max(m[1:]) for m in made) + 1)
    described = about or config.description
    url = view.absolute(page) if name is not None and config.origin else None
    end = b"END:VCALENDAR\r\n"
    head = _head(config.timezone, name, described, url)[: -len(end)]
    zone = _zone(config.timezone, years) if years is not None else b""
    return b"".join([head, zone, *(m[0] for m in made), end])


@lru_cache(maxsize=256)
def _head(timezone: str, name: str | None, about: str, url: str | None) -> bytes:
    """The calendar without its zone and events: the same for every ``event.ics``."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name is not None:
        cal.add("name", name)
        cal.add("x-wr-calname", name)
        if about:
            cal.add("x-wr-caldesc", about)
        cal.add("x-wr-timezone", timezone)
        if url is not None:
            cal.add("url", url)
        cal.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT12H")
    return bytes(cal.to_ical())


@lru_cache(maxsize=64)
def _zone(timezone: str, years: tuple[int, int]) -> bytes:
    """The VTIMEZONE for these years, remembered: made from the zone's rules, it cost as
    much as the events of a calendar, and most calendars span the same years."""
    first, last = years
    zone = Timezone.from_tzid(timezone, first_date=date(first, 1, 1), last_date=date(last, 1, 1))
    return bytes(zone.to_ical())


EventFields = tuple[tuple[str, Any], ...]


def _kept_event(site: Site, view: View, session: Session, *, utc: bool) -> tuple[bytes, int, int]:
    """A session's VEVENT, and the years (in the group's zone) it starts and ends in, for
    the calendar's zone: made once for every calendar it is in, and kept by the view for
    the preview's next build."""

    write = parallel.across_builds(_event)

    def make() -> tuple[bytes, int, int]:
        event = write(_event_fields(site, view, session, utc=utc))
        return event, view.local(session.start).year, view.local(session.end).year

    made: tuple[bytes, int, int] = view.kept(
        f"session:{session.slug}", session, ("event", utc), make
    )
    return made


def _event_fields(site: Site, view: View, session: Session, *, utc: bool) -> EventFields:
    stamp = session.start.astimezone(UTC)
    fields: list[tuple[str, Any]] = [
        ("uid", uid(site, session)),
        ("dtstamp", stamp),
        ("last-modified", stamp),
        ("sequence", sequence(session)),
    ]
    start, end = _span(view, session, utc=utc)
    fields += [("dtstart", start), ("dtend", end), ("summary", summary(view, session))]
    text = description(view, session)
    if text:
        fields.append(("description", text))
    place = where(view, session)
    if place:
        fields.append(("location", place))
    if site.config.origin:
        fields.append(("url", view.absolute(url_of(Kind.SESSION, session.slug))))
    if session.topics:
        fields.append(("categories", tuple(session.topics)))
    fields.append(("status", "CANCELLED" if session.cancelled else "CONFIRMED"))
    # A day whose hours are not known yet must not mark the reader busy all day.
    free = session.cancelled or not session.time_known
    fields.append(("transp", "TRANSPARENT" if free else "OPAQUE"))
    return tuple(fields)


def _span(view: View, session: Session, *, utc: bool) -> tuple[date | datetime, date | datetime]:
    """DTSTART and DTEND: local times with the zone, UTC for a UTC site, or the day alone
    (an all-day event) when the time is not known."""
    if not session.time_known:
        day = view.local(session.start).date()
        return day, day + timedelta(days=1)
    if utc:
        return session.start.astimezone(UTC), session.end.astimezone(UTC)
    return view.local(session.start), view.local(session.end)


@lru_cache(maxsize=32768)
def _event(fields: EventFields) -> bytes:
    """One VEVENT, remembered across the preview's builds: a build that reads the site
    again makes a new view, but most events are the same."""
    return vevent(fields)


def google_calendar_url(view: View, session: Session) -> str:
    """A link that opens Google Calendar's "new event" form filled in with the session."""
    if session.time_known:
        start, end = session.start.astimezone(UTC), session.end.astimezone(UTC)
        dates = f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"
    else:  # a whole day: Google takes the day after as its end
        day = view.local(session.start).date()
        dates = f"{day:%Y%m%d}/{day + timedelta(days=1):%Y%m%d}"
    query = {
        "action": "TEMPLATE",
        "text": summary(view, session),
        "dates": dates,
        "details": description(view, session),
        "ctz": view.site.config.timezone,
    }
    place = where(view, session)
    if place:
        query["location"] = place
    return "https://calendar.google.com/calendar/render?" + urlencode(query)
