"""Markdown to HTML: the one configured Python-Markdown, math, and references to other pages.

Owns turning one Markdown text into HTML whose links to other pages are placeholders
(``[[kind:id]]`` and relative links to content files or assets), and later swapping those
placeholders for real URLs once the site graph knows them (:func:`resolve`). Also owns the
Pygments stylesheets that go with the highlighted code.

It must not read files or decide whether a target exists: every reference comes back as a
:class:`Ref` with its file line, and the graph judges it. LaTeX conversion lives in
:mod:`rgsite.math`.
"""

from __future__ import annotations

import html
import posixpath
import re
import threading
import xml.etree.ElementTree as etree
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import markdown
from markdown.extensions import Extension
from markdown.extensions.codehilite import CodeHiliteExtension
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.extensions.toc import TocExtension, slugify
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from rgsite.errors import Location, Problem, Severity
from rgsite.markdown.mathml import MathError, to_mathml
from rgsite.markdown.refs import END, HREF, REF_KINDS, SUMMARY_LENGTH, TEXT, Ref, shorten

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


# Private-use characters pass through Markdown untouched, and authors never type them (any
# that arrive are replaced), so they make placeholders nothing can mangle or forge.
# Ref placeholders (rgsite.refs) survive into Rendered.html; these live only in here.
_MATH, _DISPLAY, _WIKI = "\ue003", "\ue004", "\ue005"
_RESERVED_RE = re.compile("[\ue000-\ue005]")
_TOKEN_RE = re.compile(
    f"<p>{_DISPLAY}(?P<block>\\d+){END}</p>"
    f"|(?P<mark>[{HREF}{TEXT}{_MATH}{_DISPLAY}{_WIKI}])(?P<n>\\d+){END}"
)
_TOKEN_CHARS_RE = re.compile(f"[{_MATH}{_DISPLAY}{_WIKI}]")
_WIKI_TOKEN_RE = re.compile(f"{_WIKI}(\\d+){END}")
_PLAIN_TOKEN_RE = re.compile(f"([{_MATH}{_DISPLAY}{_WIKI}])(\\d+){END}")

# Scanned left to right, so an escape or a code span swallows any $ or [[ inside it before
# that could start math or a reference. Inline math follows pandoc, so prices like
# "$5 and $10" stay prose: no space after the opening $, none before the closing $, and no
# digit right after it.
_INLINE_RE = re.compile(
    r"""
      (?P<esc>\\.)
    | (?P<code>(?P<ticks>`+)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`))
    | `+
    | \$\$(?P<display>.+?)\$\$
    | \$(?P<inline>(?:\\.|[^\s$\\])(?:\\.|[^$\\\n]|\n(?![ \t]*\n))*?)(?<!\s)\$(?!\d)
    | \[\[(?P<kind>[^\[\]|:\n]*):(?P<target>[^\[\]|\n]+)(?:\|(?P<text>[^\[\]\n]*))?\]\]
    """,
    re.VERBOSE | re.DOTALL,
)
_FENCED_RE = FencedBlockPreprocessor.FENCED_BLOCK_RE
_LIST_ITEM_RE = re.compile(r" {0,3}(?:[*+-]|\d+[.)])(?:[ \t]|$)")
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
_FIRST_P_RE = re.compile(r"<p(?:\s[^>]*)?>(.*?)</p>", re.DOTALL)
_FOOTNOTE_REF_RE = re.compile(r'<sup id="fnref[^"]*">.*?</sup>', re.DOTALL)
_ANY_TAG_RE = re.compile(r"<[^>]+>")


@dataclass(slots=True)
class _Stashed:
    source: str  # with its delimiters, as the author wrote it
    html: str  # <math>, or the source as code when it could not be rendered


@dataclass(slots=True)
class _PendingRef:
    kind: str
    target: str
    offset: int  # in the source text; orders refs and gives their line
    fragment: str = ""
    text: str | None = None  # [[kind:id|text]]


