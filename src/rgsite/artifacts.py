"""Outputs beside the HTML pages: feeds, calendars, sitemap, citations and search.

:func:`render_artifacts` gives the bytes of every such file by output path;
:func:`finish_output` runs on the staged output folder before it is swapped in, for
work that reads the rendered pages (the search index). Each format lives in a module
of its own (:mod:`.ics`, :mod:`.atom`, :mod:`.sitemap`, :mod:`.bibtex`, :mod:`.search`);
this one only decides which files exist. Everything here is a function of the site:
no clock, no mtimes, so two builds of the same site give the same bytes.

================================  ================================================
``calendar.ics``                  every session (:mod:`.ics`)
``sessions/<slug>/event.ics``     one session, for "Add to calendar"
``feed.xml``                      Atom: recaps and proposals (:mod:`.atom`)
``sitemap.xml``, ``robots.txt``   absolute page URLs (:mod:`.sitemap`)
``reading/<slug>.bib``            a reading list's BibTeX (:mod:`.bibtex`)
``papers/<id>.bib``               one paper's BibTeX
``pagefind/``                     the search index, made in :func:`finish_output`
================================  ================================================
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from . import atom, bibtex, ics, routes, search, sitemap

if TYPE_CHECKING:
    from .build import Options
    from .context import View
    from .graph import Site

log = logging.getLogger(__name__)


def render_artifacts(site: Site, view: View) -> dict[str, bytes]:
    files: dict[str, bytes] = {"calendar.ics": ics.calendar(site, view)}
    for session in site.sessions.values():
        files[ics.event_url(session)] = ics.event_calendar(site, view, session)
    files["feed.xml"] = atom.feed(site, view)
    pages = [route.url for route in routes.site_routes(site)]
    site_map = sitemap.sitemap(view, pages)
    if site_map is not None:
        files["sitemap.xml"] = site_map
    else:
        log.info("sitemap.xml needs an absolute base_url (https://host/path/); none written")
    files["robots.txt"] = sitemap.robots(view, site_map is not None)
    keys = bibtex.cite_keys(site)
    for reading in site.lists.values():
        files[bibtex.list_url(reading.slug)] = bibtex.list_bib(site, view, reading, keys)
    for paper in site.papers.values():
        files[bibtex.bib_url(paper.id)] = bibtex.paper_bib(site, view, paper, keys)
    return files


def finish_output(staged: Path, site: Site, options: Options) -> None:
    search.build_index(staged, site, previous=options.output)
