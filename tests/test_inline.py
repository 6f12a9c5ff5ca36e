"""Markdown's inline pass skips patterns a text cannot match, and renders what
Python-Markdown's own pass renders, byte for byte."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.treeprocessors import InlineProcessor

from rgsite.markdown.inline import TRIGGERS, TriggeredInline
from rgsite.markdown.render import Rendered, _markdown, render_markdown


@contextmanager
def stock_inline() -> Iterator[None]:
    """This thread's Markdown with Python-Markdown's own inline processor."""
    md, _ = _markdown()
    md.treeprocessors.register(InlineProcessor(md), "inline", 20)
    try:
        yield
    finally:
        md.treeprocessors.register(TriggeredInline(md), "inline", 20)


def both(text: str) -> tuple[Rendered, Rendered]:
    fast = render_markdown(text, path="content/sessions/x.md")
    with stock_inline():
        stock = render_markdown(text, path="content/sessions/x.md")
    return fast, stock


PIECES = st.sampled_from(
    [
        "word",
        " ",
        "  \n",
        "\n",
        "\n\n",
        "*",
        "**",
        "_",
        "__",
        "`",
        "``",
        "\\",
        "\\*",
        "[",
        "]",
        "(",
        ")",
        "![",
        "[^1]",
        "[^1]: note\n",
        "<",
        ">",
        "&",
        "&amp;",
        "&#42;",
        "<span>",
        "</span>",
        "<b>bold</b>",
        "<https://example.org/a>",
        "<me@example.org>",
        "[a](https://example.org)",
        "[ref]",
        "[ref]: https://example.org/r\n",
        "$x^2$",
        "- item\n",
        "1. one\n",
        "> quote\n",
        "    code\n",
        "```\nfenced *x*\n```\n",
        "# Head\n",
        "| a | b |\n|---|---|\n| *c* | `d` |\n",
        "{: .cls }",
        "é",
        "—",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=40).map("".join))
def test_same_html_as_python_markdown(text: str) -> None:
    fast, stock = both(text)
    assert fast == stock


def test_prose_with_every_construct_renders_alike() -> None:
    text = (
        "Some *emphasis*, **strong**, _under_, `code`, a [link](https://example.org), "
        "![an image](pic.png), <https://example.org/auto>, <me@example.org>, &amp; an "
        "entity, an escaped \\* star, a footnote[^n] and a line  \nbreak.\n\n[^n]: The note.\n"
    )
    fast, stock = both(text)
    assert fast == stock
    assert "<em>emphasis</em>" in fast.html and "<code>code</code>" in fast.html
    assert "<br>" in fast.html and 'href="https://example.org/auto"' in fast.html


def test_every_inline_pattern_has_a_trigger() -> None:
    """A pattern Python-Markdown adds that the table does not know is tried on every
    text: right, but slow; this says to add it."""
    md, _ = _markdown()
    assert {item.name for item in md.inlinePatterns._priority} <= TRIGGERS.keys()
