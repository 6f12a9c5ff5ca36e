"""Markdown to HTML: the one configured Python-Markdown, math, and references to other pages.

Owns turning one Markdown text into HTML whose links to other pages are placeholders
(``[[kind:id]]`` and relative links to content files or assets; see
:mod:`rgsite.markdown.refs`), with its references, problems, headings and summary: the
Python-Markdown extension, its raw-HTML sanitiser, and the nesting depth past which a text
is not rendered at all. Math and references are hidden from Python-Markdown behind
placeholders (:mod:`.tokens`) in a :class:`~rgsite.markdown.document.Document`.

It must not read files or decide whether a target exists: every reference comes back as a
:class:`Ref` with its file line, and the graph judges it.
"""

from __future__ import annotations

import html
import posixpath
import re
import threading
import xml.etree.ElementTree as etree
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import markdown
from markdown.extensions import Extension
from markdown.extensions.codehilite import CodeHiliteExtension
from markdown.extensions.toc import TocExtension, slugify
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from rgsite.errors import Location, Problem
from rgsite.markdown.document import RESERVED_RE, TOKEN_CHARS_RE, WIKI, Document, PendingRef
from rgsite.markdown.refs import END, HREF, SUMMARY_LENGTH, TEXT, Ref, shorten
from rgsite.markdown.tokens import expand, prepare

__all__ = ["Heading", "Rendered", "render_markdown"]


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


def render_markdown(text: str, *, path: str, first_line: int = 1) -> Rendered:
    """Render one Markdown text from ``path`` whose first line is line ``first_line`` there."""
    text = RESERVED_RE.sub("\ufffd", text)
    too_deep = _too_deep(text)
    if too_deep is not None:
        return _unrendered(text, Location(path, first_line + too_deep))
    doc = Document(text, path, first_line)
    prepared = prepare(doc)
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
        for t in _flatten(toc_tokens)
    )
    # Number refs in source order, whatever order Markdown met them in (footnotes move).
    order = sorted(range(len(doc.refs)), key=lambda i: (doc.refs[i].offset, i))
    final = {old: new for new, old in enumerate(order)}
    summary = _summary(doc, body, final)
    refs = tuple(
        Ref(r.kind, r.target, doc.line(r.offset), r.fragment, final[old])
        for old, r in ((old, doc.refs[old]) for old in order)
    )
    body = expand(doc, final, body)
    problems = tuple(sorted(doc.problems, key=lambda p: (p.location.line or 0, p.message)))
    has_math = any(m.html.startswith("<math") for m in doc.stash)
    return Rendered(body, refs, problems, headings, summary, has_math)


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


# --- inside Markdown: links, raw HTML, heading anchors ---------------------------------------


_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# Browsers drop these anywhere in a URL, so "java\tscript:" is still javascript:.
_URL_JUNK_RE = re.compile(r"[\x00-\x20\x7f]")
_SCRIPT_RE = re.compile(r"<(/?script\b)", re.IGNORECASE)
_TAG_RE = re.compile(r"<[A-Za-z][^>]*>")
_VALUE = r"""(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)"""
_ATTR_RE = re.compile(
    rf"\s(?:(?P<handler>on[a-z]+)\s*=\s*{_VALUE}"
    rf"|(?:href|src|action|formaction|xlink:href|poster)\s*=\s*(?P<url>{_VALUE}))",
    re.IGNORECASE,
)


def _unsafe(scheme: str) -> str:
    return f"unsafe link scheme '{scheme.lower()}:' (links may use http, https, mailto or a path)"


def _sanitise_html(doc: Document | None, block: str) -> str:
    def warn(needle: str, message: str) -> None:
        if doc is not None:
            doc.warn(doc.locate(needle), message)

    def attr(m: re.Match[str]) -> str:
        if m.group("handler"):
            warn(m.group(0).strip(), f"script attribute '{m.group('handler')}' removed")
            return ""
        value = m.group("url").strip("\"'")
        scheme = _SCHEME_RE.match(_URL_JUNK_RE.sub("", html.unescape(value)))
        if scheme is None or scheme.group(1).lower() in _SAFE_SCHEMES:
            return m.group(0)
        warn(value, _unsafe(scheme.group(1)))
        return ""

    def script(m: re.Match[str]) -> str:
        if not m.group(1).startswith("/"):
            warn(m.group(0), "<script> is not allowed; shown as text")
        return f"&lt;{m.group(1)}"

    def tag(m: re.Match[str]) -> str:
        text = m.group(0)
        if doc is not None and TOKEN_CHARS_RE.search(text):  # "$" in an attribute is not math
            text = doc.plain(text)
        return _ATTR_RE.sub(attr, text) if "=" in text else text

    return _TAG_RE.sub(tag, _SCRIPT_RE.sub(script, block))


_WIKI_TOKEN_RE = re.compile(f"{WIKI}(\\d+){END}")


class _RgsiteExtension(Extension):
    def __init__(self) -> None:
        super().__init__()
        self.doc: Document | None = None

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After attr_list (8), which may set href, and after toc (5), whose anchors we label.
        md.treeprocessors.register(_LinkTreeprocessor(md, self), "rgsite_links", 4)
        # Before raw_html (30) puts the stash back into the page.
        md.postprocessors.register(_RawHtmlSanitiser(md, self), "rgsite_raw_html", 35)
        md.ESCAPED_CHARS.append("$")

    def slugify(self, value: str, separator: str) -> str:
        if self.doc is not None:
            value = self.doc.plain(value)
        return slugify(value, separator)


