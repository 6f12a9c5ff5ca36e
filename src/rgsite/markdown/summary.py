"""A page's summary: the first paragraph of its rendered Markdown, as plain text."""

from __future__ import annotations

import html
import re

from rgsite.markdown.document import Document
from rgsite.markdown.refs import SUMMARY_LENGTH, TEXT, shorten

_FIRST_P_RE = re.compile(r"<p(?:\s[^>]*)?>(.*?)</p>", re.DOTALL)
_FOOTNOTE_REF_RE = re.compile(r'<sup id="fnref[^"]*">.*?</sup>', re.DOTALL)
_ANY_TAG_RE = re.compile(r"<[^>]+>")


def summarise(doc: Document, body: str, final: dict[int, int]) -> str:
    """The first paragraph as plain text. A ``[[kind:id]]`` link without text stays a
    placeholder for its target's title, which :func:`~rgsite.markdown.refs.finish_summary`
    fills in once the site is linked; the text is shortened then."""
    for m in _FIRST_P_RE.finditer(body):
        text = html.unescape(_ANY_TAG_RE.sub("", _FOOTNOTE_REF_RE.sub("", m.group(1))))
        text = " ".join(doc.plain(text, display_math=False, titles=final).split())
        if text:
            return text if TEXT in text else shorten(text, SUMMARY_LENGTH)
    return ""
