"""The schedule as data: ``sessions.json``, its JSON Schema, and ``sessions.js``.

``sessions.json`` is for programs: a department page, a script, another calendar. It
holds every published session, breaks and open slots included, with the facts its page
shows (not the recap itself: ``description`` is its opening, or the abstract's).
``version`` grows only when a field changes meaning or goes away; new fields may be
added within a version. ``sessions.schema.json`` beside it describes every field.

``sessions.js`` carries the same document, cut to the sessions not over when the site
was built, as a call to ``window.rgsiteSessions``: the embed (``embed.js``) loads it
with a ``<script>`` element, which a browser runs from any origin, so another site can
show the next sessions with no CORS headers on the group's host.

Everything here follows from the site: the same site gives the same bytes.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rgsite.build import parallel
from rgsite.i18n.messages import N_
from rgsite.model import Kind
from rgsite.read.fields import slugify
from rgsite.routes import url_of

if TYPE_CHECKING:
    from rgsite.model import Session, Site, Term
    from rgsite.render.views import View

VERSION = 1
DATA = "sessions.json"
SCHEMA = "sessions.schema.json"
SCRIPT = "sessions.js"
CALLBACK = "rgsiteSessions"
EMBED_LABELS = {
    "next": N_("Next sessions of %(group)s"),
    "all": N_("All sessions of %(group)s"),
    "none": N_("No sessions are scheduled yet."),
    "tba": N_("To be announced"),
    "time_tba": N_("%(day)s, time to be announced"),
    "date_approximate": N_("%(day)s (date approximate)"),
}
"""What the embed (``embed.js``) says around the sessions, in the site's language; it
fills in ``%(group)s`` and ``%(day)s`` itself."""
_TAGS = re.compile(r"<[^>]+>")
_BLOCKS = re.compile(
    r"</?(?:p|div|li|ul|ol|h[1-6]|br|hr|tr|td|th|table|blockquote|pre|figure|dd|dt)\b[^>]*>"
)
_MATH = re.compile(r"<math\b.*?</math>", re.S)


def document(site: Site, view: View, *, ahead_only: bool = False) -> dict[str, Any]:
    """The whole schedule, oldest first; with ``ahead_only``, the sessions not over.
    Its ``sessions`` are an iterator, to be read once."""
    config = site.config
    sessions = [s for s in site.sessions.values() if not ahead_only or s.end > site.now]
    return {
        "$schema": view.absolute(SCHEMA),
        "version": VERSION,
        "site": {
            "title": config.title,
            "url": view.absolute(),
            "timezone": config.timezone,
            "language": config.language,
            "hour12": view.clock.hour12,
            "labels": {key: view.gettext(text) for key, text in EMBED_LABELS.items()},
        },
        # One at a time: a long archive's sessions as dicts all at once were the peak of
        # a build's memory; each is written as text (see _dump) and let go.
        "sessions": (_compact(site, view, s) for s in sessions),
    }


def _compact(site: Site, view: View, session: Session) -> str:
    """One session's part as compact JSON, made once for sessions.json and sessions.js,
    and kept by the view for the preview's next build."""
    make = lambda: json.dumps(session_data(site, view, session), ensure_ascii=False)  # noqa: E731
    if parallel.in_worker():  # no next build to keep it for: a long archive's, let go
        return make()
    text: str = view.kept(f"session:{session.slug}", session, ("json",), make)
    return text


