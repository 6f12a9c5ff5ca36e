"""The cross-reference graph: every model resolved and indexed once, for every page.

:func:`link` turns the loaded models into a :class:`Site`: each id a session, proposal
or reading list names is checked (with a did-you-mean), papers cited only by
``arxiv:``/``doi:`` become papers of their own, ``[[kind:id]]`` and ``.md`` links in
Markdown are filled in with the target's URL and title, and the indexes pages read
(sessions of a speaker, of a topic, where a paper was discussed) are built.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, MutableMapping
from datetime import datetime
from functools import partial
from typing import Any

from rgsite import routes
from rgsite.errors import Location, Problems, did_you_mean
from rgsite.indexes import index
from rgsite.markdown.refs import Ref, finish_summary, resolve
from rgsite.model import Answers, Key, Kind, Paper, Site
from rgsite.papers import store as paperdb
from rgsite.papers.addresses import (
    address_digest,
    address_id,
    address_kind,
    is_address,
    short_address,
)
from rgsite.papers.ids import paper_key
from rgsite.read.loaded import Loaded

ResolvedKey = tuple[str, tuple[Ref, ...], tuple[tuple[int, tuple[str, str] | None], ...]]
ResolvedMemo = MutableMapping[ResolvedKey, str]
"""Rendered HTML with its links filled in, by rendering (its HTML and references) and
links: a long-lived build's, or the cache's (:mod:`rgsite.build.resolved`)."""


def link(
    loaded: Loaded,
    problems: Problems,
    *,
    now: datetime,
    drafts: bool,
    resolved: ResolvedMemo | None = None,
    images: Callable[[Site], None] | None = None,
) -> Site:
    """``images``: sizes the images pages show (:func:`rgsite.images.shown.attach`)."""
    all_sessions = sorted(loaded.sessions, key=lambda s: (s.start, s.slug))
    drafted = {s.slug for s in all_sessions if s.draft and not drafts}
    site = Site(
        config=loaded.config,
        now=now,
        sessions={s.slug: s for s in all_sessions if s.slug not in drafted},
        speakers=loaded.speakers,
        papers=dict(loaded.papers),
        lists=loaded.lists,
        proposals=loaded.proposals,
        pages=loaded.pages,
    )
    aliases = dict(loaded.paper_aliases)
    paperdb.fill_described(site.papers, aliases, loaded.fetched)
    _check_pending(site, loaded, aliases, drafted, problems)
    _check_proposal_sessions(site, loaded, problems)
    _resolve_documents(
        site, loaded, aliases, drafted, problems, {} if resolved is None else resolved
    )
    if images is not None:
        images(site)
    _canonical_paper_ids(site, aliases)
    index(site)
    return site


def _targets(site: Site, kind: str) -> dict[str, Any]:
    targets: dict[str, dict[str, Any]] = {
        Kind.SPEAKER: site.speakers,
        Kind.SESSION: site.sessions,
        Kind.PROPOSAL: site.proposals,
        Kind.LIST: site.lists,
        Kind.PAGE: site.pages,
        Kind.PAPER: site.papers,
    }
    return targets[kind]


_FIELD_HINT = {
    Kind.SPEAKER: "add them to content/speakers.yaml",
    Kind.SESSION: "session ids are file names without .md, e.g. 2023-01-21-topic",
    Kind.PROPOSAL: "proposal ids are file names in content/proposals/ without .md",
    Kind.LIST: "reading list ids are file names in content/reading-lists/ without .yaml",
    Kind.PAGE: "page ids are file names in content/pages/ without .md",
    Kind.PAPER: "describe it in a reading list, or cite it as arxiv:ID or doi:ID",
}


def _unknown(kind: str, target: str, site: Site, drafted: set[str]) -> str:
    if kind == Kind.SESSION and target in drafted:
        return f"session '{target}' is a draft and is left out; publish it or build with --drafts"
    if kind == Kind.SESSION and target in site.sessions:  # only a break is unknown by then
        return (
            f"session '{target}' is a break (status: break): there is no meeting and no page "
            "to link to; name another session"
        )
    hint = did_you_mean(target, _targets(site, kind)) or f"; {_FIELD_HINT[kind]}"
    return f"unknown {kind} '{target}'{hint}"


def _paper(
    site: Site,
    aliases: dict[str, str],
    ref: str,
    where: Location,
    fetched: paperdb.PaperDB | None = None,
) -> str:
    """The id of the paper ``ref`` names, making an identifier-only paper when needed.

    Its title, authors and year come from ``fetched`` (``content/papers.yaml``) if there.
    """
    key = paper_key(ref)
    if key in aliases:
        return aliases[key]
    stored = paperdb.paper_for(key, where, site.papers, aliases, fetched)
    if stored is not None:
        return stored
    if key.startswith(("arxiv:", "doi:")):
        scheme, ident = key.split(":", 1)
        site.papers[key] = Paper(
            id=key,
            title=f"arXiv:{ident}" if scheme == "arxiv" else f"doi:{ident}",
            arxiv=ident if scheme == "arxiv" else None,
            doi=ident if scheme == "doi" else None,
            source=where,
            described=False,
            titled=False,
        )
        aliases[key] = key
        return key
    if is_address(key):
        return _address_paper(site, aliases, key, where)
    return ""


def _address_paper(site: Site, aliases: dict[str, str], url: str, where: Location) -> str:
    """A paper known only by its address: shown by a short form of it, never a made-up
    title. Its id is the address's slug, with a digest when another paper has that id."""
    paper_id = address_id(url)
    if paper_id in site.papers:
        paper_id = f"{paper_id}-{address_digest(url)}"
    site.papers[paper_id] = Paper(
        id=paper_id,
        title=short_address(url),
        url=url,
        kind=address_kind(url),
        source=where,
        described=False,
        titled=False,
    )
    aliases[url] = paper_id
    return paper_id


