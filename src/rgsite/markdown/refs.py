"""References between pages: placeholders in rendered Markdown until the site is linked.

:func:`rgsite.markup.render_markdown` cannot know another page's URL or title, so each
``[[kind:id]]`` or ``.md`` link leaves a placeholder in the HTML (and, for a link with no
text, in the summary) and a :class:`Ref` saying what it points at. Once the graph knows
every page, :func:`resolve` and :func:`finish_summary` fill them in; a target that does
not exist shows what the author wrote, marked as broken, never a dead link.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

REF_KINDS = ("speaker", "session", "paper", "proposal", "list", "page")
SUMMARY_LENGTH = 300
HREF, TEXT, END = "\ue000", "\ue002", "\ue001"
"""Private-use characters: a URL placeholder, a title placeholder, and their end."""


@dataclass(frozen=True, slots=True)
class Ref:
    """A link to another page or file, waiting in the HTML as a placeholder for its URL."""

    kind: str
    target: str
    line: int
    fragment: str = ""
    index: int = 0


_RESOLVE_RE = re.compile(
    f'<a\\b(?P<apre>[^>]*?)\\shref="{HREF}(?P<a>\\d+){END}"(?P<apost>[^>]*)>(?P<inner>.*?)</a>'
    f'|<img\\b(?P<ipre>[^>]*?)\\ssrc="{HREF}(?P<i>\\d+){END}"(?P<ipost>[^>]*)>'
    f"|(?P<mark>[{HREF}{TEXT}])(?P<n>\\d+){END}",
    re.DOTALL,
)
_ALT_RE = re.compile(r'\salt="([^"]*)"')


def resolve(
    html_text: str, refs: Sequence[Ref], link_for: Callable[[Ref], tuple[str, str] | None]
) -> str:
    """Swap the placeholders of :func:`rgsite.markup.render_markdown` for URLs from ``link_for``.

    ``link_for`` returns ``(url, title)``, or None when the target does not exist; then the
    reader sees what the author wrote, marked as a broken reference, and no dead link.
    """
    by_index = {ref.index: ref for ref in refs}
    answers: dict[int, tuple[str, str] | None] = {}

    def lookup(index: int) -> tuple[Ref | None, tuple[str, str] | None]:
        ref = by_index.get(index)
        if ref is None:
            return None, None
        if index not in answers:
            answers[index] = link_for(ref)
        return ref, answers[index]

    def href(ref: Ref, url: str) -> str:
        return html.escape(f"{url}#{ref.fragment}" if ref.fragment else url)

    def sub(m: re.Match[str]) -> str:
        if m.group("a") is not None:
            ref, found = lookup(int(m.group("a")))
            inner = m.group("inner")
            if ref is not None and found is not None:
                inner = _TEXT_PLACEHOLDER_RE.sub(html.escape(found[1]), inner)
                attrs = f'{m.group("apre")} href="{href(ref, found[0])}"{m.group("apost")}'
                return f"<a{attrs}>{inner}</a>"
            return f'<span class="broken-ref">{_broken_text(ref, inner)}</span>'
        if m.group("i") is not None:
            ref, found = lookup(int(m.group("i")))
            if ref is not None and found is not None:
                return f'<img{m.group("ipre")} src="{href(ref, found[0])}"{m.group("ipost")}>'
            alt = _ALT_RE.search(m.group("ipre") + m.group("ipost"))
            return f'<span class="broken-ref">{alt.group(1) if alt else ""}</span>'
        ref, found = lookup(int(m.group("n")))
        if found is not None and ref is not None:
            return href(ref, found[0]) if m.group("mark") == HREF else html.escape(found[1])
        if m.group("mark") == HREF:
            return ""
        return f'<span class="broken-ref">{_broken_text(ref, m.group(0))}</span>'

    return _RESOLVE_RE.sub(sub, html_text)


_TEXT_PLACEHOLDER_RE = re.compile(f"{TEXT}\\d+{END}")


def _broken_text(ref: Ref | None, inner: str) -> str:
    if ref is None or ref.kind not in REF_KINDS:
        return _TEXT_PLACEHOLDER_RE.sub("", inner)
    target = html.escape(f"{ref.target}#{ref.fragment}" if ref.fragment else ref.target)
    if _TEXT_PLACEHOLDER_RE.fullmatch(inner):
        return f"[[{html.escape(ref.kind)}:{target}]]"
    return f"[[{html.escape(ref.kind)}:{target}|{inner}]]"


def finish_summary(
    summary: str, refs: Sequence[Ref], link_for: Callable[[Ref], tuple[str, str] | None]
) -> str:
    """``summary`` with each title placeholder replaced by its target's title (or, when the
    target does not exist, the id that was written), shortened for lists."""
    if TEXT not in summary:
        return summary
    by_index = {ref.index: ref for ref in refs}

    def title(m: re.Match[str]) -> str:
        ref = by_index.get(int(m.group(0)[1:-1]))
        if ref is None:
            return ""
        found = link_for(ref)
        return found[1] if found is not None else ref.target

    return shorten(_TEXT_PLACEHOLDER_RE.sub(title, summary), SUMMARY_LENGTH)


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"
