"""The URL scheme: every output of a site, its template, its context and its inputs.

URLs here are relative to the site's base path (``sessions/x/``); templates prefix
the base path, so a site under ``https://host/group/`` links correctly. Every route
lists the models it reads as input keys — ``session:<slug>`` for one model, or
``sessions:*`` for a collection's membership and order — so a rebuild can tell which
pages a change touches. Templates a route reads are added by :mod:`rgsite.templates`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rgsite import sections
from rgsite.errors import Location, Problem
from rgsite.model import Kind
from rgsite.paper_shelf import topic_counts, topic_url
from rgsite.read.fields import slugify

if TYPE_CHECKING:
    from rgsite.model import Page, Proposal, Session, Site

OPTIONAL = frozenset({"speakers", "people", "topics", "series", "proposals", "reading", "papers"})
"""Index pages made only when their section has something in it."""

SECTIONS = (
    "sessions",
    "speakers",
    "topics",
    "series",
    "kinds",
    "proposals",
    "reading",
    "papers",
    "search",
    "feed.xml",
    "calendar.ics",
    "sitemap.xml",
    "robots.txt",
    "404.html",
)

BUILT_IN = "the built-in "
"""How the location of an output rgsite makes by itself begins."""


_PAGE_OF: dict[str, str] = {
    Kind.SESSION: "sessions/{}/",
    Kind.SPEAKER: "speakers/{}/",
    Kind.PROPOSAL: "proposals/{}/",
    Kind.LIST: "reading/{}/",
    Kind.PAGE: "{}/",
    Kind.TOPIC: "topics/{}/",
    Kind.SERIES: "series/{}/",
    Kind.EVENT_KIND: "kinds/{}/",
}


def url_of(kind: str, ident: str) -> str:
    """The URL of a model's page, relative to the base path."""
    if kind == Kind.PAPER:  # papers share one page
        return f"papers/#{paper_anchor(ident)}"
    pattern = _PAGE_OF.get(kind)
    if pattern is None:
        raise ValueError(f"no page for {kind}")
    return pattern.format(ident)


def term_url(slug: str) -> str:
    """The URL of a term's page (``terms/fall-2024/``)."""
    return f"terms/{slug}/"


def year_url(year: int) -> str:
    """The URL of the page of one year's past sessions (``sessions/year/2023/``): below a
    folder of its own, so no session's file name can claim it."""
    return f"sessions/year/{year}/"


def past_by_year(site: Site) -> dict[int, list[Session]]:
    """The past sessions of each year, in the group's zone, newest year and session first."""
    years: dict[int, list[Session]] = {}
    for session in reversed(site.past()):
        years.setdefault(session.start.astimezone(site.config.tz).year, []).append(session)
    return dict(sorted(years.items(), reverse=True))


def event_url(session: Session) -> str:
    """The URL of a session's ``event.ics``."""
    return url_of(Kind.SESSION, session.slug) + "event.ics"


def subject_calendar_url(kind: str, ident: str) -> str:
    """The URL of a topic's, speaker's, kind's or series' ``calendar.ics``."""
    return url_of(kind, ident) + "calendar.ics"


def subject_feed_url(kind: str, ident: str) -> str:
    """The URL of a topic's, speaker's, kind's or series' Atom feed."""
    return url_of(kind, ident) + "feed.xml"


def paper_bib_url(paper_id: str) -> str:
    """The URL of one paper's ``.bib``."""
    return f"papers/{slugify(paper_id)}.bib"


def list_bib_url(slug: str) -> str:
    """The URL of a reading list's ``.bib``."""
    return f"reading/{slug}.bib"


def paper_anchor(paper_id: str) -> str:
    return "paper-" + slugify(paper_id)


def asset_url(target: str, assets: set[str]) -> str | None:
    """The URL of a file Markdown links to: a bundle attachment or a static file."""
    if target not in assets:
        return None
    parts = target.split("/")
    if parts[0] == "static":
        return "/".join(parts[1:])
    if parts[:2] == ["content", "sessions"] and len(parts) >= 4:
        return "sessions/" + "/".join(parts[2:])
    return None


