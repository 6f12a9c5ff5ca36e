"""Raw HTML in a text whose tags do not nest: a stray ``</div>``, an unclosed ``<div>``.

Markdown passes an author's HTML through as written, into the middle of the theme's page.
A ``</div>`` that closes nothing of the author's closes the theme's own box; an unclosed
``<div>`` or ``<b>`` takes in the rest of the page (Python-Markdown even stops reading
Markdown after an unclosed ``<div>``). Owns :func:`report_nesting`, which follows the
author's tags outside code, math and comments and reports each that does not nest at its
line: an error, except a closing tag browsers ignore (``</img>``, ``</br>``, a ``</p>``
with no paragraph open), which is a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown.util import BLOCK_LEVEL_ELEMENTS

from rgsite.markdown.document import Document

__all__ = ["report_nesting"]

_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?>")
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta"}
    | {"param", "source", "track", "wbr"}
)
OPTIONAL_END = frozenset(
    {"p", "li", "dt", "dd", "rt", "rp", "rb", "rtc", "optgroup", "option", "colgroup"}
    | {"caption", "thead", "tbody", "tfoot", "tr", "td", "th", "html", "head", "body"}
)
RAW_TEXT = frozenset({"style", "textarea", "title", "xmp"})
SCRIPT = "script"  # shown as text by the sanitiser, so never an element
_BLOCKS = frozenset(BLOCK_LEVEL_ELEMENTS)
_PHRASING = frozenset(
    {"a", "abbr", "audio", "b", "bdi", "bdo", "big", "button", "canvas", "cite", "code"}
    | {"data", "datalist", "del", "dfn", "em", "font", "i", "ins", "kbd", "label", "mark"}
    | {"meter", "picture", "q", "s", "samp", "select", "slot", "small", "span", "strike"}
    | {"strong", "sub", "sup", "svg", "template", "time", "tt", "u", "var", "video"}
)
KNOWN = _BLOCKS | _PHRASING | VOID | OPTIONAL_END | RAW_TEXT
_PARAGRAPH_END_RE = re.compile(r"\n[ \t]*\n")


@dataclass(slots=True)
class _Open:
    name: str
    offset: int


@dataclass(slots=True)
class _Tags:
    doc: Document
    stack: list[_Open] = field(default_factory=list)
    closed_early: list[str] = field(default_factory=list)
    """Elements already reported as closed by an outer end tag; their own end tag, when
    it comes, is not reported again."""

    def open(self, name: str, offset: int) -> None:
        self.stack.append(_Open(name, offset))

    def close(self, name: str, offset: int, source: str) -> None:
        names = [entry.name for entry in self.stack]
        if name in names:
            index = len(names) - 1 - names[::-1].index(name)
            for inner in self.stack[index + 1 :]:
                if inner.name not in OPTIONAL_END:
                    self.doc.warn(
                        inner.offset,
                        f"<{inner.name}> is not closed before {source}; add </{inner.name}> "
                        "before it",
                        "error",
                    )
                    self.closed_early.append(inner.name)
            del self.stack[index:]
        elif name in self.closed_early:
            self.closed_early.remove(name)
        elif name in VOID:
            self.doc.warn(offset, f"stray {source}: <{name}> has no closing tag; delete it")
        elif name in OPTIONAL_END:
            self.doc.warn(offset, f"stray {source}: no <{name}> is open here; delete it")
        else:
            self.doc.warn(
                offset,
                f"stray {source}: no <{name}> is open here, so it closes a part of the page "
                f"around the text; delete it, or add the <{name}> it should close",
                "error",
            )

    def unclosed(self, entry: _Open, message: str) -> None:
        """Report ``entry`` as never closed; ``List<T>`` is far likelier text than HTML."""
        foreign = any(e.name in ("svg", "math") for e in self.stack)
        if entry.name not in KNOWN and "-" not in entry.name and not foreign:
            source = self.doc.visible()[entry.offset :].split(">", 1)[0] + ">"
            message = (
                f"{source} is read as an HTML tag and hidden from readers; to show it as text, "
                f"write \\{source} or put it in `code`"
            )
        self.doc.warn(entry.offset, message, "error")

    def paragraph_ends(self) -> None:
        """A blank line outside any HTML block ends a Markdown paragraph, and with it any
        inline element still open in it."""
        if any(entry.name in _BLOCKS for entry in self.stack):
            return
        for entry in self.stack:
            if entry.name not in OPTIONAL_END:
                self.unclosed(
                    entry,
                    f"<{entry.name}> is not closed before the paragraph ends; add </{entry.name}> "
                    "in the same paragraph",
                )
        self.stack.clear()

    def end(self) -> None:
        for entry in self.stack:
            if entry.name not in OPTIONAL_END:
                self.unclosed(
                    entry,
                    f"<{entry.name}> is never closed, so it takes in the rest of the page; add "
                    f"</{entry.name}> where it should end",
                )


def report_nesting(doc: Document) -> None:
    if not _TAG_RE.search(doc.text):
        return
    text = doc.visible()
    tags = _Tags(doc)
    ends = iter(m.start() for m in _PARAGRAPH_END_RE.finditer(text))
    next_end = next(ends, len(text))
    pos = 0
    while True:
        m = _TAG_RE.search(text, pos)
        if m is None:
            break
        pos = m.end()
        while next_end < m.start():
            tags.paragraph_ends()
            next_end = next(ends, len(text))
        before = text[max(m.start() - 64, 0) : m.start()]
        if _escaped(before) or before.rstrip(" ").endswith("]("):
            continue  # \<b> is text; [x](<my file.pdf>) is an address
        closing, name = m.group(1) == "/", m.group(2).lower()
        if name == SCRIPT:
            continue
        if closing:
            tags.close(name, m.start(), f"</{m.group(2)}>")
        elif name in RAW_TEXT:  # its text is not markup, up to its end tag
            tags.open(name, m.start())
            end = text.lower().find(f"</{name}", m.end())
            pos = len(text) if end < 0 else end
        elif name not in VOID and not m.group(0).endswith("/>"):
            tags.open(name, m.start())
    while next_end < len(text):
        tags.paragraph_ends()
        next_end = next(ends, len(text))
    tags.end()


def _escaped(before: str) -> bool:
    return (len(before) - len(before.rstrip("\\"))) % 2 == 1
