"""``feed.xml``: an Atom feed (RFC 4287) of session recaps and proposals, newest first.

Entries are the sessions that have taken place (not cancelled, not open slots nor
breaks) and the dated proposals; a session with no recap yet carries its abstract. An
entry's id is its page's absolute URL — stable as long as the slug and ``base_url``
are — and its content is the page's full HTML with every link made absolute, so feed
readers that ignore ``xml:base`` still resolve images and links.
``updated`` comes from the content (a session's end, a proposal's date), never from
the clock, so the same site gives the same bytes.
"""

from __future__ import annotations

import html
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from rgsite import __version__
from rgsite.i18n.markup import localise
from rgsite.model import Kind
from rgsite.render.views import authors
from rgsite.routes import url_of

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rgsite.model import Proposal, Session, Site
    from rgsite.render.views import View

ATOM = "http://www.w3.org/2005/Atom"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_URL_ATTRS = re.compile(
    r"""(\s(?:href|src|poster|cite|action|data)\s*=\s*)("[^"]*"|'[^']*')""", re.IGNORECASE
)
_SRCSET = re.compile(r"""(\ssrcset\s*=\s*)("[^"]*"|'[^']*')""", re.IGNORECASE)

LIMIT = 50
"""Entries in the feed: the newest recaps and proposals, as feed readers expect."""


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    title: str
    link: str
    updated: datetime
    published: datetime
    authors: tuple[str, ...]
    categories: tuple[str, ...]
    summary: str
    content: str


@dataclass(frozen=True, slots=True)
class Written:
    """An entry as every feed it is in writes it, with what feeds sort entries by: what a
    build keeps of a recap, whose full text is in several feeds."""

    updated: datetime
    id: str
    xml: bytes

    @classmethod
    def of(cls, entry: Entry) -> Written:
        return cls(entry.updated, entry.id, _entry_xml(entry))


def feed(site: Site, view: View) -> bytes:
    """The whole feed as UTF-8 XML."""
    made = (_proposal_entry(view, p) for p in site.proposals.values())
    proposals = [Written.of(e) for e in made if e is not None]
    entries = [_session_entry(view, s) for s in recaps(site)] + proposals
    return _feed(site, view, entries, title=site.config.title, path="feed.xml", page="")


def subject_feed(
    site: Site,
    view: View,
    sessions: Iterable[Session],
    *,
    name: str,
    page: str,
    every: Recaps | None = None,
) -> bytes:
    """``<page>feed.xml``: the recaps of one topic, speaker, kind or series — the same
    entries (same ids) as the site feed's, so a reader subscribed to both sees each once.
    ``every``: :func:`all_recaps`, when the caller has it already."""
    entries = [_session_entry(view, s) for s in recaps(site, sessions, every)]
    title = f"{site.config.title}: {name}"
    return _feed(site, view, entries, title=title, path=page + "feed.xml", page=page)


def _feed(
    site: Site, view: View, entries: list[Written], *, title: str, path: str, page: str
) -> bytes:
    ET.register_namespace("", ATOM)
    entries = sorted(entries, key=lambda e: (e.updated, e.id), reverse=True)[:LIMIT]
    root = ET.Element(f"{{{ATOM}}}feed")
    if site.config.origin:
        root.set(f"{{{XML_NS}}}base", view.absolute())
    root.set(f"{{{XML_NS}}}lang", site.config.language)
    _text(root, "id", _id(view, page))
    _text(root, "title", title)
    if site.config.description:
        _text(root, "subtitle", site.config.description)
    updated = entries[0].updated if entries else datetime(1970, 1, 1, tzinfo=UTC)
    _text(root, "updated", _stamp(updated))
    _link(root, view.absolute(path), "self", "application/atom+xml")
    _link(root, view.absolute(page), "alternate", "text/html")
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", site.config.title)
    if site.config.origin:
        _text(author, "uri", view.absolute())
    generator = _text(root, "generator", "rgsite")
    generator.set("version", __version__)
    ET.indent(root, space="  ")
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    if entries:
        # What ET would write for the whole tree: each entry after the header, indented.
        head, end = data.rsplit(b"\n</feed>", 1)
        data = b"\n  ".join([head, *(e.xml for e in entries)]) + b"\n</feed>" + end
    return data + b"\n"


