"""What one build is asked to do: the site, the output folder and the command's switches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

Cleanup = Literal["now", "thread", "detach"]
"""How the previous output is deleted after the swap: at once, on a thread, or by a
detached process (see :func:`rgsite.output.cleanup.remove_later`)."""
SearchIndex = Literal["fresh", "reuse"]
"""Index the pages afresh, or keep the previous index (the preview's rebuilds)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Options:
    site: Path
    out: Path | None = None
    drafts: bool = False
    base_url: str | None = None
    now: datetime | None = None
    jobs: int | None = None
    """Processes for Markdown and pages; None: one per core."""
    cache: bool = True
    """Use and update the persistent cache in ``SITE/.rgsite-cache/``."""
    papers: bool = True
    """Read ``content/papers.yaml``; ``rgsite papers fetch`` reads the site without it."""
    cleanup: Cleanup = "now"
    """How the previous output is deleted after the swap (see :func:`output.remove_later`)."""
    search: SearchIndex = "fresh"
    """``"reuse"``: keep the previous search index even if pages changed (the preview's
    rebuilds, where indexing a large archive would cost seconds per save)."""
    in_place: bool = False
    """Update the output file by file once this Builder has built it (the preview's
    rebuilds), instead of staging a whole new tree; see :mod:`rgsite.inplace`."""

    @property
    def output(self) -> Path:
        return self.out if self.out is not None else self.site / "_site"
