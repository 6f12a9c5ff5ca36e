"""What loading gives: one file's :class:`Loading`, and everything read as :class:`Loaded`.

A loader reads one record and returns a :class:`Loading` — the models it could build,
the references it names, its rendered Markdown and its problems — without touching
anything shared. :meth:`Loaded.add` is the one place a file's loading joins the rest,
so a long-lived build can add last time's loading of an unchanged file as it is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rgsite.errors import Location, Problems
from rgsite.markdown.render import Rendered, render_markdown
from rgsite.model import Heading, Key, Kind, Page, Paper, Proposal, ReadingList, Session, Speaker
from rgsite.settings import SiteConfig

if TYPE_CHECKING:
    from rgsite.papers.store import PaperDB
    from rgsite.read.decode import Record
    from rgsite.read.discover import Sources

MarkdownKey = tuple[str, str, int]
"""A Markdown text, the file it is in and the line it starts on."""


@dataclass(frozen=True, slots=True)
class Pending:
    """A reference from a model to another by id, checked once everything is loaded."""

    kind: str
    target: str
    location: Location
    field: str


@dataclass(frozen=True, slots=True)
class Context:
    """What a loader may read besides its record: nothing it could change."""

    config: SiteConfig
    assets: frozenset[str] | set[str]
    """Site-relative paths Markdown may link to: bundle attachments and static files."""
    renderings: Mapping[MarkdownKey, Rendered]
    """Markdown already rendered, by text, path and first line."""
    papers: Mapping[str, Paper]
    """Papers described by the reading lists loaded before this file."""
    paper_aliases: Mapping[str, str]
    """Every key of those papers (id, arXiv, DOI) -> its id."""


@dataclass(slots=True)
class Loading:
    """What loading one file gave."""

    path: str
    defines: Key | None = None
    """The ``(kind, id)`` the file defines, for a session, proposal, page or list."""
    model: Session | Proposal | Page | ReadingList | None = None
    speakers: dict[str, Speaker] = field(default_factory=dict)
    papers: dict[str, Paper] = field(default_factory=dict)
    paper_aliases: dict[str, str] = field(default_factory=dict)
    pending: list[Pending] = field(default_factory=list)
    docs: dict[Key, Rendered] = field(default_factory=dict)
    """Rendered Markdown by owner, e.g. ``("session", slug)``, still holding placeholders."""
    markdown: dict[MarkdownKey, Rendered] = field(default_factory=dict)
    """Every rendering this file used, by its text, path and line."""
    problems: Problems = field(default_factory=Problems)

    def refer(self, kind: str, target: str, location: Location, key: str) -> None:
        self.pending.append(Pending(kind, target, location, key))

    def render(
        self,
        context: Context,
        owner: Key,
        text: str,
        line: int,
        *,
        flat: bool = False,
    ) -> Rendered:
        """``text`` of this file rendered (or remembered), as ``owner``'s document; with
        ``flat``, all its problems are on ``line``."""
        key = (text, self.path, line)
        macros = context.config.math_macros
        rendered = self.markdown.get(key) or context.renderings.get(key)
        if rendered is None or not rendered.fits(macros):
            rendered = render_markdown(text, path=self.path, first_line=line, macros=macros)
        self.markdown[key] = rendered
        if flat and "\n" in text:
            rendered = dataclasses.replace(
                rendered,
                problems=tuple(
                    dataclasses.replace(p, location=Location(p.location.path, line))
                    for p in rendered.problems
                ),
                refs=tuple(dataclasses.replace(r, line=line) for r in rendered.refs),
            )
        self.problems.extend(rendered.problems)
        self.docs[owner] = rendered
        return rendered

    def render_value(
        self, context: Context, owner: Key, text: str, record: Record, *keys: str | int
    ) -> Rendered:
        """Markdown written as a YAML value, with its problems on the right lines of the file.

        Only in a ``|`` block is each line of the text a line of the file (starting one line
        below the key); a quoted or folded value may hold ``\\n`` escapes or folded lines, so
        everything in it is reported on the line where the value starts.
        """
        line = record.line(*keys)
        if (*keys, "<literal>") in record.lines:
            return self.render(context, owner, text, line + 1)
        return self.render(context, owner, text, line, flat=True)


@dataclass(slots=True)
class Loaded:
    """Everything read from the files, before references are resolved."""

    config: SiteConfig
    speakers: dict[str, Speaker] = field(default_factory=dict)
    papers: dict[str, Paper] = field(default_factory=dict)
    paper_aliases: dict[str, str] = field(default_factory=dict)
    lists: dict[str, ReadingList] = field(default_factory=dict)
    proposals: dict[str, Proposal] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    sessions: list[Session] = field(default_factory=list)
    """In the order their files were read; linking sorts them."""
    docs: dict[Key, Rendered] = field(default_factory=dict)
    """Rendered Markdown by owner, e.g. ``("session", slug)``, still holding placeholders."""
    pending: list[Pending] = field(default_factory=list)
    files: dict[str, Key] = field(default_factory=dict)
    """Site-relative path of a content file -> the ``(kind, id)`` it defines."""
    markdown_cache: dict[MarkdownKey, Rendered] = field(default_factory=dict)
    """Rendered Markdown by (text, path, first line): the batch rendered before loading,
    and whatever a loader had to render on its own."""
    markdown_used: set[MarkdownKey] = field(default_factory=set)
    assets: set[str] = field(default_factory=set)
    """Site-relative paths Markdown may link to: bundle attachments and static files."""
    fetched: PaperDB | None = None
    """``content/papers.yaml``: fetched metadata of papers cited by identifier."""
    unreadable: set[str] = field(default_factory=set)
    """Content files that could not be read; ids they define are not reported unknown."""
    sources: Sources | None = None
    """The walk of the site's files these were read from."""

    def context(self) -> Context:
        return Context(
            config=self.config,
            assets=self.assets,
            renderings=self.markdown_cache,
            papers=self.papers,
            paper_aliases=self.paper_aliases,
        )

    def add(self, loading: Loading, problems: Problems) -> None:
        """Join one file's loading to the rest; ``loading`` itself is left as it was."""
        problems.extend(loading.problems.items)
        self.pending.extend(loading.pending)
        self.docs.update(loading.docs)
        self.speakers.update(loading.speakers)
        self.papers.update(loading.papers)
        self.paper_aliases.update(loading.paper_aliases)
        for key, rendered in loading.markdown.items():
            self.markdown_used.add(key)
            self.markdown_cache.setdefault(key, rendered)
        if loading.defines is not None:
            self.files[loading.path] = loading.defines
        model = loading.model
        if isinstance(model, Session):
            self.sessions.append(model)
        elif isinstance(model, Proposal):
            self.proposals[model.slug] = model
        elif isinstance(model, Page):
            self.pages[model.slug] = model
        elif isinstance(model, ReadingList):
            self.lists[model.slug] = model


def body_fields(kind: Kind, body: Rendered) -> dict[str, Any]:
    """What a session, proposal or page takes from its Markdown body; ``body_html`` still
    holds link placeholders until the graph is linked."""
    fields: dict[str, Any] = {
        "body_html": body.html,
        "summary": body.summary,
        "has_math": body.has_math,
    }
    if kind is not Kind.PROPOSAL:  # a proposal's page has no table of contents
        fields["headings"] = tuple(
            Heading(level=h.level, id=h.id, text=h.text) for h in body.headings
        )
    return fields
