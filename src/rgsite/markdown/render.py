"""Markdown to HTML: the entry point, :func:`render_markdown`, and what it returns.

Owns turning one Markdown text into a :class:`Rendered`: HTML whose links to other pages
are placeholders (``[[kind:id]]`` and relative links to content files or assets; see
:mod:`rgsite.markdown.refs`), with its references, problems, headings and summary. Also owns
the one configured Python-Markdown of each thread, and the nesting depth past which a text
is not rendered at all. The steps live beside it: list items moved to where
Python-Markdown nests them (:mod:`.lists`), placeholders for math, with the site's macros
(:mod:`.macros`), and references (:mod:`.tokens`), what other tools left behind and HTML
that does not nest (:mod:`.leftovers`, :mod:`.nesting`), the Python-Markdown extension
(:mod:`.extension`) and its raw-HTML sanitiser (:mod:`.sanitise`), and the summary
(:mod:`.summary`).

It must not read files or decide whether a target exists: every reference comes back as a
:class:`Ref` with its file line, and the graph judges it.
"""

from __future__ import annotations

import html
import re
import threading
from dataclasses import dataclass
from typing import Any

import markdown
from markdown.extensions.codehilite import CodeHiliteExtension
from markdown.extensions.toc import TocExtension

from rgsite.errors import Location, Problem
from rgsite.markdown.document import RESERVED_RE, Document
from rgsite.markdown.extension import RgsiteExtension, flatten
from rgsite.markdown.highlight import CODE_SETTINGS
from rgsite.markdown.leftovers import report_leftovers
from rgsite.markdown.lists import nest_lists
from rgsite.markdown.macros import Macros
from rgsite.markdown.nesting import report_nesting
from rgsite.markdown.refs import Ref
from rgsite.markdown.summary import summarise
from rgsite.markdown.tokens import expand, prepare

__all__ = ["NO_MACROS", "Heading", "Rendered", "render_markdown"]


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    refs: tuple[Ref, ...]
    problems: tuple[Problem, ...]
    headings: tuple[Heading, ...]
    summary: str
    has_math: bool
    macros: str = ""
    """The digest of the site's math macros it was rendered with; "" for a text without
    math, which no macro can change."""

    def fits(self, macros: Macros) -> bool:
        """Whether rendering the same text again with ``macros`` would give this."""
        return not self.macros or self.macros == macros.digest


NO_MACROS = Macros()


def render_markdown(
    text: str, *, path: str, first_line: int = 1, macros: Macros = NO_MACROS
) -> Rendered:
    """Render one Markdown text from ``path`` whose first line is line ``first_line`` there,
    expanding the site's LaTeX ``macros`` in its math."""
    text = RESERVED_RE.sub("\ufffd", text)
    nested = nest_lists(text, MAX_NESTING)
    too_deep = _too_deep(nested.text)
    if too_deep is not None:
        return _unrendered(text, Location(path, first_line + too_deep))
    doc = Document(nested.text, path, first_line, macros, fences=nested.fences)
    prepared = prepare(doc)
    report_leftovers(doc)
    report_nesting(doc)
    md, ext = _markdown()
    md.reset()
    ext.doc = doc
    try:
        body = md.convert(prepared)
        toc_tokens: list[dict[str, Any]] = getattr(md, "toc_tokens", [])
    except RecursionError:  # a nesting _too_deep does not catch; the line is unknown
        _local.pair = None  # the instance is left mid-parse: never reuse it
        return _unrendered(text, Location(path, first_line))
    finally:
        ext.doc = None
    headings = tuple(
        Heading(t["level"], t["id"], doc.plain(html.unescape(t["name"])))
        for t in flatten(toc_tokens)
    )
    # Number refs in source order, whatever order Markdown met them in (footnotes move).
    order = sorted(range(len(doc.refs)), key=lambda i: (doc.refs[i].offset, i))
    final = {old: new for new, old in enumerate(order)}
    summary = summarise(doc, body, final)
    refs = tuple(
        Ref(r.kind, r.target, doc.line(r.offset), r.fragment, final[old])
        for old, r in ((old, doc.refs[old]) for old in order)
    )
    body = expand(doc, final, body)
    problems = tuple(sorted(doc.problems, key=lambda p: (p.location.line or 0, p.message)))
    has_math = any(m.html.startswith("<math") for m in doc.stash)
    digest = macros.digest if doc.has_tex else ""
    return Rendered(body, refs, problems, headings, summary, has_math, digest)


MAX_NESTING = 60
"""Lists and quotes inside each other; Python-Markdown recurses once or more per level."""
_NESTED_RE = re.compile(r"^([ \t]*)((?:>[ \t]*)*)((?:[*+-]|\d{1,9}[.)])(?=[ \t]|$))?", re.MULTILINE)


def _too_deep(text: str) -> int | None:
    """The 0-based index of the first line nesting lists or quotes over MAX_NESTING deep."""
    if len(text) <= MAX_NESTING:
        return None
    for match in _NESTED_RE.finditer(text):
        indent, quotes, marker = match.groups()
        if not quotes and not (marker and indent):
            continue  # plain text or indented code: no nesting
        depth = len(indent.expandtabs(4)) // 4 + quotes.count(">")
        if depth > MAX_NESTING:
            return text.count("\n", 0, match.start())
    return None


def _unrendered(text: str, where: Location) -> Rendered:
    problem = Problem(
        where,
        f"the Markdown nests lists or quotes more than {MAX_NESTING} levels deep, too deep "
        "to render; flatten it",
    )
    return Rendered(f"<pre>{html.escape(text)}</pre>", (), (problem,), (), "", False)


_local = threading.local()


def _markdown() -> tuple[markdown.Markdown, RgsiteExtension]:
    """This thread's Markdown: building one costs far more than rendering a short page."""
    pair: tuple[markdown.Markdown, RgsiteExtension] | None = getattr(_local, "pair", None)
    if pair is None:
        ext = RgsiteExtension()
        md = markdown.Markdown(
            output_format="html",
            extensions=[
                "tables",
                "fenced_code",
                "footnotes",
                "attr_list",
                "sane_lists",
                CodeHiliteExtension(**CODE_SETTINGS),
                TocExtension(
                    permalink="#",
                    permalink_title="Link to this section",
                    marker="",
                    slugify=ext.slugify,
                ),
                ext,
            ],
        )
        pair = _local.pair = (md, ext)
    return pair
