"""What one Markdown render learns as it goes, shared by every step of it.

Owns :class:`Document`: the source text and where it came from, the math and references
swapped out for placeholders, the problems found, and the lines and plain text behind a
placeholder. Also owns the placeholder characters that live only inside one render (the
ones that survive into the HTML are :mod:`rgsite.markdown.refs`').
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from rgsite.errors import Location, Problem, Severity
from rgsite.markdown.lists import Fence
from rgsite.markdown.macros import Macros
from rgsite.markdown.refs import END, TEXT

# Private-use characters pass through Markdown untouched, and authors never type them (any
# that arrive are replaced), so they make placeholders nothing can mangle or forge.
# Ref placeholders (rgsite.markdown.refs) survive into Rendered.html; these live only in one render.
MATH, DISPLAY, WIKI, CODE = "\ue003", "\ue004", "\ue005", "\ue006"
RESERVED_RE = re.compile("[\ue000-\ue006]")
TOKEN_CHARS_RE = re.compile(f"[{MATH}{DISPLAY}{WIKI}{CODE}]")
_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_PLAIN_TOKEN_RE = re.compile(f"([{MATH}{DISPLAY}{WIKI}{CODE}])(\\d+){END}")


@dataclass(slots=True)
class Stashed:
    source: str  # with its delimiters, as the author wrote it
    html: str  # <math> (or the source as code when it could not be rendered), or code


@dataclass(slots=True)
class PendingRef:
    kind: str
    target: str
    offset: int  # in the source text; orders refs and gives their line
    fragment: str = ""
    text: str | None = None  # [[kind:id|text]]


@dataclass(slots=True)
class Document:
    """Everything one render_markdown call learns, shared with the Markdown processors."""

    text: str
    path: str
    first_line: int
    macros: Macros = field(default_factory=Macros)
    has_tex: bool = False  # any formula, rendered or not: what the macros can change
    fences: tuple[Fence, ...] = ()  # fenced code Python-Markdown cannot see, in list items
    refs: list[PendingRef] = field(default_factory=list)
    stash: list[Stashed] = field(default_factory=list)  # math, code, [[...]] of unknown kind
    problems: list[Problem] = field(default_factory=list)
    skipped: list[tuple[int, int]] = field(default_factory=list)  # code and math spans
    html_checked: int = 0  # raw HTML stash entries already sanitised
    _newlines: list[int] | None = None
    _masked: str | None = None
    _visible: str | None = None
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
        start = self._cursors.get(needle, 0)
        found = self.masked().find(needle, start) if needle else -1
        if found < 0:
            return max(start - len(needle), 0)
        self._cursors[needle] = found + len(needle)
        return found

    def locate_pattern(self, pattern: re.Pattern[str]) -> int:
        """Like :meth:`locate`, for the next match of ``pattern``."""
        start = self._cursors.get(pattern.pattern, 0)
        found = pattern.search(self.masked(), start)
        if found is None:
            return max(start - 1, 0)
        self._cursors[pattern.pattern] = found.end()
        return found.start()

    def masked(self) -> str:
        """The text with code, math and references blanked out, newlines kept; complete
        once :func:`~rgsite.markdown.tokens.prepare` has found them all."""
        if self._masked is None:
            self._masked = _blank(self.text, self.skipped)
        return self._masked

    def visible(self) -> str:
        """:meth:`masked`, with HTML comments blanked too: the text and markup a reader
        could get, where leftovers of other tools and broken HTML are looked for."""
        if self._visible is None:
            masked = self.masked()
            comments = [m.span() for m in _COMMENT_RE.finditer(masked)] if "<!--" in masked else []
            self._visible = _blank(masked, comments)
        return self._visible

    def plain(
        self, text: str, *, display_math: bool = True, titles: dict[int, int] | None = None
    ) -> str:
        """Text with math as its LaTeX source and references as their text or id; with
        ``titles`` (ref -> its final number), a reference without text is a placeholder
        for its target's title instead of its id."""

        def sub(m: re.Match[str]) -> str:
            mark, n = m.group(1), int(m.group(2))
            if mark == WIKI:
                ref = self.refs[n]
                if ref.text is not None:
                    return ref.text
                return ref.target if titles is None else f"{TEXT}{titles[n]}{END}"
            if mark == CODE:
                return ""
            return self.stash[n].source if display_math or mark == MATH else ""

        return _PLAIN_TOKEN_RE.sub(sub, text)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = (c if c == "\n" else " " for c in text[start:end])
    return "".join(chars)
