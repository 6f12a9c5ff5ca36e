"""The papers page as a reader browses it: papers grouped by kind and year, and by topic.

A paper's topics are its own (``topics:`` of its reading-list item), not those of the
sessions that discussed it: a meeting that touched three topics does not make each of
its papers about all three. Pure functions over a linked :class:`~rgsite.model.Site`;
nothing here renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rgsite.i18n.messages import N_
from rgsite.read.fields import slugify

if TYPE_CHECKING:
    from rgsite.model import Paper, Site, Term

KIND_ORDER = ("paper", "notes", "post", "video", "code", "dataset", "slides", "link")
"""How the page orders its groups: the literature first, then what surrounds it."""
KIND_HEADINGS = {
    "paper": N_("Papers"),
    "notes": N_("Lecture notes"),
    "post": N_("Blog posts"),
    "video": N_("Videos"),
    "code": N_("Code"),
    "dataset": N_("Datasets"),
    "slides": N_("Slides"),
    "link": N_("Other links"),
}


def topic_url(slug: str) -> str:
    """The papers of one topic (``papers/topic/sparsity/``), relative to the base path."""
    return f"papers/topic/{slug}/"


@dataclass(frozen=True, slots=True)
class YearGroup:
    year: int | None
    """None: the papers that give no year."""
    papers: tuple[Paper, ...]


@dataclass(frozen=True, slots=True)
class KindGroup:
    kind: str
    heading: str
    count: int
    years: tuple[YearGroup, ...]
    """Newest first, the papers without a year last; one group of None when no paper of
    this kind gives a year, so the page shows no year headings for it."""


def topics_of(site: Site, paper: Paper) -> list[str]:
    """The slugs of the paper's topics, each once."""
    found: list[str] = []
    for name in paper.topics:
        slug = slugify(name)
        if slug in site.topics and slug not in found:
            found.append(slug)
    return found


def papers_on(site: Site, slug: str | None) -> list[Paper]:
    """Every paper, or those on the topic ``slug``."""
    papers = list(site.papers.values())
    if slug is None:
        return papers
    return [p for p in papers if slug in topics_of(site, p)]


def topic_counts(site: Site) -> list[tuple[Term, int]]:
    """The topics that have papers, in the site's order, with how many each has."""
    counts: dict[str, int] = {}
    for paper in site.papers.values():
        for slug in topics_of(site, paper):
            counts[slug] = counts.get(slug, 0) + 1
    return [(term, counts[slug]) for slug, term in site.topics.items() if slug in counts]


def by_kind(papers: list[Paper]) -> list[KindGroup]:
    """``papers`` grouped by kind in :data:`KIND_ORDER`, each by year."""
    groups = []
    for kind in sorted({p.kind for p in papers}, key=_kind_rank):
        held = [p for p in papers if p.kind == kind]
        groups.append(
            KindGroup(
                kind=kind,
                heading=KIND_HEADINGS.get(kind, kind.title()),
                count=len(held),
                years=_by_year(held),
            )
        )
    return groups


def _kind_rank(kind: str) -> tuple[int, str]:
    return (KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER), kind)


def _by_year(papers: list[Paper]) -> tuple[YearGroup, ...]:
    years: dict[int | None, list[Paper]] = {}
    for paper in papers:
        years.setdefault(paper.year, []).append(paper)
    if list(years) == [None]:
        return (YearGroup(year=None, papers=_titled(papers)),)
    order = sorted((y for y in years if y is not None), reverse=True)
    found = [YearGroup(year=y, papers=_titled(years[y])) for y in order]
    if None in years:
        found.append(YearGroup(year=None, papers=_titled(years[None])))
    return tuple(found)


def _titled(papers: list[Paper]) -> tuple[Paper, ...]:
    return tuple(sorted(papers, key=lambda p: (p.title.lower(), p.id)))
