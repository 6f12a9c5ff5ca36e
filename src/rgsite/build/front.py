"""A front-matter save that changes only what a session says of itself, for the patch.

In the preview, most edits of a session's front matter retitle it or fill in its TL;DR,
place, links or resources. Those change what its page, the lists that show it and the
files that carry it say, but not which lists it is in, where it stands in them, when it
is, or what it links to: the graph stays as it is, and :mod:`rgsite.build.patch` can put
the new values into the session in place instead of reading the archive again.

:func:`front_edit` decides whether a save is such an edit, and loads the new front matter
with the loader a whole build uses, so the values (and their checks) are the same. Any
other key changed, a problem in the file, or a new title for a session that another text
links to by name returns None, and the Builder reads the site again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rgsite.model import Kind, Session, Site
from rgsite.read.decode import Record
from rgsite.read.loaded import Loading

SHOWN = ("title", "tldr", "location", "join_url", "register", "resources")
"""Front-matter keys that only change what is shown of a session; each sets the field
of :class:`~rgsite.model.Session` of the same name, which linking leaves as loaded."""


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
) -> FrontEdit | None:
    """The edit of session ``slug`` that the save from ``before`` to ``after`` makes, or
    None if it changes anything beyond the fields of :data:`SHOWN`.

    ``load`` loads a record of the session as a whole build does (its bundle's files
    and the site's settings are the linked session's and the last build's)."""
    session = site.sessions.get(slug)
    if session is None or after.body != before.body:
        return None
    keys = before.data.keys() | after.data.keys()
    if any(before.data.get(key) != after.data.get(key) for key in keys - set(SHOWN)):
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
    return FrontEdit(session, values, loading)


def linked(site: Site, target: tuple[str, str]) -> bool:
    """Whether any text of the site links to ``target``."""
    return any(target in found for found in site.links_from.values())
