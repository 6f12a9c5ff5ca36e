"""A talk's body: template code converted, HTML made Markdown, links followed.

In order: Liquid or shortcodes (:mod:`.body`), HTML to Markdown for ``.html`` posts
(:mod:`.htmltext`), links that say they are slides, recordings or code become resources
and the paper's link a paper (:mod:`.links`). Then every link to the old site is
followed: to another imported page it becomes a placeholder that :mod:`.write` points
at the new session's file; to a file of the old site (slides, an image) the file is
copied beside the session; anything else is reported, since ``rgsite check`` would call
it broken.
"""

from __future__ import annotations

import re

from rgsite.errors import Location
from rgsite.importing.entry import Entry, Value
from rgsite.importing.report import Report
from rgsite.importing.talk import Resource, Talk
from rgsite.importing.values.body import DOC_LINK, HUGO_REF, POST_URL, Cleaned, hugo, liquid
from rgsite.importing.values.dates import Unreadable
from rgsite.importing.values.htmltext import looks_like_html, to_markdown
from rgsite.importing.values.links import TITLES, body_links, paper_ref

PLACEHOLDER = "rgsite-import-link-"
_TARGET = re.compile(
    r"(?P<md>(?P<bang>!?)\[(?P<text>[^\]\n]*)\]\(\s*<?(?P<url>[^)\s>]+)>?(?P<title>\s+\"[^\"]*\")?\s*\))"
    r"|(?P<attr>\b(?:href|src)=[\"'](?P<aurl>[^\"']+)[\"'])",
)
_PSEUDO = (POST_URL, DOC_LINK, HUGO_REF)


def read_body(
    talk: Talk, entry: Entry, extra: list[Value], report: Report, pages: dict[str, str]
) -> None:
    text = entry.body
    if entry.templating == "liquid":
        cleaned = liquid(text, lambda key: _page_value(entry, key))
        _leftovers(cleaned, entry, report, "Liquid tag")
    elif entry.templating == "hugo":
        cleaned = hugo(text)
        _leftovers(cleaned, entry, report, "Hugo shortcode")
    else:
        cleaned = Cleaned(text)
    for kind, url, title in cleaned.resources:
        talk.add_resource(Resource(title or TITLES[kind], kind, url))
    text = cleaned.text
    if entry.syntax == "html":
        converted = to_markdown(text)
        for tag in converted.dropped:
            report.cannot_use("HTML", tag, entry.where, "left out of the body")
        for url in converted.embeds:
            talk.add_resource(Resource("Recording", "video", url))
        text = converted.markdown
    for value in extra:
        more = str(value.value).strip()
        if looks_like_html(more):
            more = to_markdown(more).markdown
        text = f"{text.rstrip()}\n\n{more}" if text.strip() else more
    for link in body_links(text):
        if link.kind == "paper":
            ref = paper_ref(link.url)
            if not isinstance(ref, Unreadable):
                talk.add_paper(ref)
        elif "://" in link.url:
            talk.add_resource(Resource(_title(link.text, link.kind), link.kind, link.url))
        elif (found := entry.find(link.url)) is not None:
            talk.add_resource(Resource(_title(link.text, link.kind), link.kind, talk.attach(found)))
    talk.body = _tidy(_follow(text, talk, entry, report, pages))


def _tidy(text: str) -> str:
    """No runs of blank lines (where converted tags were), except inside code fences;
    no trailing spaces, which Markdown would read as line breaks."""
    lines: list[str] = []
    fence = False
    for line in text.strip("\n").split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if not fence and not line.strip() and lines and not lines[-1].strip():
            continue
        lines.append(line if fence else line.rstrip())
    return "\n".join(lines).strip("\n")


def _title(text: str, kind: str) -> str:
    words = " ".join(text.split())
    return words if 0 < len(words) <= 60 and "://" not in words else TITLES[kind]


def _page_value(entry: Entry, key: str) -> str | None:
    for value in entry.values:
        if value.key == key and isinstance(value.value, str | int | float):
            return str(value.value)
    return None


def _leftovers(cleaned: Cleaned, entry: Entry, report: Report, what: str) -> None:
    for code, line in cleaned.leftovers:
        report.cannot_use(
            what,
            code,
            Location(entry.where.path, entry.body_line + line),
            "not converted: it is kept in the session as an HTML comment (or as text, inside "
            "a line); replace it with Markdown",
        )


def _follow(text: str, talk: Talk, entry: Entry, report: Report, pages: dict[str, str]) -> str:
    def where(url: str) -> Location:
        at = entry.body.find(url.split(":", 1)[-1] if url.startswith(_PSEUDO) else url)
        return Location(entry.where.path, entry.body_line + max(entry.body[:at].count("\n"), 0))

    def follow(url: str, whole: str, link_text: str | None) -> str:
        if "://" in url or url.startswith(("#", "mailto:", "tel:", "data:")):
            return whole
        address, _, fragment = url.partition("#")
        address = address.split("?", 1)[0]
        origin = _page(address, pages)
        if origin is not None:
            placeholder = f"{PLACEHOLDER}{len(talk.links)}"
            talk.links[placeholder] = (origin, url, where(url))
            return whole.replace(url, placeholder + (f"#{fragment}" if fragment else ""), 1)
        if address.startswith(_PSEUDO):
            report.cannot_use(
                "link",
                url,
                where(url),
                "links to a page of the old site that was not imported; the link is left out "
                "and its text kept",
            )
            return link_text if link_text is not None else whole.replace(url, "#", 1)
        found = entry.find(address)
        if found is not None:
            return whole.replace(url, talk.attach(found), 1)
        report.cannot_use(
            "link",
            url,
            where(url),
            "points at the old site, which this import did not bring over; rgsite check "
            "will call it broken: link to the full old address, or remove it",
        )
        return whole

    def replace(match: re.Match[str]) -> str:
        if match["md"]:
            text = None if match["bang"] else match["text"]
            return follow(match["url"], match[0], text)
        return follow(match["aurl"], match[0], None)

    return _TARGET.sub(replace, text)


def _page(address: str, pages: dict[str, str]) -> str | None:
    """The origin of the imported page an address of the old site names, if any."""
    if not address:
        return None
    candidates = [address]
    if address.startswith(_PSEUDO):
        prefix, _, rest = address.partition(":")
        rest = rest.strip("\"'")
        candidates = [f"{prefix}:{rest}", f"{prefix}:{rest.lstrip('/')}"]
    else:
        bare = address.rstrip("/")
        candidates += [bare, bare + "/", bare + ".html", bare.removesuffix(".html") + "/"]
    for candidate in candidates:
        if candidate in pages:
            return pages[candidate]
    return None
