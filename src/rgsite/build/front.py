"""A front-matter save that changes only what a session says of itself, for the patch.

In the preview, most edits of a session's front matter retitle it or fill in its TL;DR,
abstract, place, links or resources. Those change what its page, the lists that show it and the
files that carry it say, but not which lists it is in, where it stands in them, when it
is, or what it links to: the graph stays as it is, and :mod:`rgsite.build.patch` can put
the new values into the session in place instead of reading the archive again.

:func:`front_edit` decides whether a save is such an edit, and loads the new front matter
with the loader a whole build uses, so the values (and their checks) are the same. Any
other key changed, a problem in the file, an abstract that links to other things or shows
a picture, or a new title for a session that another text links to by name returns None,
and the Builder reads the site again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from rgsite.link import answer
from rgsite.markdown.refs import finish_summary, resolve
from rgsite.markdown.render import Rendered
from rgsite.model import Key, Kind, Session, Site
from rgsite.read.decode import Record
from rgsite.read.loaded import Loading

SHOWN = ("title", "tldr", "location", "join_url", "register", "resources")
"""Front-matter keys that only change what is shown of a session; each sets the field
of :class:`~rgsite.model.Session` of the same name, which linking leaves as loaded."""
ABSTRACT = "abstract"
"""Markdown in the front matter: patched too while it links to the same things and
shows no picture (``abstract_html`` and ``abstract_summary``, its links filled in)."""


@dataclass(frozen=True, slots=True)
class FrontEdit:
    session: Session
    """The linked session, to be changed in place."""
    values: dict[str, Any]
    """Its fields whose values the save changed, with the new values."""
    loading: Loading
    """The new loading of the file: its Markdown is the same text, but may have moved
    down or up the file with the front matter."""


def front_edit(
    site: Site,
    slug: str,
    before: Record,
    after: Record,
    load: Callable[[Record, Session], Loading],
    docs: Mapping[Key, Rendered],
) -> FrontEdit | None:
    """The edit of session ``slug`` that the save from ``before`` to ``after`` makes, or
    None if it changes anything beyond the fields of :data:`SHOWN` and its abstract.
    ``docs``: the Markdown of the last build, still holding link placeholders.

    ``load`` loads a record of the session as a whole build does (its bundle's files
    and the site's settings are the linked session's and the last build's)."""
    session = site.sessions.get(slug)
    if session is None or after.body != before.body:
        return None
    keys = before.data.keys() | after.data.keys()
    if any(before.data.get(k) != after.data.get(k) for k in keys - {*SHOWN, ABSTRACT}):
        return None
    loading = load(after, session)
    new = loading.model
    if loading.problems.items or not isinstance(new, Session):
        return None
    values = {
        name: getattr(new, name) for name in SHOWN if getattr(new, name) != getattr(session, name)
    }
    # A link written as [[session:slug]] shows the title, filled in when the graph was
    # linked: another text would need resolving again.
    if "title" in values and linked(site, (Kind.SESSION, slug)):
        return None
    if before.data.get(ABSTRACT) != after.data.get(ABSTRACT):
        abstract = _abstract(site, slug, docs, loading)
        if abstract is None:
            return None
        values.update(abstract)
    return FrontEdit(session, values, loading)


def _abstract(
    site: Site, slug: str, docs: Mapping[Key, Rendered], loading: Loading
) -> dict[str, str] | None:
    """The session's new abstract with its links filled in as the last build filled
    them, or None if it links to other things or shows a picture (sized in a whole
    build)."""
    owner = (Kind.ABSTRACT, slug)
    old, new = docs.get(owner), loading.docs.get(owner)
    texts = [r for r in (old, new) if r is not None]
    if _targets(old) != _targets(new) or any("<img" in r.html for r in texts):
        return None
    if new is None:
        return {"abstract_html": "", "abstract_summary": ""}
    answers = partial(answer, site.answers.get(owner, {}))
    summary = finish_summary(new.summary, new.refs, answers)
    return {"abstract_html": resolve(new.html, new.refs, answers), "abstract_summary": summary}


def _targets(rendered: Rendered | None) -> list[tuple[int, str, str]]:
    refs = rendered.refs if rendered is not None else ()
    return [(ref.index, ref.kind, ref.target) for ref in refs]


def linked(site: Site, target: tuple[str, str]) -> bool:
    """Whether any text of the site links to ``target``."""
    return any(target in found for found in site.links_from.values())
