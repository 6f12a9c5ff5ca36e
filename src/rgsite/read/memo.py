"""What a long-lived build keeps between builds, as one object.

The preview builds the same site again on every save. Each part of :class:`Memo` lets
the next build skip work whose inputs did not change — parsing a file, rendering a
Markdown text, loading a document, filling in a rendering's links — and each is
brought up to date by the build that uses it, so it never holds more than one site's
worth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rgsite.link import ResolvedMemo
    from rgsite.markdown.render import Rendered
    from rgsite.read.decode import Record
    from rgsite.read.loaded import Loading, MarkdownKey
    from rgsite.settings import SiteConfig

MarkdownMemo = dict["MarkdownKey", "Rendered"]
ParsedMemo = dict[str, tuple[tuple[int, int, int], "Record"]]
"""Parsed files: path -> ((mtime, size, inode), record)."""


@dataclass(frozen=True, slots=True)
class Remembered:
    """A document's loading, and what it was loaded from."""

    record: Record
    attachments: tuple[str, ...]
    config: SiteConfig
    loading: Loading

    def fits(self, record: Record, attachments: tuple[str, ...], config: SiteConfig) -> bool:
        """Whether loading ``record`` now would give the same: the same parse (a file
        parsed again is a new record), the same bundle and the same site settings."""
        return self.record is record and self.attachments == attachments and self.config == config


LoadMemo = dict[str, Remembered]
"""Sessions, proposals and pages by file."""


@dataclass(slots=True)
class Memo:
    """A long-lived build's memory of the last build's reading."""

    parses: ParsedMemo = field(default_factory=dict)
    """Each file's parse while the file is unchanged: a save parses one file."""
    renderings: MarkdownMemo = field(default_factory=dict)
    """Every Markdown text of the site, rendered."""
    loads: LoadMemo = field(default_factory=dict)
    """Each session, proposal and page loaded from an unchanged parse."""
    resolved: ResolvedMemo = field(default_factory=dict)
    """Each rendering with its links filled in."""