@dataclass(slots=True)
class Route:
    url: str
    template: str
    context: dict[str, Any]
    inputs: set[str]
    sources: tuple[Location, ...] = ()
    """The files that make this page, named when two pages claim one URL."""
    templates: frozenset[str] = field(default_factory=frozenset)

    @property
    def output(self) -> str:
        if self.url.endswith("/") or self.url == "":
            return f"{self.url}index.html"
        return self.url


def _keys(kind: str, ids: Any) -> set[str]:
    return {f"{kind}:{i}" for i in ids}


def site_routes(site: Site) -> list[Route]:
    """Every HTML page of the site, in a stable order."""
    everything = {
        "sessions:*",
        "speakers:*",
        "papers:*",
        "proposals:*",
        "lists:*",
        "topics:*",
        "series:*",
    }
    counted = everything - {"sessions:*"} | {"indexes:*"}
    routes = [
        Route("", "home.html", {"kind": "home"}, _home(site, everything)),
        # These count sessions: which are in each index, not what lists show of them.
        Route(
            "speakers/",
            "speakers.html",
            {"kind": "speakers"},
            {"speakers:*", "indexes:*", "proposals:*"},
        ),
        Route("topics/", "topics.html", {"kind": "topics"}, counted),
        Route("series/", "series-index.html", {"kind": "series-index"}, {"indexes:*", "series:*"}),
        # Proposal cards: each proposal, and the names of who proposed it.
        Route("proposals/", "proposals.html", {"kind": "proposals"}, {"proposals:*", "speakers:*"}),
        Route("reading/", "reading.html", {"kind": "reading"}, {"lists:*", "papers:*"}),
        Route("papers/", "papers.html", {"kind": "papers", "topic": None}, everything),
        # Whether a next session exists follows from "now", which every page reads.
        Route("404.html", "404.html", {"kind": "404"}, set()),
        Route("search/", "search.html", {"kind": "search"}, set()),
        Route("people/", "people.html", {"kind": "people"}, {"speakers:*"}),
    ]
    routes[1:1] = session_index_routes(site)
    # An index with nothing to list is not made (see rgsite.sections).
    have = sections.present(site)
    routes = [r for r in routes if r.url.rstrip("/") not in OPTIONAL or r.url.rstrip("/") in have]
    if "papers" in have:  # the papers page filtered by topic, as plain pages
        routes += [
            Route(topic_url(t.slug), "papers.html", {"kind": "papers", "topic": t}, everything)
            for t, _ in topic_counts(site)
        ]
    for session in site.sessions.values():
        if session.is_break:  # no meeting, so no page: the schedule lists it
            continue
        before, after = site.neighbours(session)
        inputs = {f"session:{session.slug}"}
        inputs |= _keys(Kind.SESSION, [s.slug for s in (before, after) if s])
        inputs |= _keys(Kind.SPEAKER, session.speakers) | _keys(Kind.PAPER, session.papers)
        inputs |= _keys(Kind.SPEAKER, session.hosts)
        inputs |= _keys(Kind.PROPOSAL, [session.proposal] if session.proposal else [])
        inputs |= _links(site, (Kind.SESSION, session.slug)) | {"topics:*", "series:*"}
        inputs |= _links(site, (Kind.ABSTRACT, session.slug))
        routes.append(
            Route(
                url_of(Kind.SESSION, session.slug),
                "session.html",
                {"kind": "session", "session": session, "previous": before, "next": after},
                inputs,
                (session.source,),
            )
        )
    for speaker in site.speakers.values():
        proposals = site.proposals_by_speaker.get(speaker.id, [])
        inputs = {f"speaker:{speaker.id}"} | _links(site, (Kind.SPEAKER, speaker.id))
        inputs |= _listed(site.by_speaker.get(speaker.id, []), speakers=False)
        inputs |= _listed(site.by_host.get(speaker.id, []))
        inputs |= _cards(proposals)
        routes.append(
            Route(
                url_of(Kind.SPEAKER, speaker.id),
                "speaker.html",
                {"kind": "speaker", "speaker": speaker},
                inputs,
                (speaker.source,),
            )
        )
    for term in site.topics.values():
        inputs = {"topics:*"} | _listed(site.by_topic.get(term.slug, []))
        inputs |= _cards(site.proposals_by_topic.get(term.slug, []))
        inputs |= _keys(Kind.PAPER, [p.id for p in site.papers_by_topic.get(term.slug, [])])
        context = {"kind": "topic", "topic": term}
        routes.append(Route(url_of(Kind.TOPIC, term.slug), "topic.html", context, inputs))
    for term in site.series.values():  # the cards of its sessions
        inputs = {"series:*"} | _listed(site.by_series.get(term.slug, []))
        context = {"kind": "series", "series": term}
        routes.append(Route(url_of(Kind.SERIES, term.slug), "series.html", context, inputs))
    for period in site.config.terms:
        held = site.by_term.get(period.slug)
        if held:
            context = {"kind": "term", "term": period}
            routes.append(Route(term_url(period.slug), "term.html", context, _listed(held)))
    routes += kind_routes(site)
    for proposal in site.proposals.values():
        inputs = {f"proposal:{proposal.slug}", "speakers:*", "topics:*"}
        taken = site.session_of_proposal.get(proposal.slug)  # all it shows of sessions
        inputs |= {f"listed:{taken.slug}"} if taken is not None else set()
        inputs |= _links(site, (Kind.PROPOSAL, proposal.slug))
        routes.append(
            Route(
                url_of(Kind.PROPOSAL, proposal.slug),
                "proposal.html",
                {"kind": "proposal", "proposal": proposal},
                inputs,
                (proposal.source,),
            )
        )
    for reading in site.lists.values():
        inputs = {f"list:{reading.slug}", "papers:*", "lists:*"}
        # Of sessions, it shows those that discussed its papers: when, and what they are.
        ids = {i for section in reading.sections for i in section.papers if i in site.papers}
        inputs |= _listed([s for i in ids for s in site.by_paper.get(i, [])], speakers=False)
        inputs |= _links(site, (Kind.LIST, reading.slug))
        routes.append(
            Route(
                url_of(Kind.LIST, reading.slug),
                "reading-list.html",
                {"kind": "reading-list", "list": reading},
                inputs,
                (reading.source,),
            )
        )
    for page in site.pages.values():
        inputs = {f"page:{page.slug}"} | _links(site, (Kind.PAGE, page.slug))
        routes.append(
            Route(
                url_of(Kind.PAGE, page.slug),
                "page.html",
                {"kind": "page", "page": page},
                inputs,
                (page.source,),
            )
        )
    return routes


