"""Outputs beside the HTML pages: feeds, calendars, sitemap, citations and search.

:func:`artifacts` lists every such file with the inputs it reads (the same keys as
a page's, see :mod:`.deps`) and how to make it, so a build makes again only the files
whose inputs changed; :func:`start_index` starts the search index, which reads the
rendered pages in the staged output folder as they are written. Each format
lives in a module of its own (:mod:`.ics`, :mod:`.atom`, :mod:`.sitemap`,
:mod:`.bibtex`, :mod:`.search`); this one only decides which files exist. Everything
here is a function of the site: no clock, no mtimes, so two builds of the same site give
the same bytes.

================================  ================================================
``calendar.ics``                  every session (:mod:`.ics`)
``sessions/<slug>/event.ics``     one session, for "Add to calendar"
``feed.xml``                      Atom: recaps and proposals (:mod:`.atom`)
``<subject>/calendar.ics``        a topic's, speaker's, kind's or series' sessions
``<subject>/feed.xml``            and their recaps (:mod:`rgsite.render.subjects`)
``sitemap.xml``, ``robots.txt``   absolute page URLs (:mod:`.sitemap`)
``reading/<slug>.bib``            a reading list's BibTeX (:mod:`.bibtex`)
``papers/<id>.bib``               one paper's BibTeX
``sessions.json``                 the schedule as data (:mod:`.sessions_json`)
``sessions.schema.json``          its JSON Schema (:mod:`.sessions_schema`)
``sessions.js``                   the sessions to come, for ``embed.js``
``pagefind/``                     the search index (:func:`start_index`)
================================  ================================================
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rgsite import routes
from rgsite.errors import Location
from rgsite.render.formats import atom, bibtex, ics, search, sessions_json, sitemap
from rgsite.render.formats.sessions_schema import schema_json
from rgsite.render.subjects import subjects

if TYPE_CHECKING:
    from rgsite.model import Site
    from rgsite.options import Options
    from rgsite.render.views import View

log = logging.getLogger(__name__)

PAGE_URLS = frozenset({"urls:*"})
"""What the sitemap reads: the address of every page (see :func:`rgsite.build.deps.urls_print`)."""


@dataclass(frozen=True, slots=True)
class Artifact:
    output: str
    inputs: frozenset[str]
    make: Callable[[], bytes]
    cache_key: str = ""
    """Set when the bytes follow from this key alone (a resized image): the build cache
    keeps them, and a check, which writes nothing, need not make them."""
    source: Location | None = None
    """The file it is made from, named if another output claims its URL."""


def artifacts(site: Site, view: View, pages: list[str] | None = None) -> list[Artifact]:
    """Every file beside the pages; ``pages``: the URL of every page, when known."""
    found = [
        Artifact(
            "calendar.ics",
            frozenset({"sessions:*", "speakers:*"}),
            lambda: ics.calendar(site, view),
        )
    ]
    for session in ics.events(site):
        found.append(
            Artifact(
                routes.event_url(session),
                frozenset({f"session:{session.slug}", "speakers:*"}),
                lambda session=session: ics.event_calendar(site, view, session),  # type: ignore[misc]
            )
        )
    # The feed carries its recaps and every proposal in full; which sessions are the
    # newest recaps follows from which are held, in what order (indexes:*), and the clock.
    carried = frozenset(f"session:{s.slug}" for s in atom.recaps(site)) | frozenset(
        f"proposal:{slug}" for slug in site.proposals
    )
    feed_inputs = carried | {"indexes:*", "speakers:*"}
    found.append(Artifact("feed.xml", feed_inputs, lambda: atom.feed(site, view)))
    found += subject_artifacts(site, view)
    has_map = bool(site.config.origin)  # what sitemap.sitemap needs to make one
    if has_map:
        # Made only when a page comes or goes: listing every route costs a long archive.
        urls = lambda: pages or [route.url for route in routes.site_routes(site)]  # noqa: E731
        found.append(Artifact("sitemap.xml", PAGE_URLS, lambda: _sitemap(view, urls())))
    else:
        log.info("sitemap.xml needs an absolute base_url (https://host/path/); none written")
    found += schedule_files(site, view)
    found.append(Artifact("robots.txt", frozenset(), lambda: sitemap.robots(view, has_map)))
    keys = bibtex.cite_keys(site)
    for reading in site.lists.values():
        found.append(
            Artifact(
                routes.list_bib_url(reading.slug),
                frozenset({f"list:{reading.slug}", "papers:*"}),
                lambda reading=reading: bibtex.list_bib(site, view, reading, keys),  # type: ignore[misc]
            )
        )
    for paper in site.papers.values():
        if not paper.citable:  # an address alone is nothing to cite
            continue
        found.append(
            Artifact(
                routes.paper_bib_url(paper.id),
                frozenset({"papers:*"}),
                lambda paper=paper: bibtex.paper_bib(site, view, paper, keys),  # type: ignore[misc]
            )
        )
    return found


def _sitemap(view: View, pages: list[str]) -> bytes:
    made = sitemap.sitemap(view, pages)
    assert made is not None, "a sitemap is listed only for a site with an origin"
    return made


def subject_artifacts(site: Site, view: View) -> list[Artifact]:
    """A calendar and a feed beside each topic's, speaker's, kind's and series' page."""
    found = []
    every = atom.all_recaps(site)  # once, not once per subject: it walks the archive
    for subject in subjects(site):
        held, name, page = subject.sessions, subject.name, subject.page
        found.append(
            Artifact(
                routes.subject_calendar_url(subject.kind, subject.ident),
                subject.calendar_inputs(),
                lambda held=held, name=name, page=page: ics.subject_calendar(  # type: ignore[misc]
                    site, view, held, name=name, page=page
                ),
            )
        )
        found.append(
            Artifact(
                routes.subject_feed_url(subject.kind, subject.ident),
                subject.feed_inputs(atom.recaps(site, held, every)),
                lambda held=held, name=name, page=page: atom.subject_feed(  # type: ignore[misc]
                    site, view, held, name=name, page=page, every=every
                ),
            )
        )
    return found


def schedule_files(site: Site, view: View) -> list[Artifact]:
    """sessions.json, its schema and sessions.js: they show the speakers and papers the
    sessions name, and of the sessions all but their recaps (``schedule:*``)."""
    named = {"schedule:*"}
    for session in site.sessions.values():
        named |= {f"speaker:{i}" for i in session.speakers if i in site.speakers}
        named |= {f"paper:{i}" for i in session.papers if i in site.papers}
    inputs = frozenset(named)
    return [
        Artifact(sessions_json.DATA, inputs, lambda: sessions_json.sessions_json(site, view)),
        Artifact(sessions_json.SCRIPT, inputs, lambda: sessions_json.sessions_js(site, view)),
        Artifact(sessions_json.SCHEMA, frozenset(), lambda: schema_json(view)),
    ]


def start_index(
    staged: Path, site: Site, options: Options, pages: list[str], jobs: int
) -> search.Index:
    """The search index of the staged ``pages`` (output paths), made as they are written."""
    return search.Index(
        staged,
        site,
        pages,
        previous=options.output,
        reuse_any=options.search == "reuse",
        jobs=jobs,
    )
