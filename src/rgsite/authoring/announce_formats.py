"""An announcement written out: plain text for email, Markdown for chat, an HTML email.

The Markdown is the subset Slack and Discord both show: ``**bold**``, ``- `` lists and
links in angle brackets after their text (Discord shows no preview for those); text from
the site is escaped so a title with ``*`` or ``_`` stays as written. The HTML is a whole
document for an email body, with every text escaped and no scripts, styles or images.
Every format gives every link with its address: join, register, papers, resources, and
the links inside the abstract.
"""

from __future__ import annotations

from html import escape

from rgsite.authoring import prose
from rgsite.authoring.announcement import Announcement, PaperLine
from rgsite.authoring.prose import md_inline, md_link

TBA_NOTE = "The details of this session are still to be announced."
BREAK_NOTE = "There is no meeting on this day."


def md_escape(text: str) -> str:
    """Text shown as written in Markdown: specials escaped, no line starting a block."""
    return prose.md_line_start(md_inline(" ".join(text.split())))


def _speaker(name: str, affiliation: str) -> str:
    return f"{name} ({affiliation})" if affiliation else name


def _paper_text(paper: PaperLine) -> str:
    byline = ", ".join(part for part in (paper.authors, str(paper.year or "")) if part)
    return paper.title + (f" — {byline}" if byline else "")


def _note(a: Announcement) -> str | None:
    if a.cancelled:
        return "This session is cancelled."
    if a.state == "break":
        return BREAK_NOTE
    if a.state == "tba" and a.heading != "Session":
        return TBA_NOTE
    return None


def _rows(a: Announcement) -> list[tuple[str, str, str | None]]:
    """``(label, text, link)`` for each fact: the link, if any, is the text itself."""
    rows: list[tuple[str, str, str | None]] = [("When", a.local_time, None)]
    if a.utc_time:
        rows.append(("In UTC", a.utc_time, None))
    if a.duration:
        rows.append(("Duration", a.duration, None))
    if a.location:
        rows.append(("Where", a.location, None))
    if a.join_url and a.meets:
        rows.append(("Join", a.join_url, a.join_url))
    if a.register and a.meets:
        rows.append(("Register", a.register, a.register))
    if a.speakers:
        label = "Speaker" if len(a.speakers) == 1 else "Speakers"
        rows.append((label, ", ".join(_speaker(*s) for s in a.speakers), None))
    if a.hosts:
        label = "Host" if len(a.hosts) == 1 else "Hosts"
        rows.append((label, ", ".join(_speaker(*s) for s in a.hosts), None))
    return rows


# -- text ----------------------------------------------------------------------------------


def as_text(a: Announcement) -> str:
    lines = [f"{a.group} — {a.heading.lower()}", "", a.title, ""]
    note = _note(a)
    if note:
        lines += [note, ""]
    rows = [("" if label == "In UTC" else label, text) for label, text, _ in _rows(a)]
    width = max(len(label) for label, _ in rows) + 2
    lines += [(f"{label}:" if label else "").ljust(width) + value for label, value in rows]
    if a.abstract:
        lines += ["", prose.as_text(list(a.abstract))]
    if a.papers:
        lines += ["", "Papers to read:"]
        for paper in a.papers:
            lines.append(f"- {_paper_text(paper)}")
            if paper.link:
                lines.append(f"  {paper.link}")
    if a.resources:
        lines += ["", "Slides, recordings and links:"]
        for resource in a.resources:
            lines += [f"- {resource.kind}: {resource.title}", f"  {resource.link}"]
    if a.page_url and a.calendar_url:
        lines += [
            "",
            f"Session page:    {a.page_url}",
            f"Add to calendar: {a.calendar_url}",
        ]
    return "\n".join(lines) + "\n"


# -- Markdown for Slack and Discord ----------------------------------------------------------


def as_markdown(a: Announcement) -> str:
    lines = [f"**{md_escape(a.group)} — {a.heading.lower()}: {md_escape(a.title)}**"]
    note = _note(a)
    if note:
        lines.append(f"**{md_escape(note)}**")
    lines.append("")
    for label, text, link in _rows(a):
        lines.append(f"**{label}:** " + (md_link(link) if link else md_escape(text)))
    if a.abstract:
        lines += ["", prose.as_markdown(list(a.abstract))]
    if a.papers:
        lines += ["", "**Papers to read**"]
        for paper in a.papers:
            link = f" {md_link(paper.link)}" if paper.link else ""
            lines.append(f"- {md_escape(_paper_text(paper))}{link}")
    if a.resources:
        lines += ["", "**Slides, recordings and links**"]
        for resource in a.resources:
            text = md_escape(f"{resource.kind}: {resource.title}")
            lines.append(f"- {text} {md_link(resource.link)}")
    if a.page_url and a.calendar_url:
        lines += [
            "",
            f"**Session page:** {md_link(a.page_url)}",
            f"**Add to calendar:** {md_link(a.calendar_url)}",
        ]
    return "\n".join(lines) + "\n"


# -- HTML email ------------------------------------------------------------------------------


def _a(url: str, text: str | None = None) -> str:
    return f'<a href="{escape(url)}">{escape(text if text is not None else url)}</a>'


def as_html(a: Announcement) -> str:
    e = escape
    rows = [
        f"<strong>{e(label)}:</strong> " + (_a(link) if link else e(text))
        for label, text, link in _rows(a)
    ]
    body = [
        f"<p>{e(a.group)} — {e(a.heading.lower())}</p>",
        f"<h1>{e(a.title)}</h1>",
    ]
    note = _note(a)
    if note:
        body.append(f"<p><strong>{e(note)}</strong></p>")
    body.append("<p>" + "<br>\n".join(rows) + "</p>")
    if a.abstract:
        body.append(prose.as_html(list(a.abstract)))
    if a.papers:
        body.append("<h2>Papers to read</h2>")
        body.append("<ul>")
        for paper in a.papers:
            title = _a(paper.link, paper.title) if paper.link else e(paper.title)
            byline = ", ".join(part for part in (paper.authors, str(paper.year or "")) if part)
            body.append(f"<li>{title}" + (f" — {e(byline)}" if byline else "") + "</li>")
        body.append("</ul>")
    if a.resources:
        body.append("<h2>Slides, recordings and links</h2>")
        body.append("<ul>")
        for resource in a.resources:
            body.append(f"<li>{e(resource.kind)}: {_a(resource.link, resource.title)}</li>")
        body.append("</ul>")
    if a.page_url and a.calendar_url:
        body.append(
            f"<p>{_a(a.page_url, 'Session page')} · "
            f"{_a(a.calendar_url, 'Add to your calendar')}</p>"
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
