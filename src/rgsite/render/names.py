"""What templates may call: the names and filters every page's template is given."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from rgsite import paper_shelf, sections
from rgsite.i18n.markup import localise
from rgsite.render.formats import ics, jsonld
from rgsite.render.views import ROLE_LABELS, View, authors, iso, when
from rgsite.routes import (
    event_url,
    list_bib_url,
    paper_anchor,
    paper_bib_url,
    subject_calendar_url,
    subject_feed_url,
    term_url,
    year_url,
)


def template_names(view: View) -> dict[str, Any]:
    return {
        "site": view.site,
        "config": view.site.config,
        "url": view.url,
        "absolute": view.absolute,
        "asset": view.asset,
        "link": view.link,
        "avatar": view.avatar,
        "speakers_of": view.speakers_of,
        "papers_of": view.papers_of,
        "proposal_of": view.proposal_of,
        "status": view.status,
        "is_past": view.is_past,
        "ahead": view.ahead,
        "kind_of": view.kind_of,
        "start_iso": view.start_iso,
        "by_year": view.by_year,
        "by_term": view.by_term,
        "term_of": view.site.term_of,
        "term_url": lambda slug: view.url(term_url(slug)),
        "year_url": lambda year: view.url(year_url(year)),
        "sections": sections.present(view.site),
        "spoke": lambda: sections.spoke(view.site),
        "people": lambda: sections.people(view.site),
        "role_label": lambda role: (
            view.gettext(ROLE_LABELS[role]) if role in ROLE_LABELS else role.title()
        ),
        "proposals_by_status": view.proposals_by_status,
        "join_url": view.join_url,
        "reading_status": view.reading_status,
        "last_discussed": view.last_discussed,
        "location": view.location,
        "paper_anchor": paper_anchor,
        "kind_label": view.kind_label,
        "proposal_status": view.proposal_status,
        # a session's time, one way everywhere: its range in the site's clock
        "span": lambda session: view.clock.span(session.start, session.end),
        "times": lambda session: view.clock.times(session.start, session.end, zone=True),
        "duration": view.clock.duration,
        "hour12": lambda: view.clock.hour12,
        "now": view.site.now,
        "calendar_url": lambda session: view.url(event_url(session)),
        "google_calendar_url": lambda session: ics.google_calendar_url(view, session),
        "event_data": lambda session: jsonld.event_data(view, session),
        "bib_url": lambda paper_id: view.url(paper_bib_url(paper_id)),
        "list_bib_url": lambda slug: view.url(list_bib_url(slug)),
        "papers_on": lambda topic: paper_shelf.papers_on(view.site, topic.slug if topic else None),
        "paper_groups": paper_shelf.by_kind,
        "paper_topic_counts": lambda: paper_shelf.topic_counts(view.site),
        "paper_topic_url": lambda slug: view.url(paper_shelf.topic_url(slug)),
        "subject_calendar": subject_calendar_url,
        "subject_feed": subject_feed_url,
        # a calendar app subscribes to (and refreshes) a webcal: address; it needs a host
        "webcal": lambda path: "webcal:" + view.absolute(path).partition(":")[2],
        "remembered_row": _remembered_row(view),
        "remembered_paper": _remembered_paper(view),
    }


def _remembered_row(view: View) -> Any:
    """``remembered_row(macro, session, *flags)``: ``macro(session, *flags)``, rendered once
    per view and process (see :meth:`View.kept`): a session's row is in its year's list,
    its topics', speakers', kind's and series' lists. A row shows front matter and the
    clock only."""

    def remembered_row(macro: Any, session: Any, *flags: Any) -> Markup:
        try:
            hash(flags)
        except TypeError:  # a flag a site's own template gave that cannot be a key
            return macro(session, *flags)  # type: ignore[no-any-return]
        make = lambda: macro(session, *flags)  # noqa: E731
        row: Markup = view.kept(f"session:{session.slug}", session, ("row", *flags), make)
        return row

    return remembered_row


def _remembered_paper(view: View) -> Any:
    """``remembered_paper(macro, paper, *flags)``: ``macro(paper, *flags)``, a paper's entry
    with where it was read, rendered once per view and process: the papers page, its pages
    by topic and the reading lists show the same entries, and a long archive's entries
    list many sessions each. Editing one of those sessions forgets the entry."""

    def remembered_paper(macro: Any, paper: Any, *flags: Any) -> Markup:
        make = lambda: macro(paper, *flags)  # noqa: E731
        entry: Markup = view.kept(f"paper:{paper.id}", paper, ("entry", *flags), make)
        return entry

    return remembered_paper


def template_filters(view: View) -> dict[str, Any]:
    return {
        "when": lambda moment, style="long": when(view, moment, style),
        "day": lambda value: view.clock.date(value, "long") if value else "",
        "iso": iso,
        "authors": lambda names, limit=4: authors(names, limit, view.t),
        "urlquote": lambda text: quote(str(text), safe=""),
        # the author's HTML, with the few words the Markdown step adds in the site's language
        "safe_html": lambda text: Markup(localise(str(text), view.t)),
    }
