"""Outputs beside the HTML pages: feeds, calendars, sitemap, citations and search.

:func:`render_artifacts` gives the bytes of every such file by output path;
:func:`finish_output` runs on the staged output folder before it is swapped in, for
work that reads the rendered pages (the search index).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .build import Options
    from .context import View
    from .graph import Site


def render_artifacts(site: Site, view: View) -> dict[str, bytes]:
    return {}


def finish_output(staged: Path, site: Site, options: Options) -> None:
    return None
