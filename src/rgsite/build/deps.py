"""What each page reads, as fingerprints, so a rebuild renders only what changed.

Every route names its inputs as keys (``session:<slug>``, ``speakers:*``, ``config``);
:func:`fingerprints` gives each key a digest of exactly what pages can see of it, and
a route's :func:`signature` combines its inputs' digests with the source of every
template it reads. Two builds that give a route the same signature render the same
bytes, so the second can keep the first's page. A key a page reads but does not name
would make a stale page; the rebuild tests compare against clean builds to catch it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rgsite import __version__
from rgsite.model import Kind
from rgsite.routes import past_by_year
from rgsite.sections import present

if TYPE_CHECKING:
    from rgsite.model import Session, Site


class UnknownInput(LookupError):
    """A page or file names an input key that nothing fingerprints."""

    def __init__(self, key: str) -> None:
        super().__init__(
            f"input key '{key}' is not fingerprinted by rgsite.build.deps.fingerprints; "
            "a page that names it would never be rebuilt when what it reads changes"
        )
        self.key = key


COMMON = frozenset({"config", "pages:*", "now", "sections"})
"""Read by every page: the header, footer and navigation (which links only the sections
with something in them)."""


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def fingerprints(site: Site) -> dict[str, str]:
    """A digest per input key, of everything a template can read through that key."""
    prints: dict[str, str] = {"config": _digest(repr(site.config))}
    # Pages that say "upcoming" or pick the next session depend on which side of now
    # each session falls, not on the exact instant.
    prints["now"] = _digest(repr([_when(site, s) for s in site.sessions.values()]))
    for session in site.sessions.values():
        prints[f"session:{session.slug}"] = session_print(site, session)
    prints.update(listed_prints(site))
    for kind, models in (
        (Kind.SPEAKER, site.speakers),
        (Kind.PAPER, site.papers),
        (Kind.PROPOSAL, site.proposals),
        (Kind.LIST, site.lists),
        (Kind.PAGE, site.pages),
    ):
        for ident, model in models.items():
            prints[f"{kind}:{ident}"] = model_print(model)
        prints[f"{kind}s:*"] = models_print(models.values())
    prints.update(avatar_prints(site, prints))
    prints["pages:*"] = pages_print(site)
    prints["topics:*"] = _digest(repr(site.topics))
    prints["series:*"] = _digest(repr(site.series))
    prints["sections"] = _digest(repr(sorted(present(site))))
    prints["years:*"] = _digest(repr(list(past_by_year(site))))
    prints["indexes:*"] = indexes_print(site)
    return prints


def indexes_print(site: Site) -> str:
    """``indexes:*``: which sessions each index holds (by speaker, host, topic, series,
    kind, paper, proposal; breaks and drafts apart), and nothing of what lists show of
    them: pages that count sessions read this, so a new title leaves them as they are."""
    held = [
        (s.slug, s.speakers, s.hosts, s.topics, s.series, s.kind, s.papers, s.proposal, s.state)
        for s in site.sessions.values()
    ]
    return _digest(repr(held) + repr([s.draft for s in site.sessions.values()]))


def avatar_prints(site: Site, prints: dict[str, str]) -> dict[str, str]:
    """A speaker shown with an avatar is shown with its resized copies, whose names follow
    the photo's bytes: ``speaker:<id>`` and ``speakers:*`` cover what was read of it."""
    found: dict[str, str] = {}
    for ident, speaker in site.speakers.items():
        picture = site.pictures.get(f"static/{speaker.avatar}") if speaker.avatar else None
        if picture is not None:
            found[f"speaker:{ident}"] = _digest(prints[f"speaker:{ident}"] + repr(picture))
    if found:
        found["speakers:*"] = _digest(prints["speakers:*"] + repr(sorted(found.items())))
    return found


def session_print(site: Site, session: Session) -> str:
    return _digest(repr(session) + repr(_when(site, session)))


def _when(site: Site, session: Session) -> tuple[str, bool]:
    """A session's status and whether it is over: an open slot or a cancellation stays
    what it is when its day passes, but which list shows it, and its buttons, change."""
    return site.status(session), session.end <= site.now


def listing(site: Site, session: Session) -> str:
    """What lists of sessions show of one: everything but the recap's text and headings."""
    s = session
    return repr(
        (
            s.slug,
            s.title,
            s.start,
            s.end,
            s.speakers,
            s.hosts,
            s.topics,
            s.series,
            s.papers,
            s.proposal,
            s.state,
            s.draft,
            s.description,
            s.location,
            s.join_url,
            s.time_known,
            s.date_approximate,
            s.kind,
            s.register,
            _when(site, s),
        )
    )


def listed_prints(site: Site) -> dict[str, str]:
    """``listed:<slug>`` and ``scheduled:<slug>`` for every session, and ``sessions:*`` and
    ``schedule:*`` for all of them in order."""
    prints: dict[str, str] = {}
    for session in site.sessions.values():
        prints.update(session_listed_prints(site, session))
    return prints | collection_prints(site, prints)


def session_listed_prints(site: Site, session: Session) -> dict[str, str]:
    """What lists show of one session (``listed:<slug>``), and what the schedule shows:
    its listing and also its resources and abstract, but not its recap
    (``scheduled:<slug>``, which only ``schedule:*`` reads)."""
    text = listing(site, session)
    shown = text + repr((session.resources, session.abstract_html))
    return {f"listed:{session.slug}": _digest(text), f"scheduled:{session.slug}": _digest(shown)}


def collection_prints(site: Site, prints: dict[str, str]) -> dict[str, str]:
    """``sessions:*`` and ``schedule:*`` from every session's own prints in ``prints``: a
    session's edit makes its own again, and these two from digests, not from the archive."""
    slugs = site.sessions
    return {
        "sessions:*": _digest("\n".join(prints[f"listed:{slug}"] for slug in slugs)),
        "schedule:*": _digest("\n".join(prints[f"scheduled:{slug}"] for slug in slugs)),
    }


def urls_print(urls: Iterable[str]) -> str:
    """``urls:*``: the address of every page, which the sitemap lists; a plan adds it, as
    only the routes know it."""
    return _digest("\n".join(urls))


def model_print(model: object) -> str:
    return _digest(repr(model))


def models_print(models: Iterable[object]) -> str:
    return _digest(repr(list(models)))


def pages_print(site: Site) -> str:
    return _digest(repr([(p.slug, p.title) for p in site.pages.values()]))


def signature(
    inputs: Iterable[str], prints: dict[str, str], template_digests: Iterable[str], extra: str = ""
) -> str:
    """One digest for a page: its inputs' fingerprints and its templates' sources."""
    parts = [__version__, extra]
    for key in sorted(set(inputs) | COMMON):
        digest = prints.get(key)
        if digest is None:  # a misspelt key would never change, and the page never rebuild
            raise UnknownInput(key)
        parts.append(f"{key}={digest}")
    parts += sorted(template_digests)
    return _digest("\n".join(parts))


def digest_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()