class _LinkTreeprocessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, ext: _RgsiteExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        doc = self.ext.doc
        if doc is None:
            return
        names = {t["id"]: t["name"] for t in _flatten(getattr(self.md, "toc_tokens", []))}
        for el in root.iter():
            for key, value in el.items():
                if TOKEN_CHARS_RE.search(value):  # "$" in a URL is not math
                    el.set(key, doc.plain(value))
            if el.tag == "a":
                if el.get("class") == "headerlink":
                    name = doc.plain(html.unescape(names.get(el.get("href", "")[1:], "")))
                    el.set("aria-label", f"Link to the section “{name}”" if name else "Link here")
                else:
                    _check_link(doc, el, "href")
                    _unlink_refs(doc, el)
            elif el.tag == "img":
                _check_link(doc, el, "src")


def _check_link(doc: Document, el: etree.Element, attr: str) -> None:
    raw = el.get(attr)
    if not raw:
        return
    # Markdown hides the "mailto:" of <me@example.org> in entities; browsers see through them.
    url = html.unescape(raw.replace(AMP_SUBSTITUTE, "&"))
    probe = _URL_JUNK_RE.sub("", url)
    scheme = _SCHEME_RE.match(probe)
    if scheme:
        if scheme.group(1).lower() in _SAFE_SCHEMES:
            return
        doc.warn(doc.locate(raw), _unsafe(scheme.group(1)))
        if attr == "src":  # an <img> without src is invalid; its alt text stands in
            alt = el.get("alt", "")
            el.attrib.clear()
            el.tag, el.text = "span", alt
        else:
            del el.attrib[attr]
        return
    if probe.startswith(("#", "/", "\\")) or not probe:
        return
    path, _, fragment = url.strip().partition("#")
    path = unquote(path.partition("?")[0])
    if not path:
        return
    target = posixpath.normpath(posixpath.join(posixpath.dirname(doc.path), path))
    kind = "file" if target.lower().endswith(".md") else "asset"
    doc.refs.append(PendingRef(kind, target, doc.locate(raw), fragment))
    el.set(attr, f"{HREF}{len(doc.refs) - 1}{END}")


def _unlink_refs(doc: Document, link: etree.Element) -> None:
    """``[x [[speaker:a]]](url)``: a link cannot hold another, so the reference is text only."""

    def sub(m: re.Match[str]) -> str:
        ref = doc.refs[int(m.group(1))]
        return f"{TEXT}{m.group(1)}{END}" if ref.text is None else ref.text

    for el in link.iter():
        if el.text and WIKI in el.text:
            el.text = _WIKI_TOKEN_RE.sub(sub, el.text)
        if el is not link and el.tail and WIKI in el.tail:
            el.tail = _WIKI_TOKEN_RE.sub(sub, el.tail)


class _RawHtmlSanitiser(Postprocessor):
    """Authors may write HTML, but no scripts: a pasted widget must not run on the site."""

    def __init__(self, md: markdown.Markdown, ext: _RgsiteExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, text: str) -> str:
        doc = self.ext.doc
        blocks = self.md.htmlStash.rawHtmlBlocks
        # toc runs the postprocessors once per heading; sanitise each stash entry only once.
        start = doc.html_checked if doc is not None else 0
        for i in range(start, len(blocks)):
            block = blocks[i]
            if isinstance(block, str) and "<" in block:
                blocks[i] = _sanitise_html(doc, block)
        if doc is not None:
            doc.html_checked = len(blocks)
        return text


def _flatten(tokens: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every heading of Python-Markdown's ``toc_tokens``, nested ones after their parent."""
    for token in tokens:
        yield token
        yield from _flatten(token.get("children", ()))


# --- after Markdown -----------------------------------------------------------------------------


_FIRST_P_RE = re.compile(r"<p(?:\s[^>]*)?>(.*?)</p>", re.DOTALL)
_FOOTNOTE_REF_RE = re.compile(r'<sup id="fnref[^"]*">.*?</sup>', re.DOTALL)
_ANY_TAG_RE = re.compile(r"<[^>]+>")


def _summary(doc: Document, body: str, final: dict[int, int]) -> str:
    """The first paragraph as plain text. A ``[[kind:id]]`` link without text stays a
    placeholder for its target's title, which :func:`~rgsite.markdown.refs.finish_summary`
    fills in once the site is linked; the text is shortened then."""
    for m in _FIRST_P_RE.finditer(body):
        text = html.unescape(_ANY_TAG_RE.sub("", _FOOTNOTE_REF_RE.sub("", m.group(1))))
        text = " ".join(doc.plain(text, display_math=False, titles=final).split())
        if text:
            return text if TEXT in text else shorten(text, SUMMARY_LENGTH)
    return ""


_local = threading.local()


def _markdown() -> tuple[markdown.Markdown, _RgsiteExtension]:
    """This thread's Markdown: building one costs far more than rendering a short page."""
    pair: tuple[markdown.Markdown, _RgsiteExtension] | None = getattr(_local, "pair", None)
    if pair is None:
        ext = _RgsiteExtension()
        md = markdown.Markdown(
            output_format="html",
            extensions=[
                "tables",
                "fenced_code",
                "footnotes",
                "attr_list",
                "sane_lists",
                CodeHiliteExtension(css_class="highlight", guess_lang=False),
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
