"""The site's sections: which index pages exist, who is listed on them, what could fill them.

A section with nothing in it (no proposals, no topics, nobody who spoke) has no index
page, no place in the navigation and no link from other pages: a reader never meets an
empty page or advice meant for the organisers. That advice is :func:`notes`, which
``rgsite check`` prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rgsite.model import ROLES

if TYPE_CHECKING:
    from rgsite.model import Site, Speaker

ALWAYS = ("sessions", "search")
"""Sections that exist in every site: the archive, and search over whatever there is."""
GROUPED = ROLES[:-1]
"""The roles the People page lists, in its order; guests are only speakers."""


def present(site: Site) -> frozenset[str]:
    """The names (and URL folders) of the sections with something in them."""
    found = set(ALWAYS)
    checks = {
        "speakers": bool(spoke(site)),
        "people": bool(people(site)),
        "topics": bool(site.topics),
        "series": bool(site.series),
        "proposals": bool(site.proposals),
        "reading": bool(site.lists),
        "papers": bool(site.papers),
    }
    found.update(name for name, full in checks.items() if full)
    return frozenset(found)


def gave_a_session(site: Site) -> set[str]:
    """The ids of speakers of at least one session that took or takes place: neither
    cancelled nor a draft."""
    return {
        ident
        for session in site.sessions.values()
        if not (session.cancelled or session.draft)
        for ident in session.speakers
    }


def spoke(site: Site) -> list[Speaker]:
    """Who the Speakers page lists: everyone who gave a session, by name."""
    ids = gave_a_session(site)
    return sorted((s for s in site.speakers.values() if s.id in ids), key=_by_name)


def people(site: Site) -> list[tuple[str, list[Speaker]]]:
    """The People page: organizers, members and alumni, each by name; empty roles left out."""
    groups = []
    for role in GROUPED:
        found = [s for s in site.speakers.values() if s.role == role]
        if found:
            groups.append((role, sorted(found, key=_by_name)))
    return groups


def _by_name(speaker: Speaker) -> str:
    return speaker.name.lower()  # as the theme's lists sort names


def notes(site: Site) -> list[str]:
    """What an organiser could add to give the site the sections it lacks."""
    have = present(site)
    hints = {
        "speakers": "no session names a speaker, so there is no Speakers page; list "
        "'speakers: [id]' in a session, with the ids of content/speakers.yaml",
        "topics": "nothing has topics, so there is no Topics page; add 'topics: [...]' to "
        "sessions, proposals or reading-list items",
        "proposals": "there are no proposals, so there is no Proposals page; "
        "'rgsite new proposal \"Title\"' writes one in content/proposals/",
        "reading": "there are no reading lists, so there is no Reading page; add one as "
        "content/reading-lists/<name>.yaml",
        "papers": "no session or reading list names a paper, so there is no Papers page; "
        "add 'papers: [arxiv:ID]' to a session",
    }
    return [f"note: {text}" for name, text in hints.items() if name not in have]
