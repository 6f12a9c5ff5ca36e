"""Lists nested by two spaces, and fenced code inside list items, as GitHub writes them.

Python-Markdown nests a block in a list item only four spaces in; GitHub, Jekyll and
most editors nest at the item's text (two spaces after ``- ``, three after ``1. ``), and
put fenced code in an item by indenting the fence. Owns :func:`nest_lists`, which moves
the blocks inside list items so Python-Markdown sees the nesting such a reader would, and
finds the fenced code in list items (and fences indented one to three spaces), which
Python-Markdown would show as text; :mod:`rgsite.markdown.tokens` swaps those for the
highlighted code.

What is already four spaces in keeps its meaning: four-space nesting, indented code in an
item (four more spaces), a fence in the left margin. Only the spaces before a line change,
so every line keeps its number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown.extensions.fenced_code import FencedBlockPreprocessor

__all__ = ["Fence", "Nested", "nest_lists"]

_MARKER_RE = re.compile(r"([*+-]|\d{1,9}\.)([ \t]+|$)")
_RULE_RE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE_RE = re.compile(r"(`{3,}|~{3,})[ \t]*(.*?)[ \t]*$")
# Blocks that end a paragraph, and so a list, when they start left of a list's items.
_INTERRUPTS_RE = re.compile(r"#{1,6}(?:[ \t]|$)|>|<[A-Za-z/!]|`{3,}|~{3,}")
_LANG_RE = re.compile(r"\{?\s*\.?([\w#.+-]+)")
_QUICK_RE = re.compile(r"^[ \t]*(?:[*+-]|\d{1,9}\.)[ \t]|^[ \t]+(?:`{3,}|~{3,})", re.MULTILINE)
_COLUMN_FENCE_RE = FencedBlockPreprocessor.FENCED_BLOCK_RE


@dataclass(frozen=True, slots=True)
class Fence:
    """Fenced code Python-Markdown cannot see: where it is in the nested text, how far in
    its placeholder must stand to stay in its list item, its language and its code."""

    start: int
    end: int
    indent: int
    lang: str
    code: str


@dataclass(frozen=True, slots=True)
class Nested:
    text: str
    fences: tuple[Fence, ...] = ()


@dataclass(slots=True)
class _Item:
    marker: int  # columns in the author's text
    content: int
    out: int  # the column its marker is moved to

    @property
    def base(self) -> int:
        """The least indent of a block inside this item."""
        return min(self.content, self.marker + 4)

    def place(self, indent: int) -> int:
        """Where a block of this item written ``indent`` columns in goes."""
        if indent >= self.marker + 4:  # four spaces in: Python-Markdown reads it so already
            return self.out + indent - self.marker
        return self.out + 4 + indent - self.content


def nest_lists(text: str, max_depth: int) -> Nested:
    """``text`` with the blocks of list items moved to where Python-Markdown nests them,
    and its fenced code in list items; unchanged when nothing is nested or lists go
    deeper than ``max_depth``."""
    if not _QUICK_RE.search(text):
        return Nested(text)
    lines = text.splitlines(keepends=True)
    verbatim = _column_fences(text)
    out: list[str] = []
    fences: list[Fence] = []
    stack: list[_Item] = []
    offset = written = 0
    shift = 0
    blank_before = True
    paragraph = False  # the line before is text outside any list, which a list cannot interrupt
    index = 0
    while index < len(lines):
        line = lines[index]
        start, offset = offset, offset + len(line)
        index += 1
        if any(a <= start < b for a, b in verbatim):  # Python-Markdown's own fenced code
            out.append(line)
            written += len(line)
            stack, shift, blank_before, paragraph = [], 0, False, False
            continue
        if not line.strip():
            out.append(line)
            written += len(line)
            blank_before, paragraph = True, False
            continue
        rest = line.lstrip(" \t")
        indent = len(line[: len(line) - len(rest)].expandtabs(4))
        marker = None if _RULE_RE.match(line) else _MARKER_RE.match(rest)
        fence = _FENCE_RE.match(rest.rstrip("\r\n"))
        if fence and "`" in fence.group(2) and fence.group(1)[0] == "`":
            fence = None  # an info string may not hold a backtick: this is inline code
        starts_block = blank_before or marker is not None or fence is not None
        if starts_block or _INTERRUPTS_RE.match(rest):
            while stack and indent < stack[-1].base:
                stack.pop()
        owner = stack[-1] if stack and indent >= stack[-1].base else None
        if fence is not None and (owner is not None or 0 < indent < 4):
            closing = _closing(lines, index, fence.group(1))
            if closing is not None:
                moved = owner.place(indent) if owner is not None else indent
                block = lines[index - 1 : closing + 1]
                shifted = [_indent(ln, moved - indent) for ln in block]
                code = "".join(_dedent(ln, indent) for ln in block[1:-1])
                lang = _LANG_RE.match(fence.group(2))
                body = "".join(shifted)
                fences.append(
                    Fence(written, written + len(body), moved, lang.group(1) if lang else "", code)
                )
                out.append(body)
                written += len(body)
                offset += sum(len(ln) for ln in block[1:])
                index = closing + 1
                shift, blank_before, paragraph = moved - indent, False, False
                continue
        if marker is not None and (owner is not None or (indent < 4 and not paragraph)):
            if owner is None:
                moved = indent
            elif indent < owner.marker + 4:
                moved = owner.out + 4
            else:
                moved = owner.place(indent)
            spaces = len(marker.group(2).expandtabs(4))
            width = len(marker.group(1)) + (spaces if 1 <= spaces <= 4 else 1)
            stack.append(_Item(indent, indent + width, moved))
            if len(stack) > max_depth:
                return Nested(text)
            shift = moved - indent
        elif starts_block:
            shift = owner.place(indent) - indent if owner is not None else 0
        new = _indent(line, shift) if shift else line
        out.append(new)
        written += len(new)
        blank_before = False
        paragraph = not stack and not _INTERRUPTS_RE.match(rest)
    return Nested("".join(out), tuple(fences))


def _column_fences(text: str) -> list[tuple[int, int]]:
    if "```" not in text and "~~~" not in text:
        return []
    return [m.span() for m in _COLUMN_FENCE_RE.finditer(text)]


def _closing(lines: list[str], start: int, fence: str) -> int | None:
    """The index of the line closing ``fence`` from ``start`` on, or None."""
    for index in range(start, len(lines)):
        stripped = lines[index].strip()
        if stripped.startswith(fence) and not stripped.strip(fence[0]):
            return index
    return None


def _indent(line: str, shift: int) -> str:
    rest = line.lstrip(" \t")
    width = len(line[: len(line) - len(rest)].expandtabs(4))
    return " " * max(width + shift, 0) + rest


def _dedent(line: str, columns: int) -> str:
    """``line`` with up to ``columns`` columns of its indent removed."""
    rest = line.lstrip(" \t")
    width = len(line[: len(line) - len(rest)].expandtabs(4))
    if not rest.strip():
        return rest if rest else line
    return " " * max(width - columns, 0) + rest
