"""Rendered Markdown retold for an announcement: plain text, chat Markdown or email HTML.

An abstract or a recap is rendered once, to the site's HTML. An announcement needs it in
places that show no such HTML — an email's plain text, a Slack or Discord message, an
email body with no styles, scripts or images — and must keep every link's address, made
absolute, where a reader can follow it. :func:`read_prose` turns the HTML into blocks
(paragraphs, list items, headings, code) of spans (text, with a link, bold, italic or
code); :func:`as_text`, :func:`as_markdown` and :func:`as_html` write them out. Math,
rendered as MathML for the site, is written out linearly (``x^2``, ``(a)/(b)``), and an
image becomes a link to it named by its alt text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from urllib.parse import urljoin

_BLOCKS = frozenset({"p", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dt", "dd"})
_STYLES = {"strong": "strong", "b": "strong", "em": "em", "i": "em", "code": "code"}
_SKIPPED = frozenset({"script", "style", "annotation", "annotation-xml", "mphantom"})
_LEFT_OUT = frozenset({"headerlink", "footnote-backref"})
"""Links that only serve the page: a heading's "#", a footnote's way back."""
_MD_SPECIAL = re.compile(r"([\\`*_~|\[\]<>])")


@dataclass(slots=True)
class Span:
    text: str
    href: str | None = None
    style: str = ""
    """``strong``, ``em``, ``code`` or ``math``."""


@dataclass(slots=True)
class Block:
    kind: str
    """``p``, ``li``, ``h`` (a heading) or ``pre``."""
    spans: list[Span] = field(default_factory=list)
    marker: str = ""
    """A list item's ``-`` or ``1.``."""
    depth: int = 0
    group: int = 0
    """Which list an item is in: items of one list follow each other without a gap."""

    def text(self) -> str:
        return "".join(span.text for span in self.spans)


@dataclass(slots=True)
class _Node:
    """A MathML element, kept whole until its ``</math>`` to be written out linearly."""

    tag: str
    children: list[_Node | str] = field(default_factory=list)


def read_prose(html: str, base: str) -> list[Block]:
    """The blocks of rendered ``html``, its links resolved against ``base`` (a page URL)."""
    reader = _Reader(base)
    reader.feed(html)
    reader.close()
    reader.flush()
    return [block for block in reader.blocks if block.text().strip()]


def plain_blocks(text: str) -> list[Block]:
    """Plain text (a TL;DR) as one paragraph."""
    return [Block("p", [Span(text)])] if text.strip() else []


def first_paragraph(blocks: list[Block]) -> list[Block]:
    return next(([block] for block in blocks if block.kind == "p"), [])


