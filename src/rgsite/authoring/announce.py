"""The announcement of a session: plain text for email, Markdown for chat, an HTML email.

Every format says the same things: the group, the session's title, its date and time
in the group's zone and in UTC, its duration, where it happens and how to join, the
speakers with their affiliations, the abstract (``tldr``, or the first paragraph of
the notes), the papers to read with their links, and the absolute links to the
session's page and its calendar file.

The Markdown is the subset Slack and Discord both show: ``**bold**``, ``- `` lists and
links in angle brackets (Discord shows no preview for those); text from the site is
escaped so a title with ``*`` or ``_`` stays as written. The HTML is a whole document
for an email body, with every text escaped and no scripts, styles or images.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

from rgsite.errors import did_you_mean
from rgsite.model import Kind, Session, Site
from rgsite.render.views import View, authors
from rgsite.routes import url_of

FORMATS = ("text", "markdown", "html")


class NoSession(LookupError):
    """No session to announce; the message says what to do."""


@dataclass(frozen=True, slots=True)
class PaperLine:
    title: str
    authors: str
    year: int | None
    link: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Announcement:
    """What an announcement says, before any format."""

    group: str
    heading: str
    """``Next session``, ``Upcoming session``, ``Session`` or ``Cancelled session``."""
    title: str
    cancelled: bool
    local_time: str
    utc_time: str
    duration: str
    location: str | None
    join_url: str | None
    speakers: tuple[tuple[str, str], ...]
    """(name, affiliation) pairs."""
    abstract: str
    papers: tuple[PaperLine, ...]
    page_url: str
    calendar_url: str
    language: str = "en"


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


def duration_text(minutes: int) -> str:
    """``45 minutes``, ``1 hour``, ``1 hour 30 minutes``."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour" + ("s" if hours != 1 else ""))
    if rest or not hours:
        parts.append(f"{rest} minute" + ("s" if rest != 1 else ""))
    return " ".join(parts)


def _day(moment: datetime) -> str:
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def _span(start: datetime, end: datetime) -> str:
    if start.date() == end.date():
        return f"{_day(start)}, {start:%H:%M}–{end:%H:%M}"
    return f"{_day(start)}, {start:%H:%M} – {_day(end)}, {end:%H:%M}"


def _offset(moment: datetime) -> str:
    raw = moment.strftime("%z")  # +HHMM
    return f"UTC{raw[0]}{raw[1:3]}:{raw[3:5]}" if raw else "UTC"


def times(site: Site, session: Session) -> tuple[str, str]:
    """The session's time span in the group's zone (with its offset) and in UTC."""
    tz = site.config.tz
    start, end = session.start.astimezone(tz), session.end.astimezone(tz)
    zone = start.tzname() or site.config.timezone
    local = f"{_span(start, end)} {zone}"
    if zone != "UTC":
        local += f" ({_offset(start)})"
    utc = f"{_span(session.start.astimezone(UTC), session.end.astimezone(UTC))} UTC"
    return local, utc


def facts(site: Site, session: Session) -> Announcement:
    view = View(site, {})
    upcoming = site.next_session()
    if session.cancelled:
        heading = "Cancelled session"
    elif upcoming is not None and upcoming.slug == session.slug:
        heading = "Next session"
    elif session.end > site.now:
        heading = "Upcoming session"
    else:
        heading = "Session"
    local_time, utc_time = times(site, session)
    papers = tuple(
        PaperLine(
            title=paper.title,
            authors=authors(paper.authors),
            year=paper.year,
            link=paper.link,
        )
        for paper in view.papers_of(session.papers)
    )
    return Announcement(
        group=site.config.title,
        heading=heading,
        title=session.title,
        cancelled=session.cancelled,
        local_time=local_time,
        utc_time=utc_time,
        duration=duration_text(session.duration),
        location=view.location(session),
        join_url=view.join_url(session),
        speakers=tuple((s.name, s.affiliation) for s in view.speakers_of(session.speakers)),
        abstract=session.tldr or session.summary,
        papers=papers,
        page_url=view.absolute(url_of(Kind.SESSION, session.slug)),
        calendar_url=view.absolute(f"sessions/{session.slug}/event.ics"),
        language=site.config.language,
    )


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


def _speaker(name: str, affiliation: str) -> str:
    return f"{name} ({affiliation})" if affiliation else name


def _paper_text(paper: PaperLine) -> str:
    byline = ", ".join(part for part in (paper.authors, str(paper.year or "")) if part)
    return paper.title + (f" — {byline}" if byline else "")


# -- text ----------------------------------------------------------------------------------


