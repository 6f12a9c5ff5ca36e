"""Math and ``[[kind:id]]`` references hidden from Python-Markdown behind placeholder tokens.

Owns the text Markdown is given (:func:`prepare`: math and references outside code swapped
for tokens, each recorded in the :class:`~rgsite.markdown.document.Document`), finding the
code Markdown shows verbatim so nothing inside it is touched, and putting MathML and links
back in place of the tokens once Markdown is done (:func:`expand`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from markdown.extensions.fenced_code import FencedBlockPreprocessor

from rgsite.markdown.document import CODE, DISPLAY, MATH, WIKI, Document, PendingRef, Stashed
from rgsite.markdown.highlight import highlight
from rgsite.markdown.lists import Fence
from rgsite.markdown.mathml import MathError, to_mathml
from rgsite.markdown.refs import END, HREF, REF_KINDS, TEXT

_TOKEN_RE = re.compile(
    f"<p>{DISPLAY}(?P<block>\\d+){END}</p>"
    f"|(?P<mark>[{HREF}{TEXT}{MATH}{DISPLAY}{WIKI}{CODE}])(?P<n>\\d+){END}"
)
_INDENTED_CODE_RE = re.compile(f"(?<=\\n)[ ]+(?={CODE})")
# Code is a block: a paragraph holding it (a loose list item's text) is split around it.
_CODE_IN_P_RE = re.compile(
    f"<p>(?P<before>(?:(?!</p>).)*?){CODE}(?P<n>\\d+){END}(?P<after>(?:(?!</p>).)*?)</p>",
    re.DOTALL,
)

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


# --- before Markdown: code, math and [[kind:id]] -------------------------------------------


def prepare(doc: Document) -> str:
    """The text Markdown sees: math and ``[[kind:id]]`` outside code swapped for tokens."""
    text = doc.text
    out: list[str] = []
    pos = 0
    fences = {fence.start: fence for fence in doc.fences}
    for start, end in _code_blocks(text, [(f.start, f.end) for f in doc.fences]):
        doc.skipped.append((start, end))
        out.append(_prepare_inline(doc, pos, start))
        fence = fences.get(start)
        out.append(_code_token(doc, fence) if fence and fence.end == end else text[start:end])
        pos = end
    out.append(_prepare_inline(doc, pos, len(text)))
    return "".join(out)


def _code_token(doc: Document, fence: Fence) -> str:
    """Fenced code Python-Markdown cannot see, highlighted now; its token stands as far in
    as the fence, so it stays in its list item."""
    source = doc.text[fence.start : fence.end]
    doc.stash.append(Stashed(source, highlight(fence.code, fence.lang)))
    newline = "\n" if source.endswith("\n") else ""
    return f"{' ' * fence.indent}{CODE}{len(doc.stash) - 1}{END}{newline}"


def _prepare_inline(doc: Document, start: int, end: int) -> str:
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


def _math_token(doc: Document, m: re.Match[str], latex: str, *, display: bool) -> str | None:
    if not latex.strip():
        return None
    doc.skipped.append(m.span())
    doc.has_tex = True
    source = m.group(0)
    try:
        rendered = to_mathml(doc.macros.expand(latex), display=display)
    except MathError as exc:
        doc.warn(m.start(), f"could not render math: {exc}; shown as code")
        rendered = f'<code class="math-error">{html.escape(source)}</code>'
    doc.stash.append(Stashed(source, rendered))
    return f"{DISPLAY if display else MATH}{len(doc.stash) - 1}{END}"


def _wiki_token(doc: Document, m: re.Match[str]) -> str | None:
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
            Stashed(m.group(0), f'<span class="broken-ref">{html.escape(m.group(0))}</span>')
        )
        return f"{MATH}{len(doc.stash) - 1}{END}"
    text = m.group("text")
    doc.refs.append(PendingRef(kind, target, m.start(), fragment, text.strip() if text else None))
    doc.skipped.append(m.span())
    return f"{WIKI}{len(doc.refs) - 1}{END}"


def _code_blocks(text: str, indented: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Spans of fenced and indented code, which Markdown shows verbatim, in order;
    ``indented``: fenced code in list items."""
    spans = [m.span() for m in _FENCED_RE.finditer(text)] if "```" in text or "~~~" in text else []
    fences = iter(sorted(spans + indented))
    fence = next(fences, None)
    offset, skip_until = 0, 0
    blank_before, in_list, code_start = True, False, -1
    for line in text.splitlines(keepends=True):
        start, offset = offset, offset + len(line)
        if start < skip_until:
            continue
        if fence is not None and start >= fence[0]:
            if code_start >= 0:
                yield code_start, start
                code_start = -1
            yield fence
            skip_until = fence[1]
            fence = next((f for f in fences if f[0] >= skip_until), None)
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


# --- after Markdown -----------------------------------------------------------------------------


def expand(doc: Document, final: dict[int, int], body: str) -> str:
    """``body`` with math tokens as MathML and references as links to placeholder URLs,
    each ref renumbered by ``final`` (its number in the document -> in source order)."""
    if CODE in body:
        body = _CODE_IN_P_RE.sub(_split_paragraph, body)
        body = _INDENTED_CODE_RE.sub("", body)  # a tight list item keeps the token's indent
    return _TOKEN_RE.sub(lambda m: _expand(doc, final, m), body)


def _split_paragraph(m: re.Match[str]) -> str:
    before, after = m.group("before").strip(), m.group("after").strip()
    code = f"{CODE}{m.group('n')}{END}"
    rest = _CODE_IN_P_RE.sub(_split_paragraph, f"<p>{after}</p>") if after else ""
    return (f"<p>{before}</p>\n" if before else "") + code + ("\n" + rest if rest else "")


def _expand(doc: Document, final: dict[int, int], m: re.Match[str]) -> str:
    if m.group("block") is not None:
        math = doc.stash[int(m.group("block"))]
        return math.html if math.html.startswith("<math") else f"<p>{math.html}</p>"
    mark, n = m.group("mark"), int(m.group("n"))
    if mark in (MATH, DISPLAY, CODE):
        return doc.stash[n].html
    if mark != WIKI:
        return f"{mark}{final[n]}{END}"
    ref = doc.refs[n]
    index = final[n]
    text = f"{TEXT}{index}{END}" if ref.text is None else html.escape(ref.text)
    return f'<a href="{HREF}{index}{END}">{text}</a>'
