"""``aliases:`` of a session, proposal or page: the old addresses that must keep working.

An alias is a path on this site, written as a reader's browser asked for it before the
archive moved (``/blog/2021/03/06/lottery.html``, ``/2021/talk-x/``). It is read relative
to ``base_url``'s path, and becomes the URL of a small redirect page: a ``.html`` (or
``.htm``) alias is that file, any other path a folder with an ``index.html``, which
static hosts serve for the path with or without its final slash. Whether two aliases,
or an alias and a page, claim one address is decided with every other output, in
:func:`rgsite.routes.collisions`.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from rgsite.errors import Location
from rgsite.model import Alias
from rgsite.read.fields import Fields

PAGE_SUFFIXES = (".html", ".htm")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}$")
_BAD = re.compile(r"[\x00-\x20\x7f\\\"<>^`{|}]")


def read_aliases(fields: Fields) -> tuple[Alias, ...]:
    """The ``aliases`` of a document's front matter, each checked; problems go to ``fields``."""
    found = []
    for text, line in fields.text_list("aliases"):
        where = Location(fields.record.path, line)
        url, problem = alias_url(text)
        if problem is not None:
            fields.problems.error(where, f"alias '{text}' {problem}")
            continue
        found.append(Alias(url=url, source=where))
    return tuple(found)


def alias_url(text: str) -> tuple[str, str | None]:
    """The route URL (relative to the base path) of an alias as written, or why it is none."""
    example = "write the old address's path, e.g. /2021/talk-x/ or /blog/2021/talk.html"
    if _SCHEME.match(text):
        return "", f"is a full address; {example} (it is read under base_url's path)"
    if not text.startswith("/") or text.startswith("//"):
        return "", f"must start with one '/'; {example}"
    if "?" in text or "#" in text:
        return "", (
            "has a query or a fragment (?... or #...), which a static host cannot redirect; "
            "write the path alone"
        )
    try:
        path = unquote(text, errors="strict")
    except UnicodeDecodeError:
        return "", "has %-escapes that are not UTF-8; write the path as the browser showed it"
    if _BAD.search(path):
        return "", "has spaces, backslashes or other characters a URL path cannot hold"
    segments = path[1:].split("/")
    folder = path.endswith("/")
    if folder:
        segments = segments[:-1]
    if any(s in ("", ".", "..") for s in segments):
        return "", "has an empty, '.' or '..' part; write the path as the browser showed it"
    if any(s.startswith(".") for s in segments):
        return "", "has a part starting with '.'; hidden files are not published"
    if not segments:
        return "", "is the site's home page, which is a page of its own"
    name = segments[-1]
    if folder or name.lower().endswith(PAGE_SUFFIXES):
        return path[1:], None
    suffix = _SUFFIX.search(name)
    if suffix is not None:
        return "", (
            f"ends in '{suffix.group()}': a static host would serve it as a file, not a page "
            "that can redirect; only paths ending in /, .html or .htm, or with no extension, "
            "can be aliases"
        )
    return path[1:] + "/", None
