"""A save that changes only a document's text, patched into the last build's graph.

While the preview runs, most saves change the Markdown body of one session, proposal or
page and nothing else: the front matter is the same, the text links to the same things,
and no file came or went. Reading, linking and planning the whole archive again for that
costs a second at ten thousand sessions; patching costs milliseconds.

:func:`apply` checks that a batch of changed files is that kind of save, puts the new
text into its model, fingerprints again the input keys that model feeds (with the same
functions a whole build uses, :mod:`rgsite.build.deps`) and signs again just the pages and
files that read those keys. A session's front matter edited only where it says what the
session shows of itself (its title, TL;DR, place, links; see :mod:`rgsite.build.front`)
is put into the session in place the same way. Anything else (a new or deleted file,
any other front matter edit, a link added or removed, an image shown or no longer shown,
a Markdown problem, the clock passing a session's end) returns None and the Builder
reads the site from scratch. ``tests/test_incremental.py`` holds
patched builds to clean builds of the same files.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from rgsite.build.deps import (
    COMMON,
    collection_prints,
    model_print,
    models_print,
    session_listed_prints,
    session_print,
)
from rgsite.build.front import FrontEdit, front_edit
from rgsite.errors import Problem
from rgsite.images.shown import refill
from rgsite.link import answer
from rgsite.markdown.refs import finish_summary, resolve
from rgsite.markdown.render import Rendered
from rgsite.model import Key, Kind, Session, Site
from rgsite.read.decode import Record
from rgsite.read.loaded import Loaded, Loading, MarkdownKey, body_fields
from rgsite.render.pages import Plan

DOCUMENTS = (Kind.SESSION, Kind.PROPOSAL, Kind.PAGE)


@dataclass(slots=True)
class Snapshot:
    """What a Builder's last whole build knew, kept to patch the next one."""

    loaded: Loaded
    site: Site
    planned: Plan
    warnings: list[Problem]
    stable_until: datetime | None
    """When the first session still to end does end, changing pages that say "upcoming"
    (None: never, or the build's clock is fixed)."""
    _page_readers: dict[str, list[int]] | None = field(default=None, repr=False)
    _file_readers: dict[str, list[int]] | None = field(default=None, repr=False)

    def readers(self, key: str) -> tuple[list[int], list[int]]:
        """Indexes into ``planned.pages`` and ``planned.files`` of what reads ``key``."""
        if self._page_readers is None or self._file_readers is None:
            self._page_readers = _index(route.inputs for route, _ in self.planned.pages)
            self._file_readers = _index(artifact.inputs for artifact, _ in self.planned.files)
        return self._page_readers.get(key, []), self._file_readers.get(key, [])


@dataclass(slots=True)
class Patched:
    pages: list[int]
    """Indexes into ``Plan.pages`` whose signatures were made again."""
    files: list[int]
    """Likewise into ``Plan.files``."""
    renderings: dict[MarkdownKey, Rendered]
    """The new texts' renderings, for the Builder's memo of the site's Markdown."""
    dropped: list[MarkdownKey]
    """The texts they replace."""


