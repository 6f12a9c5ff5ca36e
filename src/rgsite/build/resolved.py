"""Rendered HTML with its links filled in, kept in the cache for the next build.

Linking swaps the placeholders each Markdown rendering leaves for the URLs and titles of
what it links to (:func:`rgsite.markdown.refs.resolve`): for a thousand sessions, a tenth
of a second of every build, though after an edit nearly every text and every link is as
it was. :class:`StoredResolutions` is the memo :func:`rgsite.link.link` takes, backed by
``.rgsite-cache/``: an entry is found by a digest of everything the result follows from
(the rendering's HTML and references, each reference's URL and title, and the renderer's
version and source), so a changed title or a moved page is a different key, never a stale
answer; each carries a checksum of its HTML, so a damaged one is resolved again. Entries
no build used are dropped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, MutableMapping

from rgsite.build.cache import Cache
from rgsite.link import ResolvedKey


class StoredResolutions(MutableMapping[ResolvedKey, str]):
    """Resolved HTML by what it was resolved from, read from and saved to ``cache``."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.salt = cache.salt.encode()
        self.rows = cache.get_resolved()
        self.fresh: dict[str, str] = {}
        self.used: set[str] = set()

    def _digest(self, key: ResolvedKey) -> str:
        html, refs, answers = key
        digest = hashlib.blake2b(self.salt, digest_size=20)
        for part in (html, repr(refs), repr(answers)):
            digest.update(b"\0")
            digest.update(part.encode())
        return digest.hexdigest()

    def __getitem__(self, key: ResolvedKey) -> str:
        digest = self._digest(key)
        found = self.fresh.get(digest)
        if found is None:
            found = _checked(self.rows.pop(digest, None))  # its text is the site's now
        if found is None:
            raise KeyError(digest)
        self.used.add(digest)
        return found

    def __setitem__(self, key: ResolvedKey, html: str) -> None:
        digest = self._digest(key)
        self.fresh[digest] = html
        self.used.add(digest)

    def __delitem__(self, key: ResolvedKey) -> None:
        digest = self._digest(key)
        self.fresh.pop(digest, None)
        self.used.discard(digest)

    def __iter__(self) -> Iterator[ResolvedKey]:
        return iter(())  # only looked up by key

    def __len__(self) -> int:
        return len(self.used)

    def save(self) -> None:
        """Store what this build resolved anew and forget what it did not use."""
        gone = [digest for digest in self.rows if digest not in self.used]
        fresh, self.fresh, self.rows = self.fresh, {}, {}
        # One at a time: a copy of every page's HTML at once is a large peak.
        self.cache.put_resolved(((d, _sum(html) + html) for d, html in fresh.items()), gone)


def _sum(html: str) -> str:
    return hashlib.blake2b(html.encode(), digest_size=8).hexdigest()


def _checked(value: str | None) -> str | None:
    """The HTML of a stored value, led by its checksum; None if it does not match."""
    if value is None or len(value) < 16 or _sum(value[16:]) != value[:16]:
        return None
    return value[16:]
