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
from rgsite.i18n.messages import N_

TBA_NOTE = N_("The details of this session are still to be announced.")
BREAK_NOTE = N_("There is no meeting on this day.")
PAPERS = N_("Papers to read")
RESOURCES = N_("Slides, recordings and links")
PAGE = N_("Session page")
ADD = N_("Add to calendar")
ADD_YOURS = N_("Add to your calendar")
IN_UTC = N_("In UTC")
"""The label of the time in UTC; plain text leaves it out, lining the time up under the
group's own."""


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
        return a.t.gettext("This session is cancelled.")
    if a.state == "break":
        return a.t.gettext(BREAK_NOTE)
    if a.state == "tba" and a.heading != a.t.gettext("Session"):
        return a.t.gettext(TBA_NOTE)
    return None


def _rows(a: Announcement) -> list[tuple[str, str, str | None]]:
    """``(label, text, link)`` for each fact: the link, if any, is the text itself."""
    _ = a.t.gettext
    rows: list[tuple[str, str, str | None]] = [(_("When"), a.local_time, None)]
    if a.utc_time:
        rows.append((_(IN_UTC), a.utc_time, None))
    if a.duration:
        rows.append((_("Duration"), a.duration, None))
    if a.location:
        rows.append((_("Where"), a.location, None))
    if a.join_url and a.meets:
        rows.append((_("Join"), a.join_url, a.join_url))
    if a.register and a.meets:
        rows.append((_("Register"), a.register, a.register))
    if a.speakers:
        label = a.t.ngettext("Speaker", "Speakers", len(a.speakers))
        rows.append((label, ", ".join(_speaker(*s) for s in a.speakers), None))
    if a.hosts:
        label = a.t.ngettext("Host", "Hosts", len(a.hosts))
        rows.append((label, ", ".join(_speaker(*s) for s in a.hosts), None))
    return rows


# -- text ----------------------------------------------------------------------------------


def as_text(a: Announcement) -> str:
    _ = a.t.gettext
    lines = [f"{a.group} — {a.kicker}", "", a.title, ""]
    note = _note(a)
    if note:
        lines += [note, ""]
    rows = [("" if label == _(IN_UTC) else label, text) for label, text, _link in _rows(a)]
    width = max(len(label) for label, _ in rows) + 2
    lines += [(f"{label}:" if label else "").ljust(width) + value for label, value in rows]
    if a.abstract:
        lines += ["", prose.as_text(list(a.abstract))]
    if a.papers:
        lines += ["", _(PAPERS) + ":"]
        for paper in a.papers:
            lines.append(f"- {_paper_text(paper)}")
            if paper.link:
                lines.append(f"  {paper.link}")
    if a.resources:
        lines += ["", _(RESOURCES) + ":"]
        for resource in a.resources:
            lines += [f"- {resource.kind}: {resource.title}", f"  {resource.link}"]
    if a.page_url and a.calendar_url:
        labels = (_(PAGE) + ":", _(ADD) + ":")
        width = max(len(label) for label in labels) + 1
        lines += [
            "",
            labels[0].ljust(width) + a.page_url,
            labels[1].ljust(width) + a.calendar_url,
        ]
    return "\n".join(lines) + "\n"


# -- Markdown for Slack and Discord ----------------------------------------------------------


def as_markdown(a: Announcement) -> str:
    _ = a.t.gettext
    lines = [f"**{md_escape(a.group)} — {md_escape(a.kicker)}: {md_escape(a.title)}**"]
    note = _note(a)
    if note:
        lines.append(f"**{md_escape(note)}**")
    lines.append("")
    for label, text, link in _rows(a):
        lines.append(f"**{md_escape(label)}:** " + (md_link(link) if link else md_escape(text)))
    if a.abstract:
        lines += ["", prose.as_markdown(list(a.abstract))]
    if a.papers:
        lines += ["", f"**{md_escape(_(PAPERS))}**"]
        for paper in a.papers:
            link = f" {md_link(paper.link)}" if paper.link else ""
            lines.append(f"- {md_escape(_paper_text(paper))}{link}")
    if a.resources:
        lines += ["", f"**{md_escape(_(RESOURCES))}**"]
        for resource in a.resources:
            text = md_escape(f"{resource.kind}: {resource.title}")
            lines.append(f"- {text} {md_link(resource.link)}")
    if a.page_url and a.calendar_url:
        lines += [
            "",
            f"**{md_escape(_(PAGE))}:** {md_link(a.page_url)}",
            f"**{md_escape(_(ADD))}:** {md_link(a.calendar_url)}",
        ]
    return "\n".join(lines) + "\n"


# -- HTML email ------------------------------------------------------------------------------


def _a(url: str, text: str | None = None) -> str:
    return f'<a href="{escape(url)}">{escape(text if text is not None else url)}</a>'


def as_html(a: Announcement) -> str:
    e, _ = escape, a.t.gettext
    rows = [
        f"<strong>{e(label)}:</strong> " + (_a(link) if link else e(text))
        for label, text, link in _rows(a)
    ]
    body = [
        f"<p>{e(a.group)} — {e(a.kicker)}</p>",
        f"<h1>{e(a.title)}</h1>",
    ]
    note = _note(a)
    if note:
        body.append(f"<p><strong>{e(note)}</strong></p>")
    body.append("<p>" + "<br>\n".join(rows) + "</p>")
    if a.abstract:
        body.append(prose.as_html(list(a.abstract)))
    if a.papers:
        body.append(f"<h2>{e(_(PAPERS))}</h2>")
        body.append("<ul>")
        for paper in a.papers:
            title = _a(paper.link, paper.title) if paper.link else e(paper.title)
            byline = ", ".join(part for part in (paper.authors, str(paper.year or "")) if part)
            body.append(f"<li>{title}" + (f" — {e(byline)}" if byline else "") + "</li>")
        body.append("</ul>")
    if a.resources:
        body.append(f"<h2>{e(_(RESOURCES))}</h2>")
        body.append("<ul>")
        for resource in a.resources:
            body.append(f"<li>{e(resource.kind)}: {_a(resource.link, resource.title)}</li>")
        body.append("</ul>")
    if a.page_url and a.calendar_url:
        body.append(f"<p>{_a(a.page_url, _(PAGE))} · {_a(a.calendar_url, _(ADD_YOURS))}</p>")
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
