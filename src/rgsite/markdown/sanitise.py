"""Raw HTML in Markdown, made safe: authors may write HTML, but nothing that runs.

Owns which link schemes a page may use (for Markdown links too) and
:func:`sanitise_html`, which shows ``<script>`` as text and drops script attributes and
links to unsafe schemes from one block of raw HTML, warning about each.
"""

from __future__ import annotations

import html
import re

from rgsite.markdown.document import TOKEN_CHARS_RE, Document

SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# Browsers drop these anywhere in a URL, so "java\tscript:" is still javascript:.
URL_JUNK_RE = re.compile(r"[\x00-\x20\x7f]")
_SCRIPT_RE = re.compile(r"<(/?script\b)", re.IGNORECASE)
_TAG_RE = re.compile(r"<[A-Za-z][^>]*>")
_VALUE = r"""(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)"""
_ATTR_RE = re.compile(
    rf"\s(?:(?P<handler>on[a-z]+)\s*=\s*{_VALUE}"
    rf"|(?:href|src|action|formaction|xlink:href|poster)\s*=\s*(?P<url>{_VALUE}))",
    re.IGNORECASE,
)


def unsafe(scheme: str) -> str:
    return f"unsafe link scheme '{scheme.lower()}:' (links may use http, https, mailto or a path)"


def sanitise_html(doc: Document | None, block: str) -> str:
    def warn(needle: str, message: str) -> None:
        if doc is not None:
            doc.warn(doc.locate(needle), message)

    def attr(m: re.Match[str]) -> str:
        if m.group("handler"):
            warn(m.group(0).strip(), f"script attribute '{m.group('handler')}' removed")
            return ""
        value = m.group("url").strip("\"'")
        scheme = SCHEME_RE.match(URL_JUNK_RE.sub("", html.unescape(value)))
        if scheme is None or scheme.group(1).lower() in SAFE_SCHEMES:
            return m.group(0)
        warn(value, unsafe(scheme.group(1)))
        return ""

    def script(m: re.Match[str]) -> str:
        if not m.group(1).startswith("/"):
            warn(m.group(0), "<script> is not allowed; shown as text")
        return f"&lt;{m.group(1)}"

    def tag(m: re.Match[str]) -> str:
        text = m.group(0)
        if doc is not None and TOKEN_CHARS_RE.search(text):  # "$" in an attribute is not math
            text = doc.plain(text)
        return _ATTR_RE.sub(attr, text) if "=" in text else text

    return _TAG_RE.sub(tag, _SCRIPT_RE.sub(script, block))