def as_text(a: Announcement) -> str:
    lines = [f"{a.group} — {a.heading.lower()}", "", a.title, ""]
    if a.cancelled:
        lines += ["This session is cancelled.", ""]
    rows = [("When", a.local_time), ("", a.utc_time), ("Duration", a.duration)]
    if a.location:
        rows.append(("Where", a.location))
    if a.join_url and not a.cancelled:
        rows.append(("Join", a.join_url))
    if a.speakers:
        label = "Speaker" if len(a.speakers) == 1 else "Speakers"
        rows.append((label, ", ".join(_speaker(*s) for s in a.speakers)))
    width = max(len(label) for label, _ in rows) + 2
    lines += [(f"{label}:" if label else "").ljust(width) + value for label, value in rows]
    if a.abstract:
        lines += ["", a.abstract]
    if a.papers:
        lines += ["", "Papers to read:"]
        for paper in a.papers:
            lines.append(f"- {_paper_text(paper)}")
            if paper.link:
                lines.append(f"  {paper.link}")
    lines += [
        "",
        f"Session page:    {a.page_url}",
        f"Add to calendar: {a.calendar_url}",
    ]
    return "\n".join(lines) + "\n"


# -- Markdown for Slack and Discord ----------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_~|\[\]<>])")


def md_escape(text: str) -> str:
    """Text shown as written in Markdown: specials escaped, no line starting a block."""
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    escaped = re.sub(r"^(\d+)([.)])", r"\1\\\2", escaped)
    return re.sub(r"^([#>+-])", r"\\\1", escaped)


def _md_link(url: str) -> str:
    return f"<{url.replace('>', '%3E').replace(' ', '%20')}>"


def as_markdown(a: Announcement) -> str:
    lines = [f"**{md_escape(a.group)} — {a.heading.lower()}: {md_escape(a.title)}**"]
    if a.cancelled:
        lines.append("**This session is cancelled.**")
    lines += [
        "",
        f"**When:** {md_escape(a.local_time)}",
        f"**In UTC:** {md_escape(a.utc_time)}",
        f"**Duration:** {md_escape(a.duration)}",
    ]
    if a.location:
        lines.append(f"**Where:** {md_escape(a.location)}")
    if a.join_url and not a.cancelled:
        lines.append(f"**Join:** {_md_link(a.join_url)}")
    if a.speakers:
        label = "Speaker" if len(a.speakers) == 1 else "Speakers"
        names = ", ".join(md_escape(_speaker(*s)) for s in a.speakers)
        lines.append(f"**{label}:** {names}")
    if a.abstract:
        lines += ["", md_escape(a.abstract)]
    if a.papers:
        lines += ["", "**Papers to read**"]
        for paper in a.papers:
            link = f" {_md_link(paper.link)}" if paper.link else ""
            lines.append(f"- {md_escape(_paper_text(paper))}{link}")
    lines += [
        "",
        f"**Session page:** {_md_link(a.page_url)}",
        f"**Add to calendar:** {_md_link(a.calendar_url)}",
    ]
    return "\n".join(lines) + "\n"


# -- HTML email ------------------------------------------------------------------------------


def _a(url: str, text: str | None = None) -> str:
    return f'<a href="{escape(url)}">{escape(text if text is not None else url)}</a>'


def as_html(a: Announcement) -> str:
    e = escape
    rows = [
        f"<strong>When:</strong> {e(a.local_time)}",
        f"<strong>In UTC:</strong> {e(a.utc_time)}",
        f"<strong>Duration:</strong> {e(a.duration)}",
    ]
    if a.location:
        rows.append(f"<strong>Where:</strong> {e(a.location)}")
    if a.join_url and not a.cancelled:
        rows.append(f"<strong>Join:</strong> {_a(a.join_url)}")
    if a.speakers:
        label = "Speaker" if len(a.speakers) == 1 else "Speakers"
        rows.append(f"<strong>{label}:</strong> " + ", ".join(e(_speaker(*s)) for s in a.speakers))
    body = [
        f"<p>{e(a.group)} — {e(a.heading.lower())}</p>",
        f"<h1>{e(a.title)}</h1>",
    ]
    if a.cancelled:
        body.append("<p><strong>This session is cancelled.</strong></p>")
    body.append("<p>" + "<br>\n".join(rows) + "</p>")
    if a.abstract:
        body.append(f"<p>{e(a.abstract)}</p>")
    if a.papers:
        body.append("<h2>Papers to read</h2>")
        body.append("<ul>")
        for paper in a.papers:
            title = _a(paper.link, paper.title) if paper.link else e(paper.title)
            byline = ", ".join(part for part in (paper.authors, str(paper.year or "")) if part)
            body.append(f"<li>{title}" + (f" — {e(byline)}" if byline else "") + "</li>")
        body.append("</ul>")
    body.append(
        f"<p>{_a(a.page_url, 'Session page')} · {_a(a.calendar_url, 'Add to your calendar')}</p>"
    )
    return (
        "\n".join(
            [
                "<!DOCTYPE html>",
                f'<html lang="{e(a.language)}">',
                "<head>",
                '<meta charset="utf-8">',
                f"<title>{e(a.heading)}: {e(a.title)} — {e(a.group)}</title>",
                "</head>",
                "<body>",
                *body,
                "</body>",
                "</html>",
            ]
        )
        + "\n"
    )