def _entry_xml(entry: Entry) -> bytes:
    """One entry as it is written in any feed (indented one level in)."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    _entry(root, entry)
    ET.indent(root, space="  ", level=0)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    start = data.index(b"\n  <") + 3
    return data[start : data.rindex(b"\n</feed>")]


Recaps = dict[str, int]
"""The slug of each session that may hold a recap, and its place among them."""


def all_recaps(site: Site) -> Recaps:
    return {session.slug: n for n, session in enumerate(site.recaps())}


def recaps(
    site: Site, among: Iterable[Session] | None = None, every: Recaps | None = None
) -> list[Session]:
    """The sessions that may be in the feed; ``among``: of these sessions only;
    ``every``: :func:`all_recaps`, when the caller has it already."""
    # Only the newest sessions can be among the newest entries; making an entry
    # (absolute links in the full recap) is the costly part for a long archive.
    if among is None:
        return [s for s in site.recaps() if not s.cancelled][-LIMIT:]
    every = all_recaps(site) if every is None else every
    held = [s for s in among if s.slug in every and not s.cancelled]
    held.sort(key=lambda s: every[s.slug])  # a subject's sessions, not the archive, walked
    return held[-LIMIT:]


def _session_entry(view: View, session: Session) -> Written:
    """A recap's entry, made and written once per build however many feeds it is in (its
    topics', speakers', kind's, series'); only the written XML is kept. The preview
    patches a session's text into the same model, so an entry is reused only while what
    it was made from is the same."""
    made: dict[str, tuple[tuple[Any, ...], Written]] = view.made.setdefault("atom entries", {})
    source = (
        session,
        session.title,
        session.tldr,
        session.description,
        session.body_html,
        session.abstract_html,
        session.start,
        session.end,
        session.speakers,
        session.topics,
    )
    held = made.get(session.slug)
    if held is not None and held[0] == source:
        return held[1]
    entry = Written.of(_make_session_entry(view, session))
    made[session.slug] = (source, entry)
    return entry


def _make_session_entry(view: View, session: Session) -> Entry:
    page = view.absolute(url_of(Kind.SESSION, session.slug))
    names = tuple(s.name for s in view.speakers_of(session.speakers))
    parts = []
    if session.date_approximate:
        day = view.clock.date(session.start, "day")
        when = view.gettext("%(day)s (date approximate)") % {"day": day}
    elif session.time_known:
        when = view.clock.span(session.start, session.end)
    else:
        when = view.clock.date(session.start, "day")
    byline = " · " + authors(names, len(names), view.t) if names else ""
    parts.append(
        f'<p><time datetime="{view.start_iso(session)}">{html.escape(when)}</time>'
        f"{html.escape(byline)}</p>"
    )
    if session.tldr:
        tldr = html.escape(view.gettext("TL;DR"))
        parts.append(f"<p><strong>{tldr}</strong> {html.escape(session.tldr)}</p>")
    parts.append(localise(session.body_html or session.abstract_html, view.t))
    return Entry(
        id=_id(view, url_of(Kind.SESSION, session.slug)),
        title=session.title,
        link=page,
        updated=session.end,
        published=session.start,
        authors=names,
        categories=session.topics,
        summary=session.description,
        content=absolute_links("\n".join(parts), page),
    )


def _proposal_entry(view: View, proposal: Proposal) -> Entry | None:
    if proposal.date is None:
        return None
    page = view.absolute(url_of(Kind.PROPOSAL, proposal.slug))
    moment = datetime.combine(proposal.date, time(0, 0), tzinfo=view.site.config.tz)
    names = tuple(s.name for s in view.speakers_of(proposal.proposed_by))
    status = view.proposal_status(proposal.status)
    kind = view.gettext("Proposal")
    parts = [f"<p>{html.escape(kind)} · {html.escape(status)}</p>"]
    if proposal.tldr:
        tldr = html.escape(view.gettext("TL;DR"))
        parts.append(f"<p><strong>{tldr}</strong> {html.escape(proposal.tldr)}</p>")
    parts.append(localise(proposal.body_html, view.t))
    return Entry(
        id=_id(view, url_of(Kind.PROPOSAL, proposal.slug)),
        title=view.gettext("Proposal: %(title)s") % {"title": proposal.title},
        link=page,
        updated=moment,
        published=moment,
        authors=names,
        categories=proposal.topics,
        summary=proposal.description,
        content=absolute_links("\n".join(parts), page),
    )


def _entry(root: ET.Element, entry: Entry) -> None:
    element = ET.SubElement(root, f"{{{ATOM}}}entry")
    _text(element, "id", entry.id)
    _text(element, "title", entry.title)
    _link(element, entry.link, "alternate", "text/html")
    _text(element, "published", _stamp(entry.published))
    _text(element, "updated", _stamp(entry.updated))
    for name in entry.authors:
        author = ET.SubElement(element, f"{{{ATOM}}}author")
        _text(author, "name", name)
    for term in entry.categories:
        ET.SubElement(element, f"{{{ATOM}}}category", {"term": term})
    if entry.summary:
        _text(element, "summary", entry.summary)
    content = _text(element, "content", entry.content)
    content.set("type", "html")
    if "://" in entry.link:
        content.set(f"{{{XML_NS}}}base", entry.link)


def _id(view: View, path: str) -> str:
    """The page's absolute URL; without an absolute base_url, a name-based UUID URN."""
    if view.site.config.origin:
        return view.absolute(path)
    name = f"rgsite:{view.site.config.title}:{view.url(path)}"
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = text
    return element