@dataclass(slots=True)
class _Document:
    """Everything one render_markdown call learns, shared with the Markdown processors."""

    text: str
    path: str
    first_line: int
    refs: list[_PendingRef] = field(default_factory=list)
    stash: list[_Stashed] = field(default_factory=list)  # math, and [[...]] of unknown kind
    problems: list[Problem] = field(default_factory=list)
    skipped: list[tuple[int, int]] = field(default_factory=list)  # code and math spans
    html_checked: int = 0  # raw HTML stash entries already sanitised
    _newlines: list[int] | None = None
    _masked: str | None = None
    _cursors: dict[str, int] = field(default_factory=dict)

    def line(self, offset: int) -> int:
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        return self.first_line + bisect_left(self._newlines, offset)

    def warn(self, offset: int, message: str, severity: Severity = "warning") -> None:
        location = Location(self.path, self.line(offset))
        self.problems.append(Problem(location, message, severity))

    def locate(self, needle: str) -> int:
        """Offset of the next occurrence of ``needle`` outside code and math, for its line.

        Markdown keeps no positions, so links are found again in the source: the n-th link to
        a URL is its n-th occurrence. If it cannot be found (escapes changed it), the previous
        occurrence or the start of the text is the best guess.
        """
        if self._masked is None:
            chars = list(self.text)
            for start, end in self.skipped:
                chars[start:end] = (c if c == "\n" else " " for c in self.text[start:end])
            self._masked = "".join(chars)
        start = self._cursors.get(needle, 0)
        found = self._masked.find(needle, start) if needle else -1
        if found < 0:
            return max(start - len(needle), 0)
        self._cursors[needle] = found + len(needle)
        return found

    def plain(
        self, text: str, *, display_math: bool = True, titles: dict[int, int] | None = None
    ) -> str:
        """Text with math as its LaTeX source and references as their text or id; with
        ``titles`` (ref -> its final number), a reference without text is a placeholder
        for its target's title instead of its id."""

        def sub(m: re.Match[str]) -> str:
            mark, n = m.group(1), int(m.group(2))
            if mark == _WIKI:
                ref = self.refs[n]
                if ref.text is not None:
                    return ref.text
                return ref.target if titles is None else f"{TEXT}{titles[n]}{END}"
            return self.stash[n].source if display_math or mark == _MATH else ""

        return _PLAIN_TOKEN_RE.sub(sub, text)


def render_markdown(text: str, *, path: str, first_line: int = 1) -> Rendered:
    """Render one Markdown text from ``path`` whose first line is line ``first_line`` there."""
    text = _RESERVED_RE.sub("\ufffd", text)
    too_deep = _too_deep(text)
    if too_deep is not None:
        return _unrendered(text, Location(path, first_line + too_deep))
    doc = _Document(text, path, first_line)
    prepared = _prepare(doc)
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
    body = _TOKEN_RE.sub(lambda m: _expand(doc, final, m), body)
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


# --- before Markdown: code, math and [[kind:id]] -------------------------------------------


def _prepare(doc: _Document) -> str:
    """The text Markdown sees: math and ``[[kind:id]]`` outside code swapped for tokens."""
    text = doc.text
    out: list[str] = []
    pos = 0
    for start, end in _code_blocks(text):
        doc.skipped.append((start, end))
        out.append(_prepare_inline(doc, pos, start))
        out.append(text[start:end])
        pos = end
    out.append(_prepare_inline(doc, pos, len(text)))
    return "".join(out)


def _prepare_inline(doc: _Document, start: int, end: int) -> str:
    text = doc.text
    out: list[str] = []
    pos = start
    for m in _INLINE_RE.finditer(text, start, end):
        if m.group("code") is not None:
            doc.skipped.append(m.span())
            continue
        if m.group("display") is not None:
            token = _math_token(doc, m, m.group("display"), display=True)
        elif m.group("inline") is not None:
            token = _math_token(doc, m, m.group("inline"), display=False)
        elif m.group("target") is not None:
            token = _wiki_token(doc, m)
        else:
            continue
        if token is not None:
            out.append(text[pos : m.start()])
            out.append(token)
            pos = m.end()
    out.append(text[pos:end])
    return "".join(out)


def _math_token(doc: _Document, m: re.Match[str], latex: str, *, display: bool) -> str | None:
    if not latex.strip():
        return None
    doc.skipped.append(m.span())
    source = m.group(0)
    try:
        rendered = to_mathml(latex, display=display)
    except MathError as exc:
        doc.warn(m.start(), f"could not render math: {exc}; shown as code")
        rendered = f'<code class="math-error">{html.escape(source)}</code>'
    doc.stash.append(_Stashed(source, rendered))
    return f"{_DISPLAY if display else _MATH}{len(doc.stash) - 1}{END}"


def _wiki_token(doc: _Document, m: re.Match[str]) -> str | None:
    kind = m.group("kind").strip()
    target, _, fragment = m.group("target").strip().partition("#")
    if not target:
        return None
    if kind not in REF_KINDS:
        doc.warn(
            m.start(),
            f"unknown link kind '{kind}' in {m.group(0)} "
            "(use speaker, session, paper, proposal, list or page)",
            "error",
        )
        doc.stash.append(
            _Stashed(m.group(0), f'<span class="broken-ref">{html.escape(m.group(0))}</span>')
        )
        return f"{_MATH}{len(doc.stash) - 1}{END}"
    text = m.group("text")
    doc.refs.append(_PendingRef(kind, target, m.start(), fragment, text.strip() if text else None))
    doc.skipped.append(m.span())
    return f"{_WIKI}{len(doc.refs) - 1}{END}"