def _check_pending(
    site: Site, loaded: Loaded, aliases: dict[str, str], drafted: set[str], problems: Problems
) -> None:
    for pending in loaded.pending:
        if pending.kind == Kind.PAPER:
            if not _paper(site, aliases, pending.target, pending.location, loaded.fetched):
                if _unread(loaded, Kind.PAPER):
                    continue
                message = _unknown(Kind.PAPER, pending.target, site, drafted)
                problems.error(pending.location, message)
        elif pending.target not in _targets(site, pending.kind) or _is_break(
            site, pending.kind, pending.target
        ):
            if _unread(loaded, pending.kind):
                continue
            # A draft left out may still name things; only published pages must resolve.
            owner = loaded.files.get(pending.location.path)
            if owner and owner[0] == Kind.SESSION and owner[1] in drafted:
                continue
            problems.error(pending.location, _unknown(pending.kind, pending.target, site, drafted))


def _is_break(site: Site, kind: str, target: str) -> bool:
    """A break has no page: nothing may link to it or name it as its session."""
    return kind == Kind.SESSION and target in site.sessions and site.sessions[target].is_break


_DEFINED_IN = {
    Kind.SPEAKER: ("content/speakers.yaml",),
    Kind.PAPER: ("content/reading-lists/",),
    Kind.LIST: ("content/reading-lists/",),
    Kind.SESSION: ("content/sessions/",),
    Kind.PROPOSAL: ("content/proposals/",),
    Kind.PAGE: ("content/pages/",),
}


def _unread(loaded: Loaded, kind: str) -> bool:
    """True if a file that may define ids of ``kind`` could not be read.

    Its problem is reported already; calling every reference to it unknown as well would
    bury that one real mistake under false ones, so those wait for the next build.
    """
    places = _DEFINED_IN.get(kind, ())
    return any(path.startswith(places) for path in loaded.unreadable) if places else False


def _check_proposal_sessions(site: Site, loaded: Loaded, problems: Problems) -> None:
    """A session and a proposal that name each other must agree.

    ``proposal: P`` on session S and ``session: S`` on proposal P may point both ways (a
    harmless cycle), but if P names another session, or S another proposal, the two pages
    would contradict each other: report it at every side that disagrees.
    """
    for pending in loaded.pending:
        owner = loaded.files.get(pending.location.path)
        if owner is None:
            continue
        if owner[0] == Kind.SESSION and pending.field == "proposal":
            proposal = site.proposals.get(pending.target)
            if proposal is not None and proposal.session and proposal.session != owner[1]:
                problems.error(
                    pending.location,
                    f"this session says it came from proposal '{proposal.slug}', but that "
                    f"proposal names session '{proposal.session}'; make the two agree",
                )
        elif owner[0] == Kind.PROPOSAL and pending.field == "session":
            session = site.sessions.get(pending.target)
            if session is not None and session.proposal and session.proposal != owner[1]:
                problems.error(
                    pending.location,
                    f"this proposal names session '{session.slug}', but that session says it "
                    f"came from proposal '{session.proposal}'; make the two agree",
                )


def _resolve_documents(
    site: Site,
    loaded: Loaded,
    aliases: dict[str, str],
    drafted: set[str],
    problems: Problems,
    memo: ResolvedMemo,
) -> None:
    base = site.config.base_path
    if len(memo) > 4 * len(loaded.docs) + 64:
        memo.clear()  # renderings of texts that have since been edited
    for owner, rendered in loaded.docs.items():
        if owner[0] in (Kind.SESSION, Kind.ABSTRACT) and owner[1] in drafted:
            continue
        found: set[Key] = set()
        answers: Answers = {}
        for ref in rendered.refs:
            resolved = _resolve_ref(site, loaded, aliases, ref)
            answers[ref.index] = None if resolved is None else (base + resolved[1], resolved[2])
            if resolved is not None and resolved[0] is not None:
                found.add(resolved[0])
            if resolved is None and not (
                ref.target in loaded.unreadable or _unread(loaded, ref.kind)
            ):
                problems.error(
                    Location(_doc_path(loaded, owner, ref), ref.line), _broken(site, ref, drafted)
                )
        # A long-lived build resolves the same rendering to the same links on most saves.
        memo_key = (rendered.html, rendered.refs, tuple(answers.items()))
        html = memo.get(memo_key)
        if html is None:
            html = resolve(rendered.html, rendered.refs, partial(answer, answers))
            memo[memo_key] = html
        site.links_from[owner] = found
        site.answers[owner] = answers
        summary = finish_summary(rendered.summary, rendered.refs, partial(answer, answers))
        _set_html(site, owner, html, summary)