def apply(
    snapshot: Snapshot,
    changes: Iterable[str],
    previous: Callable[[str], Record | None],
    read: Callable[[str], Record | None],
    render: Callable[[MarkdownKey], Rendered],
    now: datetime,
    load: Callable[[Record, Session], Loading] | None = None,
) -> Patched | None:
    """Patch ``snapshot`` for the changed files ``changes`` (site-relative paths), or
    return None, having changed nothing, if they are not text edits of documents.

    ``previous`` gives a file's record as the snapshot read it, ``read`` its record now
    (None: unreadable, its problem reported elsewhere), ``render`` a Markdown text,
    ``load`` a session's record as a whole build loads it (None: front matter edits are
    not patched).
    """
    if snapshot.stable_until is not None and now >= snapshot.stable_until:
        return None
    loaded, site = snapshot.loaded, snapshot.site
    edits: list[tuple[Key, Any, Record, Rendered, tuple[str, str]]] = []
    fronts: list[FrontEdit] = []
    dropped: list[MarkdownKey] = []
    for rel in sorted(changes):
        owner = loaded.files.get(rel)
        if owner is None or owner[0] not in DOCUMENTS or owner in (e[0] for e in edits):
            return None
        if any((Kind.SESSION, f.session.slug) == owner for f in fronts):
            return None
        model = _models(site, owner[0]).get(owner[1])
        before, after = previous(rel), read(rel)
        if model is None or before is None or after is None:
            return None
        if (after.data, after.lines, after.body_line) != (
            before.data,
            before.lines,
            before.body_line,
        ):
            front = _front(snapshot, owner, before, after, load)
            if front is None:
                return None
            fronts.append(front)
            if after.body_line != before.body_line:
                dropped.append((before.body, rel, before.body_line))
            continue
        if after.body == before.body:
            continue
        old, new = loaded.docs.get(owner), render((after.body, rel, after.body_line))
        if old is None or old.problems or new.problems or _targets(old) != _targets(new):
            return None
        answers = partial(answer, site.answers.get(owner, {}))
        html = resolve(new.html, new.refs, answers)
        if "<img" in new.html or "<img" in old.html:  # sized as a whole build sizes them
            was = resolve(old.html, old.refs, answers)
            filled = refill(site, loaded.assets, was, html)
            if filled is None:
                return None
            html = filled
        edits.append(
            (owner, model, after, new, (html, finish_summary(new.summary, new.refs, answers)))
        )
        dropped.append((before.body, rel, before.body_line))
    prints = snapshot.planned.prints
    changed: set[str] = set()
    for (kind, ident), model, _, rendered, (html, summary) in edits:
        _set_text(
            model, {**body_fields(Kind(kind), rendered), "body_html": html, "summary": summary}
        )
        loaded.docs[(kind, ident)] = rendered
        changed |= _update(prints, _fingerprints(site, kind, model))
    for front in fronts:
        _set_text(front.session, front.values)
        if "title" in front.values:
            _retitle_aliases(snapshot, front.session)
        loaded.docs.pop((Kind.ABSTRACT, front.session.slug), None)  # it may have none now
        loaded.docs.update(front.loading.docs)  # its texts, where they now are in the file
        changed |= _update(prints, _fingerprints(site, Kind.SESSION, front.session))
    edited = [model for (kind, _), model, *_ in edits if kind == Kind.SESSION]
    edited += [front.session for front in fronts]
    if snapshot.planned.view is not None:
        for session in edited:  # what was made of it before its edit is made again
            snapshot.planned.view.forget(session)
    if any(key.startswith(("listed:", "scheduled:")) for key in changed):
        changed |= _update(prints, collection_prints(site, prints))
    if changed & COMMON:  # every page reads these; a whole build is as quick
        return None
    pages: set[int] = set()
    files: set[int] = set()
    for key in changed:
        on_pages, in_files = snapshot.readers(key)
        pages.update(on_pages)
        files.update(in_files)
    planned = snapshot.planned
    for index in pages:
        route = planned.pages[index][0]
        planned.pages[index] = (route, planned.page_signature(route, prints))
    for index in files:
        artifact = planned.files[index][0]
        planned.files[index] = (artifact, planned.file_signature(artifact, prints))
    renderings = {(e[2].body, e[2].path, e[2].body_line): e[3] for e in edits}
    for front in fronts:
        renderings.update(front.loading.markdown)
    return Patched(sorted(pages), sorted(files), renderings, dropped)


def _models(site: Site, kind: str) -> dict[str, Any]:
    models: dict[str, dict[str, Any]] = {
        Kind.SESSION: site.sessions,
        Kind.PROPOSAL: site.proposals,
        Kind.PAGE: site.pages,
    }
    return models[kind]


def _targets(rendered: Rendered) -> list[tuple[int, str, str]]:
    return [(ref.index, ref.kind, ref.target) for ref in rendered.refs]


def _set_text(model: object, fields: dict[str, Any]) -> None:
    # The model keeps its identity, so every index, page context and file maker holding
    # it (lists by speaker and topic, neighbours' pages, the event's calendar) sees the
    # new text, as a whole build's fresh models would. Nothing hashes models.
    for name, value in fields.items():
        object.__setattr__(model, name, value)


def _front(
    snapshot: Snapshot,
    owner: Key,
    before: Record,
    after: Record,
    load: Callable[[Record, Session], Loading] | None,
) -> FrontEdit | None:
    """The edit of a session's front matter that a save makes, if it can be patched."""
    if load is None or owner[0] != Kind.SESSION:
        return None
    if any(p.location.path == after.path for p in snapshot.warnings):
        return None  # the warning may be gone; a whole build says which remain
    return front_edit(snapshot.site, owner[1], before, after, load, snapshot.loaded.docs)


def _retitle_aliases(snapshot: Snapshot, session: Session) -> None:
    """The pages at a session's old addresses name it: their routes hold its title."""
    for index in snapshot.readers(f"listed:{session.slug}")[0]:
        route = snapshot.planned.pages[index][0]
        if route.template == "alias.html":
            route.context["title"] = session.title


def _update(prints: dict[str, str], fresh: dict[str, str]) -> set[str]:
    """Put ``fresh`` into ``prints``; the keys whose fingerprints changed."""
    changed = set()
    for key, digest in fresh.items():
        if prints.get(key) != digest:
            prints[key] = digest
            changed.add(key)
    return changed


def _fingerprints(site: Site, kind: str, model: Any) -> dict[str, str]:
    """The fingerprints of the keys a document feeds, after the edit; for a session,
    also what lists and the schedule show of it, but not the collections."""
    if kind == Kind.SESSION:
        return {f"session:{model.slug}": session_print(site, model)} | session_listed_prints(
            site, model
        )
    if kind == Kind.PROPOSAL:
        return {
            f"proposal:{model.slug}": model_print(model),
            "proposals:*": models_print(site.proposals.values()),
        }
    return {f"page:{model.slug}": model_print(model)}


def _index(inputs: Iterable[Iterable[str]]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = defaultdict(list)
    for position, keys in enumerate(inputs):
        for key in keys:
            found[key].append(position)
    return dict(found)