def _home(site: Site, everything: set[str]) -> set[str]:
    """What the home page reads (home.html): the next sessions whole, the later ones and
    the latest recaps as lists show them, and which sessions those are (``indexes:*``,
    with the clock every page reads); not every session's listing."""
    upcoming = site.upcoming()
    features = [s for s in upcoming if s.state in ("scheduled", "tba")][:3]
    shown = upcoming[:5] + site.recaps()[-4:]
    keys = everything - {"sessions:*"} | {"indexes:*"} | {f"listed:{s.slug}" for s in shown}
    return keys | {f"session:{s.slug}" for s in features}


def session_index_routes(site: Site) -> list[Route]:
    """``sessions/``: the sessions to come and the latest year's; and a page for each year
    of past sessions, so no list grows with the archive. Each reads the listings it shows
    and which years there are (``years:*``), not every session's."""
    years = past_by_year(site)
    latest = next(iter(years.values()), [])
    shown = site.upcoming() + latest
    context = {"kind": "sessions", "years": list(years), "past": latest}
    found = [Route("sessions/", "sessions.html", context, _listed(shown) | {"years:*"})]
    for year, held in years.items():
        context = {"kind": "sessions-year", "year": year, "years": list(years), "past": held}
        found.append(
            Route(year_url(year), "sessions-year.html", context, _listed(held) | {"years:*"})
        )
    return found


