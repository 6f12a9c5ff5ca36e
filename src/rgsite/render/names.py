"""What templates may call: the names and filters every page's template is given."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from rgsite import sections
from rgsite.render.formats import ics, jsonld
from rgsite.render.views import KIND_LABELS, ROLE_LABELS, View, authors, day, iso, when
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
        "role_label": lambda role: ROLE_LABELS.get(role, role.title()),
        "proposals_by_status": view.proposals_by_status,
        "join_url": view.join_url,
        "reading_status": view.reading_status,
        "last_discussed": view.last_discussed,
        "location": view.location,
        "paper_anchor": paper_anchor,
        "kind_label": lambda kind: KIND_LABELS.get(kind, kind.title()),
        "now": view.site.now,
        "calendar_url": lambda session: view.url(event_url(session)),
        "google_calendar_url": lambda session: ics.google_calendar_url(view, session),
        "event_data": lambda session: jsonld.event_data(view, session),
        "bib_url": lambda paper_id: view.url(paper_bib_url(paper_id)),
        "list_bib_url": lambda slug: view.url(list_bib_url(slug)),
        "subject_calendar": subject_calendar_url,
        "subject_feed": subject_feed_url,
        # a calendar app subscribes to (and refreshes) a webcal: address; it needs a host
        "webcal": lambda path: "webcal:" + view.absolute(path).partition(":")[2],
    }


def template_filters(view: View) -> dict[str, Any]:
    return {
        "when": lambda moment, style="long": when(view, moment, style),
        "day": day,
        "iso": iso,
        "authors": authors,
        "urlquote": lambda text: quote(str(text), safe=""),
        "safe_html": Markup,
    }