class _Reader(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.lists: list[list[int]] = []
        """Open lists: ``[0]`` for a bulleted one, ``[n]`` counting an ordered one's items."""
        self.links: list[str | None] = []
        self.notes: list[bool] = []
        """For each open link: whether it is a footnote's number, shown in brackets."""
        self.styles: list[str] = []
        self.math: list[_Node] = []
        self.skipping = 0
        self.cells = 0
        self.groups = 0

    # -- blocks -----------------------------------------------------------------------
    def flush(self) -> None:
        if self.current is not None:
            self.blocks.append(self.current)
        self.current = None

    def _open(self, kind: str) -> None:
        self.flush()
        if kind == "li":
            counter = self.lists[-1] if self.lists else [0]
            marker = "-"
            if counter[0]:
                marker = f"{counter[0]}."
                counter[0] += 1
            depth = max(len(self.lists) - 1, 0)
            self.current = Block("li", marker=marker, depth=depth, group=self.groups)
        else:
            self.current = Block(kind)
        self.cells = 0

    def _block(self) -> Block:
        if self.current is None:
            self.current = Block("p")
        return self.current

    def _add(self, text: str) -> None:
        if not text:
            return
        block = self._block()
        if block.kind != "pre":
            text = re.sub(r"\s+", " ", text)
            if not block.spans or block.spans[-1].text.endswith((" ", "\n")):
                text = text.lstrip()
            if not text:
                return
        style = "code" if block.kind == "pre" else (self.styles[-1] if self.styles else "")
        href = self.links[-1] if self.links else None
        last = block.spans[-1] if block.spans else None
        if last is not None and (last.href, last.style) == (href, style) and style != "math":
            last.text += text
        else:
            block.spans.append(Span(text, href, style))

    # -- the parser's events ----------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self.math:
            node = _Node(tag)
            self.math[-1].children.append(node)
            self.math.append(node)
            return
        classes = (values.get("class") or "").split()
        if self.skipping or tag in _SKIPPED or (tag == "a" and _LEFT_OUT & set(classes)):
            if self.skipping == 0 or tag in _SKIPPED or tag == "a":
                self.skipping += 1
            return
        if tag == "math":
            self.math.append(_Node(tag))
        elif tag in ("ul", "ol"):
            self.flush()
            if not self.lists:
                self.groups += 1
            self.lists.append([1 if tag == "ol" else 0])
        elif tag == "p" and self.current is not None and self.current.kind == "li":
            if self.current.spans:  # a second paragraph of one item: a line of its own
                self._add_break()
        elif tag in _BLOCKS:
            self._open("h" if tag[0] == "h" and tag[1:].isdigit() else tag)
        elif tag in ("td", "th"):
            if self.cells:
                self._add(" | ")
            self.cells += 1
        elif tag == "br":
            self._add_break()
        elif tag == "a":
            href = values.get("href")
            note = "footnote-ref" in classes  # the note itself follows, as a numbered item
            self.links.append(urljoin(self.base, href) if href and not note else None)
            self.notes.append(note)
            if note:
                self._add("[")
        elif tag == "img":
            src = values.get("src")
            if src:
                self.links.append(urljoin(self.base, src))
                self._add(values.get("alt") or "image")
                self.links.pop()
        elif tag in _STYLES:
            self.styles.append(_STYLES[tag])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if self.math and self.math[-1].tag == tag:
            self.math.pop()

    def handle_endtag(self, tag: str) -> None:
        if self.math:
            if self.math[-1].tag == tag:
                node = self.math.pop()
                if not self.math:
                    self.styles.append("math")
                    self._add(_linear(node).strip())
                    self.styles.pop()
            return
        if self.skipping:
            if tag in _SKIPPED or tag == "a":
                self.skipping -= 1
            return
        if tag in ("ul", "ol"):
            self.flush()
            if self.lists:
                self.lists.pop()
        elif tag == "p" and self.current is not None and self.current.kind == "li":
            return
        elif tag in _BLOCKS:
            self.flush()
        elif tag == "a" and self.links:
            self.links.pop()
            if self.notes.pop():
                self._add("]")
        elif tag in _STYLES and self.styles:
            self.styles.pop()

    def handle_data(self, data: str) -> None:
        if self.math:
            self.math[-1].children.append(data)
        elif not self.skipping:
            self._add(data)

    def _add_break(self) -> None:
        block = self._block()
        if block.spans:
            block.spans.append(Span("\n"))


# -- MathML, written out in a line -------------------------------------------------------


def _linear(node: _Node | str) -> str:
    if isinstance(node, str):
        return node.strip()
    parts = [_linear(child) for child in node.children]
    tag = node.tag
    if tag in _SKIPPED:
        return ""
    if tag == "msup" and len(parts) == 2:
        return f"{parts[0]}^{_group(parts[1])}"
    if tag == "msub" and len(parts) == 2:
        return f"{parts[0]}_{_group(parts[1])}"
    if tag in ("msubsup", "munderover") and len(parts) == 3:
        return f"{parts[0]}_{_group(parts[1])}^{_group(parts[2])}"
    if tag == "mfrac" and len(parts) == 2:
        return f"{_group(parts[0], '()')}/{_group(parts[1], '()')}"
    if tag == "msqrt":
        return f"√{_group(''.join(parts), '()')}"
    if tag == "mroot" and len(parts) == 2:
        return f"{_group(parts[1], '()')}√{_group(parts[0], '()')}"
    if tag == "mtr":
        return ", ".join(parts)
    if tag == "mtable":
        return "; ".join(parts)
    if tag == "mspace":
        return " "
    text = "".join(parts)
    if tag == "mo" and text in ("=", "<", ">", "≤", "≥", "≠", "→", "+", "−", "-", "∈", "≈"):
        return f" {text} "
    if tag == "mo" and text == ",":
        return ", "
    if tag == "mi" and len(text) > 1:  # a function's name: log, sin
        return f" {text} "
    if tag == "math":
        return re.sub(r"\s+", " ", text).strip()
    return text


def _group(text: str, brackets: str = "{}") -> str:
    text = text.strip()
    if len(text) <= 1 or text.isalnum():
        return text
    return brackets[0] + text + brackets[1]


# -- writing out -----------------------------------------------------------------------


def _layout(blocks: list[Block], texts: list[str]) -> str:
    """Blocks written one after another: a blank line between, none inside a list."""
    out: list[str] = []
    for index, (block, text) in enumerate(zip(blocks, texts, strict=True)):
        before = blocks[index - 1] if index else None
        if before is not None and not (
            block.kind == before.kind == "li" and block.group == before.group
        ):
            out.append("")
        out.append(text)
    return "\n".join(out)


def as_text(blocks: list[Block]) -> str:
    """Plain text; a link's address follows its text in brackets."""
    texts = []
    for block in blocks:
        text = "".join(_text_span(span) for span in block.spans).strip()
        if block.kind == "li":
            text = "  " * block.depth + f"{block.marker} " + text.replace("\n", "\n  ")
        texts.append(text)
    return _layout(blocks, texts)


def _text_span(span: Span) -> str:
    if span.href is None:
        return span.text
    shown = span.text.strip()
    if shown in (span.href, span.href.removeprefix("mailto:")):
        return span.text.replace(shown, span.href)
    return f"{span.text} ({span.href})"


def md_inline(text: str) -> str:
    """Text shown as written in chat Markdown: its specials escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_line_start(text: str) -> str:
    """A line that does not start a block it was not meant to (a heading, a quote)."""
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    return re.sub(r"^([#>+-])", r"\\\1", text)


def md_link(url: str) -> str:
    return f"<{url.replace('>', '%3E').replace(' ', '%20')}>"


def as_markdown(blocks: list[Block]) -> str:
    """The Markdown Slack and Discord both show; a link's address follows its text."""
    texts = []
    for block in blocks:
        if block.kind == "pre":
            code = block.text().rstrip("\n").replace("```", "`\u200b``")
            texts.append(f"```\n{code}\n```")
            continue
        text = md_line_start("".join(_md_span(span) for span in block.spans).strip())
        if block.kind == "h":
            text = f"**{text}**"
        elif block.kind == "li":
            text = "  " * block.depth + f"{block.marker} " + text.replace("\n", "\n  ")
        texts.append(text)
    return _layout(blocks, texts)


def _md_span(span: Span) -> str:
    text = span.text
    if span.style in ("code", "math"):
        body = text.strip().replace("`", "'")
        shown = f"`{body}`" if body else ""
        text = text.replace(text.strip(), shown) if body else text
    elif span.style in ("strong", "em") and text.strip():
        mark = "**" if span.style == "strong" else "_"
        text = text.replace(text.strip(), f"{mark}{md_inline(text.strip())}{mark}")
    else:
        text = md_inline(text)
    if span.href is None:
        return text
    shown = span.text.strip()
    if shown in (span.href, span.href.removeprefix("mailto:")):
        return md_link(span.href)
    return f"{text} {md_link(span.href)}"


def as_html(blocks: list[Block]) -> str:
    """HTML for an email body: paragraphs, lists, code and links, nothing else."""
    out: list[str] = []
    open_list = ""
    for block in blocks:
        kind = f"ol-{block.group}" if block.marker[:1].isdigit() else f"ul-{block.group}"
        if open_list and (block.kind != "li" or kind != open_list):
            out.append(f"</{open_list[:2]}>")
            open_list = ""
        if block.kind == "li" and not open_list:
            out.append(f"<{kind[:2]}>")
            open_list = kind
        inner = "".join(_html_span(span) for span in block.spans).strip()
        if block.kind == "pre":
            out.append(f"<pre>{escape(block.text().rstrip())}</pre>")
        elif block.kind == "li":
            out.append(f"<li>{inner}</li>")
        elif block.kind == "h":
            out.append(f"<p><strong>{inner}</strong></p>")
        else:
            out.append(f"<p>{inner}</p>")
    if open_list:
        out.append(f"</{open_list[:2]}>")
    return "\n".join(out)


def _html_span(span: Span) -> str:
    if span.text == "\n":
        return "<br>\n"
    text = escape(span.text)
    if span.style in ("code", "math"):
        text = f"<code>{text}</code>"
    elif span.style in ("strong", "em"):
        text = f"<{span.style}>{text}</{span.style}>"
    if span.href is None:
        return text
    return f'<a href="{escape(span.href)}">{text}</a>'