def alias_routes(site: Site) -> list[Route]:
    """A small page at each old address of a session, proposal or page, sending readers
    on to it. Each reads its target's title: a session's from its listing."""
    documents: list[tuple[str, Session | Proposal | Page]] = []
    documents += [(f"listed:{slug}", s) for slug, s in site.sessions.items()]
    documents += [(f"{Kind.PROPOSAL}:{slug}", p) for slug, p in site.proposals.items()]
    documents += [(f"{Kind.PAGE}:{slug}", p) for slug, p in site.pages.items()]
    found = []
    for key, model in documents:
        kind, slug = key.split(":", 1)
        target = url_of(Kind.SESSION if kind == "listed" else kind, slug)
        context = {"kind": "alias", "target": target, "title": model.title}
        found += [Route(a.url, "alias.html", context, {key}, (a.source,)) for a in model.aliases]
    return found


def kind_routes(site: Site) -> list[Route]:
    """``kinds/`` and a page per kind of event, when site.yaml defines kinds."""
    if not site.config.kinds:
        return []
    found = [Route("kinds/", "kinds.html", {"kind": "kinds"}, {"indexes:*"})]  # counts
    for kind in site.config.kinds:
        inputs = _listed(site.by_kind.get(kind.id, []))
        context = {"kind": "event-kind", "event_kind": kind}
        found.append(Route(url_of(Kind.EVENT_KIND, kind.id), "kind.html", context, inputs))
    return found


def _listed(sessions: list[Session], *, speakers: bool = True) -> set[str]:
    """What a list of these sessions reads (macros.session_list): each one's listing and,
    ``speakers`` shown, their speakers' names. Which sessions are listed, and in what
    order, follows from the listings, so a session joining or leaving changes the keys."""
    keys = {f"listed:{s.slug}" for s in sessions}
    if speakers:
        keys |= {f"speaker:{ident}" for s in sessions for ident in s.speakers}
    return keys


def _cards(proposals: list[Proposal]) -> set[str]:
    """What cards of these proposals read (macros.proposal_card): each proposal, and the
    names of who proposed it."""
    keys = {f"proposal:{p.slug}" for p in proposals}
    return keys | {f"speaker:{ident}" for p in proposals for ident in p.proposed_by}


def _links(site: Site, owner: tuple[str, str]) -> set[str]:
    return {f"{kind}:{ident}" for kind, ident in site.links_from.get(owner, set())}


def collisions(
    claims: dict[str, list[Location]], aliases: frozenset[Location] = frozenset()
) -> list[Problem]:
    """Two outputs on one URL — also when they differ only in case — name every claimant.

    ``aliases``: the places where aliases are written; an alias is what must give way."""
    folded: dict[str, list[tuple[str, Location]]] = defaultdict(list)
    for url, sources in claims.items():
        for source in sources:
            folded[url.lower()].append((url, source))
    problems = []
    reported: set[frozenset[Location]] = set()
    # Pages first, so files made beside a page (its event.ics) add no second report.
    for _, claimants in sorted(folded.items(), key=lambda item: (not _is_page(item[0]), item[0])):
        if len(claimants) < 2:
            continue
        claimed_by = frozenset(loc for _, loc in claimants)
        if claimed_by in reported:
            continue
        reported.add(claimed_by)
        names = "; ".join(str(loc) for _, loc in claimants)
        fix = "rename all but one"
        # Reported at the site's own files; a built-in page is only named in the message.
        own = [(url, loc) for url, loc in claimants if not loc.path.startswith(BUILT_IN)]
        if claimed_by & aliases:  # the alias gives way, so it is where the fix is
            fix = "an alias needs an address of its own: change or remove the alias"
            own = [(url, loc) for url, loc in claimants if loc in aliases]
        for shown, location in own or claimants:
            message = f"{len(claimants)} pages would be published at /{shown}: {names}; {fix}"
            problems.append(Problem(location, message))
    return problems


def _is_page(url: str) -> bool:
    return url.endswith(".html")