def _code_blocks(text: str) -> Iterator[tuple[int, int]]:
    """Spans of fenced and indented code, which Markdown shows verbatim, in order."""
    fences = _FENCED_RE.finditer(text) if "```" in text or "~~~" in text else iter(())
    fence = next(fences, None)
    offset, skip_until = 0, 0
    blank_before, in_list, code_start = True, False, -1
    for line in text.splitlines(keepends=True):
        start, offset = offset, offset + len(line)
        if start < skip_until:
            continue
        if fence is not None and start >= fence.start():
            if code_start >= 0:
                yield code_start, start
                code_start = -1
            yield fence.span()
            skip_until = fence.end()
            fence = next((f for f in fences if f.start() >= skip_until), None)
            blank_before, in_list = False, False
            continue
        blank = not line.strip()
        expanded = line.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip(" "))
        if code_start >= 0:
            if blank or indent >= 4:
                continue
            yield code_start, start
            code_start = -1
        if blank:
            blank_before = True
            continue
        # Inside a list item, four spaces only continue the item; code needs four more.
        if indent >= (8 if in_list else 4) and blank_before:
            code_start = start
        elif indent < 4:
            if _LIST_ITEM_RE.match(line):
                in_list = True
            elif blank_before:
                in_list = False
        blank_before = False
    if code_start >= 0:
        yield code_start, offset


# --- inside Markdown: links, raw HTML, heading anchors ---------------------------------------


class _RgsiteExtension(Extension):
    def __init__(self) -> None:
        super().__init__()
        self.doc: _Document | None = None

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
                if _TOKEN_CHARS_RE.search(value):  # "$" in a URL is not math
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


def _check_link(doc: _Document, el: etree.Element, attr: str) -> None:
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
    doc.refs.append(_PendingRef(kind, target, doc.locate(raw), fragment))
    el.set(attr, f"{HREF}{len(doc.refs) - 1}{END}")


def _unlink_refs(doc: _Document, link: etree.Element) -> None:
    """``[x [[speaker:a]]](url)``: a link cannot hold another, so the reference is text only."""

    def sub(m: re.Match[str]) -> str:
        ref = doc.refs[int(m.group(1))]
        return f"{TEXT}{m.group(1)}{END}" if ref.text is None else ref.text

    for el in link.iter():
        if el.text and _WIKI in el.text:
            el.text = _WIKI_TOKEN_RE.sub(sub, el.text)
        if el is not link and el.tail and _WIKI in el.tail:
            el.tail = _WIKI_TOKEN_RE.sub(sub, el.tail)


def _unsafe(scheme: str) -> str:
    return f"unsafe link scheme '{scheme.lower()}:' (links may use http, https, mailto or a path)"


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


def _sanitise_html(doc: _Document | None, block: str) -> str:
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
        if doc is not None and _TOKEN_CHARS_RE.search(text):  # "$" in an attribute is not math
            text = doc.plain(text)
        return _ATTR_RE.sub(attr, text) if "=" in text else text

    return _TAG_RE.sub(tag, _SCRIPT_RE.sub(script, block))


# --- after Markdown -----------------------------------------------------------------------------


def _expand(doc: _Document, final: dict[int, int], m: re.Match[str]) -> str:
    if m.group("block") is not None:
        math = doc.stash[int(m.group("block"))]
        return math.html if math.html.startswith("<math") else f"<p>{math.html}</p>"
    mark, n = m.group("mark"), int(m.group("n"))
    if mark in (_MATH, _DISPLAY):
        return doc.stash[n].html
    if mark != _WIKI:
        return f"{mark}{final[n]}{END}"
    ref = doc.refs[n]
    index = final[n]
    text = f"{TEXT}{index}{END}" if ref.text is None else html.escape(ref.text)
    return f'<a href="{HREF}{index}{END}">{text}</a>'


def _summary(doc: _Document, body: str, final: dict[int, int]) -> str:
    """The first paragraph as plain text. A ``[[kind:id]]`` link without text stays a
    placeholder for its target's title, which :func:`finish_summary` fills in once the
    site is linked; the text is shortened then."""
    for m in _FIRST_P_RE.finditer(body):
        text = html.unescape(_ANY_TAG_RE.sub("", _FOOTNOTE_REF_RE.sub("", m.group(1))))
        text = " ".join(doc.plain(text, display_math=False, titles=final).split())
        if text:
            return text if TEXT in text else shorten(text, SUMMARY_LENGTH)
    return ""


def _flatten(tokens: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for token in tokens:
        yield token
        yield from _flatten(token.get("children", ()))


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
