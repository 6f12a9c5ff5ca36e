"""HTML to Markdown, for abstracts and bodies that old sites kept as HTML.

Abstracts use few tags: paragraphs, line breaks, emphasis, links, lists, code, headings,
quotes, images. Those become Markdown; ``<sup>``, ``<sub>``, ``<del>`` and tables stay
as HTML, which Markdown allows. Anything that runs or embeds (``<script>``, ``<iframe>``,
``<form>``) is dropped with what was inside, and said — a video's ``<iframe>`` gives its
address, which becomes a resource. Other tags are unwrapped, keeping their text, and
said too. Math between ``$`` signs is left exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_HTML = re.compile(
    r"</?(?:p|br|div|em|strong|b|i|a|ul|ol|li|h[1-6]|span|blockquote|pre|code|img|table|"
    r"sup|sub|iframe|hr|font|u)\b[^>]*>",
    re.IGNORECASE,
)
BLOCKS = frozenset({"p", "div", "blockquote", "pre", "ul", "ol", "h1", "h2", "h3", "h4"})
BLOCKS |= {"h5", "h6", "section", "article", "header", "footer", "figure", "figcaption"}
KEPT = frozenset({"sup", "sub", "del", "s", "ins", "kbd", "table", "thead", "tbody", "tr"})
KEPT |= {"td", "th", "caption"}
UNWRAPPED = frozenset({"span", "font", "u", "small", "abbr", "cite", "section", "article"})
UNWRAPPED |= {"header", "footer", "figure", "figcaption", "center", "big", "mark", "time"}
DROPPED = frozenset({"script", "style", "iframe", "object", "embed", "form", "noscript"})
DROPPED |= {"video", "audio", "button", "input", "select", "textarea", "svg", "canvas"}
_MATH = re.compile(r"(\$\$.+?\$\$|\$[^$\n]+\$)", re.DOTALL)
_ESCAPE = re.compile(r"([\\`*_])")
_EMBED_ID = re.compile(r"//(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]+)")


def looks_like_html(text: str) -> bool:
    return bool(_HTML.search(text))


@dataclass(slots=True)
class Converted:
    markdown: str
    dropped: list[str] = field(default_factory=list)
    """Tags removed with their content (``<script>``), or unwrapped to their text."""
    embeds: list[str] = field(default_factory=list)
    """Addresses of embedded players (``<iframe src>``), as watch addresses."""


def to_markdown(text: str) -> Converted:
    converter = _Converter()
    converter.feed(text)
    converter.close()
    markdown = "".join(converter.out)
    markdown = re.sub(r"[ \t]+\n", "\n", markdown)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip()
    return Converted(markdown, converter.dropped, converter.embeds)


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[tuple[str, list[int]]] = []
        """Each open list: ``ul`` or ``ol``, and its items so far (in a list, to count)."""
        self.links: list[str | None] = []
        self.pre = 0
        self.code = 0
        self.skip = 0
        self.quote = 0
        self.dropped: list[str] = []
        self.embeds: list[str] = []

    # -- helpers

    def _emit(self, text: str) -> None:
        if self.skip:
            return
        if self.quote and "\n" in text:
            text = text.replace("\n", "\n" + "> " * self.quote)
        self.out.append(text)

    def _block(self) -> None:
        self._emit("\n\n")

    # -- parser events

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in DROPPED:
            if self.skip:  # inside something dropped already: said once, for the outside
                self.skip += tag not in ("input", "embed")
                return
            src = values.get("src", "")
            embed = _EMBED_ID.search(src)
            if embed:
                self.embeds.append(f"https://www.youtube.com/watch?v={embed[1]}")
            elif "vimeo.com" in src:
                self.embeds.append(src)
            else:
                self.dropped.append(f"<{tag}>")
            if tag not in ("input", "embed"):
                self.skip += 1
            return
        if tag in ("p", "div") or (tag in BLOCKS and tag not in ("ul", "ol", "pre", "blockquote")):
            self._block()
            if tag[0] == "h" and tag[1:].isdigit():
                self._emit("#" * int(tag[1]) + " ")
            return
        if tag == "blockquote":
            self._block()
            self.quote += 1
            self._emit("> ")
        elif tag == "br":
            self._emit("\n")
        elif tag == "hr":
            self._emit("\n\n---\n\n")
        elif tag in ("ul", "ol"):
            if not self.lists:
                self._block()
            self.lists.append((tag, [0]))
        elif tag == "li":
            depth = max(len(self.lists), 1)
            kind, count = self.lists[-1] if self.lists else ("ul", [0])
            count[0] += 1
            marker = f"{count[0]}. " if kind == "ol" else "- "
            self._emit("\n" + "    " * (depth - 1) + marker)
        elif tag in ("em", "i"):
            self._emit("*")
        elif tag in ("strong", "b"):
            self._emit("**")
        elif tag == "code" and self.pre:
            language = values.get("class", "").replace("language-", "").split(" ")[0]
            if language and self.out and self.out[-1].endswith("```\n"):
                self.out[-1] = self.out[-1][:-1] + language + "\n"
        elif tag == "code":
            self.code += 1
            self._emit("`")
        elif tag == "pre":
            self.pre += 1
            language = values.get("class", "").replace("language-", "").split(" ")[0]
            self._emit(f"\n\n```{language}\n")
        elif tag == "a":
            href = values.get("href", "").strip()
            self.links.append(href or None)
            if href:
                self._emit("[")
        elif tag == "img":
            src = values.get("src", "").strip()
            if src:
                self._emit(f"![{values.get('alt', '').strip()}]({src})")
        elif tag in KEPT:
            self._emit(f"<{tag}>")
        elif tag not in UNWRAPPED and tag not in ("html", "body", "head"):
            self.dropped.append(f"<{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in DROPPED and tag not in ("input", "embed"):
            self.skip -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED:
            if tag not in ("input", "embed") and self.skip:
                self.skip -= 1
            return
        if tag == "blockquote":
            self.quote = max(self.quote - 1, 0)
            self._block()
        elif tag in BLOCKS and tag not in ("ul", "ol", "pre"):
            self._block()
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            if not self.lists:
                self._block()
        elif tag in ("em", "i"):
            self._emit("*")
        elif tag in ("strong", "b"):
            self._emit("**")
        elif tag == "code" and not self.pre:
            self.code = max(self.code - 1, 0)
            self._emit("`")
        elif tag == "pre":
            self.pre = max(self.pre - 1, 0)
            if self.out:
                self.out[-1] = self.out[-1].rstrip("\n")
            self._emit("\n```\n\n")
        elif tag == "a":
            href = self.links.pop() if self.links else None
            if href:
                self._emit(f"]({href})")
        elif tag in KEPT:
            self._emit(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.pre:
            self._emit(data)
            return
        text = re.sub(r"\s+", " ", data)
        if self.code:
            self._emit(text)
            return
        if self.out and self.out[-1].endswith(("\n", "- ", ". ", "> ")):
            text = text.lstrip()
        pieces = _MATH.split(text)
        self._emit("".join(p if i % 2 else _escape(p) for i, p in enumerate(pieces)))


def _escape(text: str) -> str:
    """Text that Markdown shows as it is: no emphasis, code or HTML made of it."""
    return _ESCAPE.sub(r"\\\1", text).replace("<", "&lt;")
