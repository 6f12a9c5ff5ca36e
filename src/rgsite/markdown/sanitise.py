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
_TAG_RE = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)[^>]*>")
_BARE_URL_ATTR_RE = re.compile(r"\s(href|src)(?=\s|/?>)", re.IGNORECASE)
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

    def empty(needle: str, tag: str, name: str) -> None:
        if doc is not None:
            doc.warn(
                doc.locate(needle),
                f'<{tag} {name}=""> has an empty address, so it goes nowhere; put the address '
                f"in {name}, or remove the <{tag}>",
                "error",
            )

    def attr(m: re.Match[str], tag: str) -> str:
        if m.group("handler"):
            warn(m.group(0).strip(), f"script attribute '{m.group('handler')}' removed")
            return ""
        value = m.group("url").strip("\"'")
        if not value.strip():
            empty(m.group(0).strip(), tag, m.group(0).strip().split("=")[0].strip().lower())
            return m.group(0)
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
        text, name = m.group(0), m.group(1).lower()
        if doc is not None and TOKEN_CHARS_RE.search(text):  # "$" in an attribute is not math
            text = doc.plain(text)
        for bare in _BARE_URL_ATTR_RE.finditer(text):
            empty(text, name, bare.group(1).lower())
        return _ATTR_RE.sub(lambda a: attr(a, name), text) if "=" in text else text

    return _TAG_RE.sub(tag, _SCRIPT_RE.sub(script, block))
