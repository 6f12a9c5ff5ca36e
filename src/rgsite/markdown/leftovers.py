"""Template syntax of other site generators left in a text: Liquid and Hugo shortcodes.

An archive moved from Jekyll or Hugo keeps ``{% include … %}``, ``{{ site.baseurl }}`` and
``{{< figure … >}}`` in its bodies. rgsite runs no templates inside content, so readers
would see the braces as written. Owns :func:`report_leftovers`, which warns about each one
outside code, math and HTML comments (where it is content, or hidden), with what to write
instead; one inside a link's address is an error, as the link is broken for readers.
"""

from __future__ import annotations

import re

from rgsite.markdown.document import Document

__all__ = ["report_leftovers"]

_LEFTOVER_RE = re.compile(
    r"""
      (?P<hugo>\{\{<\s*(?P<hugo_name>[^\s>]*)[^\n]*?>\}\}|\{\{%\s*(?P<hugo_md>[^\s%]*)[^\n]*?%\}\})
    | (?P<tag>\{%-?\s*(?P<tag_name>\w*)[^\n]*?-?%\})
    | (?P<output>\{\{-?\s*(?P<output_body>\S[^{}\n]*?)\s*-?\}\})
    """,
    re.VERBOSE,
)
# Just before a template inside a link's address: [text](…, href="…, or [id]: …
_IN_ADDRESS_RE = re.compile(
    r"""(?:\]\(\s*<?|\b(?:href|src)\s*=\s*["']?|^\s{0,3}\[[^\]]+\]:\s*<?)[^\s)"'<>]*$""",
    re.IGNORECASE | re.MULTILINE,
)
_LINKING = "link with [[kind:id]] (e.g. [[session:2023-01-21-x]]) or to the .md file"
_HINTS: dict[str, str] = {
    "include": "paste in what it included, or link to it",
    "include_relative": "paste in what it included, or link to it",
    "highlight": "use a fenced code block (```python … ```) instead",
    "endhighlight": "use a fenced code block (```python … ```) instead",
    "raw": "delete it: rgsite shows braces as written",
    "endraw": "delete it: rgsite shows braces as written",
    "comment": "delete it, or use an HTML comment <!-- … -->",
    "endcomment": "delete it, or use an HTML comment <!-- … -->",
    "post_url": _LINKING,
    "link": _LINKING,
    "ref": _LINKING,
    "relref": _LINKING,
    "figure": "use an image: ![description](picture.png)",
    "img": "use an image: ![description](picture.png)",
    "youtube": "link to the video instead: [title](https://…)",
    "vimeo": "link to the video instead: [title](https://…)",
    "tweet": "link to the post instead: [title](https://…)",
}
_ADDRESS_WORDS = ("baseurl", "base_url", "site.url", "relative_url", "absolute_url", "relurl")


def report_leftovers(doc: Document) -> None:
    if "{{" not in doc.text and "{%" not in doc.text:
        return
    text = doc.visible()
    for m in _LEFTOVER_RE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        in_address = _IN_ADDRESS_RE.search(text, line_start, m.start()) is not None
        source = m.group(0)
        if m.group("hugo"):
            what, name = "Hugo shortcode", m.group("hugo_name") or m.group("hugo_md")
            tool = "Hugo"
        elif m.group("tag"):
            what, name, tool = "Liquid tag", m.group("tag_name"), "Liquid"
        else:
            what, name, tool = "Liquid", m.group("output_body"), "Liquid"
        hint = _hint(name, source)
        if in_address:
            message = (
                f"{what} '{source}' left in a link's address, so the link is broken for "
                f"readers: rgsite does not run {tool}; {hint}"
            )
            doc.warn(m.start(), message, "error")
        else:
            message = (
                f"{what} '{source}' left in the text: rgsite does not run {tool}, so readers "
                f"see it as written; {hint}"
            )
            doc.warn(m.start(), message)


def _hint(name: str, source: str) -> str:
    lowered = source.lower()
    if any(word in lowered for word in _ADDRESS_WORDS):
        return (
            "delete it and write the address relative to this file, from the site's static "
            "files, or as [[kind:id]]"
        )
    word = name.strip().split(".")[0].split("|")[0].strip().lower()
    if word in _HINTS:
        return _HINTS[word]
    if word in ("page", "site", "post", "layout", "content"):
        return "write out the text it stands for"
    return "replace it with Markdown, or put it in `code` to show it as written"
