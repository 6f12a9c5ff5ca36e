"""The indexes pages read, built once the graph is linked.

Sessions by speaker, host, topic, series, kind, paper and term; proposals by topic and
speaker; papers by topic; the reading lists a paper is in; the session a proposal
became. Breaks are in the schedule only, never anyone's session.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import date

from rgsite.model import Paper, Proposal, ReadingList, Session, Site, Term
from rgsite.read.fields import slugify


def index(site: Site) -> None:
    """Every index pages read, and the site's collections in the order pages show them."""
    by_speaker: dict[str, list[Session]] = defaultdict(list)
    by_topic: dict[str, list[Session]] = defaultdict(list)
    by_series: dict[str, list[Session]] = defaultdict(list)
    by_paper: dict[str, list[Session]] = defaultdict(list)
    by_kind: dict[str, list[Session]] = defaultdict(list)
    by_host: dict[str, list[Session]] = defaultdict(list)
    for session in site.sessions.values():
        if session.is_break:  # no meeting: in the schedule only, never anyone's session
            continue
        if session.kind:
            by_kind[session.kind].append(session)
        for speaker in session.speakers:
            by_speaker[speaker].append(session)
        for host in session.hosts:
            by_host[host].append(session)
        for topic in session.topics:
            by_topic[topic_slug(site.topics, topic)].append(session)
        if session.series:
            by_series[topic_slug(site.series, session.series)].append(session)
        for paper in session.papers:
            by_paper[paper].append(session)
        if session.proposal:
            site.session_of_proposal.setdefault(session.proposal, session)
    proposals_by_topic: dict[str, list[Proposal]] = defaultdict(list)
    proposals_by_speaker: dict[str, list[Proposal]] = defaultdict(list)
    for proposal in site.proposals.values():
        for topic in proposal.topics:
            proposals_by_topic[topic_slug(site.topics, topic)].append(proposal)
        for speaker in proposal.proposed_by:
            proposals_by_speaker[speaker].append(proposal)
        if proposal.session and proposal.session in site.sessions:
            site.session_of_proposal.setdefault(proposal.slug, site.sessions[proposal.session])
    papers_by_topic: dict[str, list[Paper]] = defaultdict(list)
    for described in site.papers.values():
        for topic in described.topics:
            papers_by_topic[topic_slug(site.topics, topic)].append(described)
    lists_of_paper: dict[str, list[ReadingList]] = defaultdict(list)
    for reading in site.lists.values():
        for section in reading.sections:
            for paper_id in section.papers:
                if reading not in lists_of_paper[paper_id]:
                    lists_of_paper[paper_id].append(reading)
    site.by_speaker, site.by_topic, site.by_series = (
        dict(by_speaker),
        dict(by_topic),
        dict(by_series),
    )
    site.by_paper, site.lists_of_paper = dict(by_paper), dict(lists_of_paper)
    site.by_kind, site.by_host = dict(by_kind), dict(by_host)
    site.proposals_by_topic, site.proposals_by_speaker = (
        dict(proposals_by_topic),
        dict(proposals_by_speaker),
    )
    site.papers_by_topic = dict(papers_by_topic)
    site.by_term = _by_term(site)
    site.topics = dict(sorted(site.topics.items(), key=lambda item: item[1].name.lower()))
    site.series = dict(sorted(site.series.items(), key=lambda item: item[1].name.lower()))
    site.proposals = dict(
        sorted(
            site.proposals.items(),
            key=lambda item: (item[1].date or date.min, item[1].slug),
            reverse=True,
        )
    )


def _by_term(site: Site) -> dict[str, list[Session]]:
    """The sessions of each term, oldest first, in the order of the terms."""
    terms = site.config.terms
    if not terms:
        return {}
    found: dict[str, list[Session]] = {}
    starts = [t.start for t in terms]
    for session in site.sessions.values():
        day = session.start.date()
        term = terms[max(bisect_right(starts, day) - 1, 0)]
        if term.holds(day):
            found.setdefault(term.slug, []).append(session)
    return {t.slug: found[t.slug] for t in terms if t.slug in found}


def topic_slug(terms: dict[str, Term], name: str) -> str:
    """The slug of a topic or series, adding it to ``terms`` when first seen."""
    slug = slugify(name)
    terms.setdefault(slug, Term(slug=slug, name=name))
    return slug