def answer(answers: Answers, ref: Ref) -> tuple[str, str] | None:
    return answers[ref.index]


def _doc_path(loaded: Loaded, owner: Key, ref: Ref) -> str:
    if owner[0] == Kind.ABSTRACT:  # in its session's front matter
        owner = (Kind.SESSION, owner[1])
    for path, defined in loaded.files.items():
        if defined == owner:
            return path
    if owner[0] == Kind.SPEAKER and owner[1] in loaded.speakers:
        return loaded.speakers[owner[1]].source.path
    if owner[0] == Kind.PAPER and owner[1] in loaded.papers:
        return loaded.papers[owner[1]].source.path
    return ""


def _broken(site: Site, ref: Ref, drafted: set[str]) -> str:
    if ref.kind == "file":
        return f"link to '{ref.target}', which is not a session, proposal or page of this site"
    if ref.kind == "asset":
        return (
            f"link to '{ref.target}', which does not exist or is not published; put the file "
            "in the session's folder or in static/"
        )
    return _unknown(ref.kind, ref.target, site, drafted)


def _resolve_ref(
    site: Site, loaded: Loaded, aliases: dict[str, str], ref: Ref
) -> tuple[Key | None, str, str] | None:
    kind, target = ref.kind, ref.target
    if kind == "asset" and target in loaded.files:
        kind = "file"  # a link to a reading list's .yaml is a link to its page
    if kind == "asset":
        url = routes.asset_url(target, loaded.assets)
        return (None, url, target) if url is not None else None
    if kind == "file":
        owner = loaded.files.get(target)
        if owner is None:
            return None
        kind, target = owner
    if kind == Kind.PAPER:
        paper_id = aliases.get(paper_key(target))
        if paper_id is None and target.startswith(("arxiv:", "doi:")):
            paper_id = _paper(site, aliases, target, Location("", ref.line), loaded.fetched)
        if not paper_id:
            return None
        return (
            (Kind.PAPER, paper_id),
            routes.url_of(Kind.PAPER, paper_id),
            site.papers[paper_id].title,
        )
    models = _targets(site, kind)
    if target not in models or _is_break(site, kind, target):
        return None
    model = models[target]
    title = model.name if kind == Kind.SPEAKER else model.title
    return (kind, target), routes.url_of(kind, target), title


def _set_html(site: Site, owner: Key, html: str, summary: str) -> None:
    kind, ident = owner
    if kind == Kind.SESSION:
        site.sessions[ident] = dataclasses.replace(
            site.sessions[ident], body_html=html, summary=summary
        )
    elif kind == Kind.ABSTRACT:
        site.sessions[ident] = dataclasses.replace(
            site.sessions[ident], abstract_html=html, abstract_summary=summary
        )
    elif kind == Kind.PROPOSAL:
        site.proposals[ident] = dataclasses.replace(
            site.proposals[ident], body_html=html, summary=summary
        )
    elif kind == Kind.PAGE:
        site.pages[ident] = dataclasses.replace(site.pages[ident], body_html=html, summary=summary)
    elif kind == Kind.SPEAKER:
        site.speakers[ident] = dataclasses.replace(site.speakers[ident], bio_html=html)
    elif kind == Kind.PAPER:
        site.papers[ident] = dataclasses.replace(site.papers[ident], notes_html=html)
    elif kind == Kind.LIST:
        site.lists[ident] = dataclasses.replace(site.lists[ident], description_html=html)
    elif kind == Kind.SECTION:
        slug, number = ident.rsplit("/", 1)
        sections = list(site.lists[slug].sections)
        sections[int(number)] = dataclasses.replace(sections[int(number)], description_html=html)
        site.lists[slug] = dataclasses.replace(site.lists[slug], sections=tuple(sections))


def _canonical_paper_ids(site: Site, aliases: dict[str, str]) -> None:
    """Sessions and lists refer to papers by canonical id, whatever alias they used."""
    for slug, session in site.sessions.items():
        ids = tuple(dict.fromkeys(aliases.get(paper_key(p), p) for p in session.papers))
        ids = tuple(p for p in ids if p in site.papers)
        if ids != session.papers:  # most already are: a copy of each costs a long archive
            site.sessions[slug] = dataclasses.replace(session, papers=ids)
    for slug, reading in site.lists.items():
        sections = tuple(
            dataclasses.replace(
                section,
                papers=tuple(
                    p
                    for p in dict.fromkeys(aliases.get(paper_key(p), p) for p in section.papers)
                    if p in site.papers
                ),
            )
            for section in reading.sections
        )
        site.lists[slug] = dataclasses.replace(reading, sections=sections)