def _link(parent: ET.Element, href: str, rel: str, media: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "type": media, "href": href})


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# What a fragment's markup can be: a comment, or a start tag (quoted attribute values may
# hold ">"). Everything else, end tags and text included, is copied as it is.
_MARKUP = re.compile(r"""<!--.*?-->|<([A-Za-z][^\s/>]*)(?:[^>"']|"[^"]*"|'[^']*')*>""", re.DOTALL)
_RAW_TEXT = {name: re.compile(rf"</{name}[\s/>]", re.IGNORECASE) for name in ("script", "style")}
"""Elements whose content is not markup: nothing in it is rewritten."""


@lru_cache(maxsize=1024)  # a recap is in the feeds of its topics, speakers and series
def absolute_links(fragment: str, base: str) -> str:
    """``fragment`` with every URL attribute of its start tags resolved against ``base``;
    text, comments and the content of ``<script>`` and ``<style>`` untouched.

    A scan with one pattern, not an HTML parser: a feed rewrites every recap of its
    subject, which made the parser the largest cost of a long archive's feeds.
    """
    out: list[str] = []
    pos = 0
    for match in _MARKUP.finditer(fragment):
        if match.start() < pos:  # inside a <script> or <style> already copied
            continue
        out.append(fragment[pos : match.start()])
        pos = match.end()
        tag = match.group(1)
        if tag is None:
            out.append(match.group(0))
            continue
        out.append(_start_tag(match.group(0), base))
        raw = _RAW_TEXT.get(tag.lower())
        if raw is not None:
            close = raw.search(fragment, pos)
            end = close.start() if close else len(fragment)
            out.append(fragment[pos:end])
            pos = end
    out.append(fragment[pos:])
    return "".join(out)


def _start_tag(raw: str, base: str) -> str:
    if "=" not in raw:
        return raw
    raw = _URL_ATTRS.sub(lambda m: m.group(1) + _resolve(m.group(2), base), raw)
    return _SRCSET.sub(lambda m: m.group(1) + _resolve_srcset(m.group(2), base), raw)


def _resolve(quoted: str, base: str) -> str:
    quote, value = quoted[0], html.unescape(quoted[1:-1])
    return quote + html.escape(urljoin(base, value.strip()), quote=True) + quote


def _resolve_srcset(quoted: str, base: str) -> str:
    quote, value = quoted[0], html.unescape(quoted[1:-1])
    candidates = []
    for candidate in value.split(","):
        url, _, descriptor = candidate.strip().partition(" ")
        candidates.append(f"{urljoin(base, url)} {descriptor}".strip())
    return quote + html.escape(", ".join(candidates), quote=True) + quote
