"""Search records for papers, which have no page of their own to index.

Owns :class:`Record` and :func:`paper_records`: one small page per paper, written for
Pagefind only while it runs, whose ``url`` metadata points at the paper's anchor on the
papers page. A paper's topics and speakers include those of the sessions that discussed it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rgsite.i18n.translations import translations_for
from rgsite.routes import url_of

if TYPE_CHECKING:
    from rgsite.model import Paper, Site

_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class Record:
    url: str
    """Relative to the base path, like routes' URLs."""
    title: str
    content: str
    filters: dict[str, list[str]] = field(default_factory=dict)

    def html(self, base_path: str, language: str) -> str:
        esc = html.escape
        tags = "".join(
            f'<span data-pagefind-filter="{esc(key)}:{esc(value)}"></span>'
            for key, values in self.filters.items()
            for value in values
        )
        return (
            f'<!doctype html>\n<html lang="{esc(language)}"><head><meta charset="utf-8">'
            f"<title>{esc(self.title)}</title></head>\n"
            f'<body><main data-pagefind-body data-pagefind-meta="url:{esc(base_path + self.url)}">'
            f"<h1>{esc(self.title)}</h1>\n<p>{esc(self.content)}</p></main>{tags}</body></html>\n"
        )


def paper_records(site: Site) -> list[Record]:
    """A search record per paper, in a stable order."""
    return [
        _paper_record(site, paper) for paper in sorted(site.papers.values(), key=lambda p: p.id)
    ]


def _paper_record(site: Site, paper: Paper) -> Record:
    sessions = site.by_paper.get(paper.id, [])
    lists = site.lists_of_paper.get(paper.id, [])
    speakers = dict.fromkeys(
        site.speakers[s].name
        for session in sessions
        for s in session.speakers
        if s in site.speakers
    )
    topics = dict.fromkeys(
        site.topic_of(t).name for t in [*paper.topics, *(t for s in sessions for t in s.topics)]
    )
    parts = [", ".join(paper.authors), str(paper.year or "")]
    if paper.arxiv:
        parts.append(f"arXiv:{paper.arxiv}")
    if paper.doi:
        parts.append(f"doi:{paper.doi}")
    parts += [paper.tldr, _text(paper.notes_html)]
    t = translations_for(site.config.language, site.config.catalog)
    parts += [t.gettext("Discussed in %(sessions)s.") % {"sessions": s.title} for s in sessions]
    parts += [t.gettext("Listed in %(lists)s.") % {"lists": r.title} for r in lists]
    filters: dict[str, list[str]] = {"type": [t.gettext("Paper")]}
    if topics:
        filters["topic"] = list(topics)
    if speakers:
        filters["speaker"] = list(speakers)
    if paper.year:
        filters["year"] = [str(paper.year)]
    return Record(
        url=url_of("paper", paper.id),
        title=paper.title,
        content=" ".join(p for p in parts if p),
        filters=filters,
    )


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAGS.sub(" ", fragment)).split())