def session_data(site: Site, view: View, session: Session) -> dict[str, Any]:
    kind = site.config.kind_of(session.kind)
    ahead = site.ahead(session)
    return {
        "id": session.slug,
        "title": session.title,
        "start": _moment(view, session, session.start),
        "end": _moment(view, session, session.start if not session.time_known else session.end),
        "time_known": session.time_known,
        "date_approximate": session.date_approximate,
        "status": site.status(session),
        "draft": session.draft,
        "kind": {"id": kind.id, "name": kind.name} if kind is not None else None,
        "speakers": [
            {
                "id": speaker.id,
                "name": speaker.name,
                "affiliation": speaker.affiliation or None,
                "url": view.absolute(url_of(Kind.SPEAKER, speaker.id)),
            }
            for speaker in view.speakers_of(session.speakers)
        ],
        "topics": [_term(view, site.topics, Kind.TOPIC, name) for name in session.topics],
        "series": _term(view, site.series, Kind.SERIES, session.series) if session.series else None,
        "papers": [
            {
                "id": paper.id,
                "title": paper.title,
                "url": _absolute(view, paper.link),
                "page": view.absolute(url_of(Kind.PAPER, paper.id)),
            }
            for paper in view.papers_of(session.papers)
        ],
        "resources": [
            {"title": r.title, "kind": r.kind, "url": _absolute(view, r.url)}
            for r in session.resources
        ],
        "location": None if session.is_break else view.location(session),
        "join_url": view.join_url(session) if ahead else None,
        "register_url": session.register if ahead else None,
        "url": None if session.is_break else view.absolute(url_of(Kind.SESSION, session.slug)),
        "description": session.description or None,
        "abstract": plain_text(session.abstract_html) or None,
    }


def _term(view: View, terms: dict[str, Term], kind: str, name: str) -> dict[str, Any]:
    """A topic or series with its page; a break's alone has none (it is nobody's session)."""
    slug = slugify(name)
    return {"name": name, "url": view.absolute(url_of(kind, slug)) if slug in terms else None}


def _moment(view: View, session: Session, moment: Any) -> str:
    """With its offset; the day alone when the time is not known (``time: tba``)."""
    local = view.local(moment)
    return local.isoformat() if session.time_known else local.date().isoformat()


def _absolute(view: View, url: str | None) -> str | None:
    """A file of the site (``/club/sessions/x/slides.pdf``) with its host, when known."""
    if url and url.startswith("/") and not url.startswith("//"):
        return view.site.config.origin + url
    return url


def plain_text(fragment: str) -> str:
    """HTML as one line of text; math as its symbols run together (∂μjμ=0), as read."""
    text = _BLOCKS.sub(" ", _MATH.sub(lambda m: _TAGS.sub("", m.group(0)), fragment))
    return " ".join(html.unescape(_TAGS.sub("", text)).split())


_SLOT = "\0sessions\0"
"""Stands for the sessions in the document while its head is written."""


def _dump(data: dict[str, Any]) -> list[bytes]:
    """The document as JSON, indented by one space, in pieces to be joined. Each
    session's part is remembered by its compact form: a rebuild after one edit writes
    again only that session's lines, not the archive's (the indenting encoder is Python's
    slow one). The parts are escaped and encoded one by one, so a long archive never holds
    its whole document as text, and copies of it, at once."""
    indented = parallel.across_builds(_indented)
    parts = [indented(compact) for compact in data["sessions"]]
    if not parts:
        return [_escaped(json.dumps({**data, "sessions": []}, ensure_ascii=False, indent=1))]
    head = _escaped(json.dumps({**data, "sessions": [_SLOT]}, ensure_ascii=False, indent=1))
    before, after = head.split(f"\n  {json.dumps(_SLOT)}\n".encode(), 1)
    joined = [b",\n"] * (2 * len(parts) - 1)
    joined[::2] = parts
    return [before, b"\n", *joined, b"\n", after]


def _escaped(text: str) -> bytes:
    """``<`` and the two line separators JavaScript once refused in strings escaped, so
    the same text is safe as ``sessions.js``'s script."""
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return text.encode()


@lru_cache(maxsize=32768)
def _indented(compact: str) -> bytes:
    """One session as it stands in the document's list: two levels in (JSON strings
    hold no line breaks, so indenting every line is safe)."""
    text = json.dumps(json.loads(compact), ensure_ascii=False, indent=1)
    return _escaped("\n".join("  " + line for line in text.split("\n")))


def sessions_json(site: Site, view: View) -> bytes:
    return b"".join([*_dump(document(site, view)), b"\n"])


def sessions_js(site: Site, view: View) -> bytes:
    data = _dump(document(site, view, ahead_only=True))
    # The embed matches the call to the <script> it added by this address.
    source = "document.currentScript && document.currentScript.src"
    return b"".join(
        [f"window.{CALLBACK} && window.{CALLBACK}(".encode(), *data, f", {source});\n".encode()]
    )
