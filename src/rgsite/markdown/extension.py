"""rgsite's Python-Markdown extension: links, raw HTML and heading anchors inside Markdown.

Owns :class:`RgsiteExtension`, which hands the :class:`~rgsite.markdown.document.Document`
being rendered to its processors: links and images to other files become placeholders (and
links to unsafe schemes are dropped), raw HTML is sanitised, and heading anchors get ids
and labels from their plain text.
"""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import unquote

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from rgsite.markdown.document import TOKEN_CHARS_RE, WIKI, Document, PendingRef
from rgsite.markdown.inline import TriggeredInline
from rgsite.markdown.refs import END, HREF, TEXT
from rgsite.markdown.sanitise import SAFE_SCHEMES, SCHEME_RE, URL_JUNK_RE, sanitise_html, unsafe

_WIKI_TOKEN_RE = re.compile(f"{WIKI}(\\d+){END}")


class RgsiteExtension(Extension):
    def __init__(self) -> None:
        super().__init__()
        self.doc: Document | None = None

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(TriggeredInline(md), "inline", 20)
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
    def __init__(self, md: markdown.Markdown, ext: RgsiteExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        doc = self.ext.doc
        if doc is None:
            return
        names = {t["id"]: t["name"] for t in flatten(getattr(self.md, "toc_tokens", []))}
        for el in root.iter():
            for key, value in el.items():
                if value is not None and TOKEN_CHARS_RE.search(value):  # "$" in a URL is not math
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
    if raw is not None and not raw.strip():
        _empty_link(doc, el, attr)
        return
    if not raw or "{{" in raw or "{%" in raw:  # template syntax is reported as such
        return
    # Markdown hides the "mailto:" of <me@example.org> in entities; browsers see through them.
    url = html.unescape(raw.replace(AMP_SUBSTITUTE, "&"))
    probe = URL_JUNK_RE.sub("", url)
    scheme = SCHEME_RE.match(probe)
    if scheme:
        if scheme.group(1).lower() in SAFE_SCHEMES:
            return
        doc.warn(doc.locate(raw), unsafe(scheme.group(1)))
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


# An empty address written in Markdown: [text](), [text](<>) or [text]( "title").
_EMPTY_TARGET_RE = re.compile(r"""\]\(\s*(?:<\s*>)?\s*(?:"[^"]*"|'[^']*')?\s*\)""")


def _empty_link(doc: Document, el: etree.Element, attr: str) -> None:
    """``[text]()`` publishes a link that goes nowhere (it reloads the page)."""
    offset = doc.locate_pattern(_EMPTY_TARGET_RE)
    if attr == "src":
        alt = doc.plain(el.get("alt", ""))
        doc.warn(
            offset,
            f"the image ![{alt}]() has no address; put the picture's file or URL between the "
            "parentheses",
            "error",
        )
        return
    text = doc.plain("".join(el.itertext())).strip()
    doc.warn(
        offset,
        f"the link [{text}]() has no address, so it goes nowhere; put the address between the "
        "parentheses, or drop the brackets to keep just the text",
        "error",
    )


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

    def __init__(self, md: markdown.Markdown, ext: RgsiteExtension) -> None:
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
                blocks[i] = sanitise_html(doc, block)
        if doc is not None:
            doc.html_checked = len(blocks)
        return text


def flatten(tokens: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every heading of Python-Markdown's ``toc_tokens``, nested ones after their parent."""
    for token in tokens:
        yield token
        yield from flatten(token.get("children", ()))
