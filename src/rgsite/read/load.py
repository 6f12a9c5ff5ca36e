"""Records to models: speakers, reading lists, proposals and pages, field by field.

Each loader checks every key of its file, reports located problems and returns the
models it could build, so one build reports every mistake. Markdown is rendered here
with references left as placeholders; :mod:`rgsite.graph` resolves them. Sessions,
with their dates and bundles, have their own module, :mod:`rgsite.sessions`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rgsite.errors import Location, Problems
from rgsite.markdown.render import Rendered, render_markdown
from rgsite.model import (
    PROPOSAL_STATUSES,
    RESOURCE_KINDS,
    Heading,
    Link,
    Page,
    Paper,
    Proposal,
    ReadingList,
    Section,
    SiteConfig,
    Speaker,
)
from rgsite.papers.ids import check_paper_ref, paper_key
from rgsite.read.decode import Record
from rgsite.read.discover import Sources, page_slug
from rgsite.read.fields import Fields, slugify, valid_id

if TYPE_CHECKING:
    from rgsite.papers.store import PaperDB

SPEAKER_KEYS = ("name", "affiliation", "bio", "links", "avatar")
LIST_KEYS = ("title", "description", "sections")
SECTION_KEYS = ("title", "description", "items")
ITEM_KEYS = (
    "id",
    "title",
    "authors",
    "year",
    "arxiv",
    "doi",
    "url",
    "kind",
    "tldr",
    "notes",
    "topics",
)
PROPOSAL_KEYS = ("title", "proposed_by", "date", "status", "votes", "topics", "session", "tldr")
PAGE_KEYS = ("title", "description")


@dataclass(slots=True)
class Pending:
    """A reference from a model to another by id, checked once everything is loaded."""

    kind: str
    target: str
    location: Location
    field: str


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
    docs: dict[tuple[str, str], Rendered] = field(default_factory=dict)
    """Rendered Markdown by owner, e.g. ``("session", slug)``, still holding placeholders."""
    pending: list[Pending] = field(default_factory=list)
    files: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Site-relative path of a content file -> the ``(kind, id)`` it defines."""
    markdown_cache: dict[tuple[str, str, int], Rendered] = field(default_factory=dict)
    """Rendered Markdown by (text, path, first line), kept between builds by a Builder."""
    markdown_used: set[tuple[str, str, int]] = field(default_factory=set)
    assets: set[str] = field(default_factory=set)
    """Site-relative paths Markdown may link to: bundle attachments and static files."""
    fetched: PaperDB | None = None
    """``content/papers.yaml``: fetched metadata of papers cited by identifier."""
    unreadable: set[str] = field(default_factory=set)
    """Content files that could not be read; ids they define are not reported unknown."""
    sources: Sources | None = None
    """The walk of the site's files these were read from."""


def markdown(
    loaded: Loaded,
    problems: Problems,
    owner: tuple[str, str],
    text: str,
    path: str,
    line: int,
    *,
    flat: bool = False,
) -> Rendered:
    """``text`` rendered (or remembered); with ``flat``, all its problems are on ``line``."""
    key = (text, path, line)
    loaded.markdown_used.add(key)
    rendered = loaded.markdown_cache.get(key)
    if rendered is None:
        rendered = render_markdown(text, path=path, first_line=line)
        loaded.markdown_cache[key] = rendered
    if flat and "\n" in text:
        rendered = dataclasses.replace(
            rendered,
            problems=tuple(
                dataclasses.replace(p, location=Location(p.location.path, line))
                for p in rendered.problems
            ),
            refs=tuple(dataclasses.replace(r, line=line) for r in rendered.refs),
        )
    problems.extend(rendered.problems)
    loaded.docs[owner] = rendered
    return rendered


def body_fields(kind: str, body: Rendered) -> dict[str, Any]:
    """What a session, proposal or page takes from its Markdown body; ``body_html`` still
    holds link placeholders until the graph is linked."""
    fields: dict[str, Any] = {
        "body_html": body.html,
        "summary": body.summary,
        "has_math": body.has_math,
    }
    if kind != "proposal":  # a proposal's page has no table of contents
        fields["headings"] = tuple(
            Heading(level=h.level, id=h.id, text=h.text) for h in body.headings
        )
    return fields


def _value_markdown(
    loaded: Loaded,
    problems: Problems,
    owner: tuple[str, str],
    text: str,
    record: Record,
    *keys: str | int,
) -> Rendered:
    """Markdown written as a YAML value, with its problems on the right lines of the file.

    Only in a ``|`` block is each line of the text a line of the file (starting one line
    below the key); a quoted or folded value may hold ``\\n`` escapes or folded lines, so
    everything in it is reported on the line where the value starts.
    """
    line = record.line(*keys)
    if (*keys, "<literal>") in record.lines:
        return markdown(loaded, problems, owner, text, record.path, line + 1)
    return markdown(loaded, problems, owner, text, record.path, line, flat=True)


def load_speakers(record: Record, loaded: Loaded, problems: Problems) -> None:
    if record.data is None:
        return
    if not isinstance(record.data, dict):
        problems.error(
            record.at(), "speakers.yaml must map each speaker id to its details, e.g. 'harsha:'"
        )
        return
    for speaker_id, value in record.data.items():
        where = Location(record.path, record.key_line(speaker_id))
        if not valid_id(speaker_id):
            problems.error(
                where,
                f"speaker id '{speaker_id}' must be lowercase letters, digits and hyphens, "
                f"e.g. '{slugify(speaker_id)}'",
            )
            continue
        if isinstance(value, str):
            value = {"name": value}
        if not isinstance(value, dict):
            problems.error(where, f"speaker '{speaker_id}' must be a mapping with at least 'name:'")
            continue
        fields = Fields(record, problems, (speaker_id,), value, what=f"speaker '{speaker_id}'")
        fields.check_keys(SPEAKER_KEYS)
        bio = fields.text("bio")
        bio_html = ""
        if bio:
            owner = ("speaker", speaker_id)
            bio_html = _value_markdown(loaded, problems, owner, bio, record, speaker_id, "bio").html
        loaded.speakers[speaker_id] = Speaker(
            id=speaker_id,
            name=fields.text("name", speaker_id, required=True),
            affiliation=fields.text("affiliation"),
            bio_html=bio_html,
            links=_links(fields),
            avatar=_avatar(fields, loaded),
            source=where,
        )


def _avatar(fields: Fields, loaded: Loaded) -> str | None:
    """A picture in static/, by its path there; anything else would be a broken image."""
    avatar = fields.text("avatar")
    if not avatar:
        return None
    if f"static/{avatar}" not in loaded.assets:
        fields.error(
            "avatar",
            f"'avatar' is '{avatar}', which is not a file in static/; put the picture at "
            "static/speakers/<id>.jpg and write 'avatar: speakers/<id>.jpg'",
        )
        return None
    return avatar


def _links(fields: Fields) -> tuple[Link, ...]:
    links = fields.mapping("links")
    if links is None:
        return ()
    result = []
    for label in links.data:
        url = links.url(label)
        if url:
            result.append(Link(label=label, url=url))
    return tuple(result)


def load_reading_list(record: Record, loaded: Loaded, problems: Problems) -> None:
    slug = page_slug(record.path)
    if not isinstance(record.data, dict):
        problems.error(
            record.at(), "a reading list must be a mapping with 'title:' and 'sections:'"
        )
        return
    fields = Fields(record, problems, what="the reading list")
    fields.check_keys(LIST_KEYS)
    description = fields.text("description")
    description_html = ""
    if description:
        owner = ("list", slug)
        description_html = _value_markdown(
            loaded, problems, owner, description, record, "description"
        ).html
    sections = []
    for number, section in enumerate(fields.mappings("sections")):
        section.check_keys(SECTION_KEYS)
        papers = []
        for item_index, item in enumerate(section.data.get("items") or []):
            at = (*section.at, "items", item_index)
            paper_id = _list_item(record, loaded, problems, at, item, slug)
            if paper_id:
                papers.append(paper_id)
        if "items" in section.data and not isinstance(section.data["items"], list):
            section.error("items", "'items' must be a list of papers, posts or links")
        section_html = ""
        section_text = section.text("description")
        if section_text:
            owner = ("section", f"{slug}/{number}")
            section_html = _value_markdown(
                loaded, problems, owner, section_text, record, "sections", number, "description"
            ).html
        sections.append(
            Section(
                title=section.text("title", f"Section {number + 1}", required=True),
                description_html=section_html,
                papers=tuple(papers),
            )
        )
    loaded.lists[slug] = ReadingList(
        slug=slug,
        title=fields.text("title", slug, required=True),
        description_html=description_html,
        sections=tuple(sections),
        source=Location(record.path, 1),
    )
    loaded.files[record.path] = ("list", slug)


def _list_item(
    record: Record,
    loaded: Loaded,
    problems: Problems,
    at: tuple[str | int, ...],
    item: Any,
    list_slug: str,
) -> str | None:
    where = record.at(*at)
    if isinstance(item, str):
        # A bare reference to a paper described elsewhere or known by identifier only.
        ref = item.strip()
        bad = check_paper_ref(ref)
        if bad:
            problems.error(where, bad)
            return None
        loaded.pending.append(Pending("paper", ref, where, "items"))
        return ref
    if not isinstance(item, dict):
        problems.error(where, "an item must be a mapping with at least 'title:'")
        return None
    fields = Fields(record, problems, at, item, what="the item")
    fields.check_keys(ITEM_KEYS)
    title = fields.text("title", required=True)
    arxiv = fields.text("arxiv") or None
    doi = fields.text("doi") or None
    if arxiv and check_paper_ref(f"arxiv:{arxiv}"):
        fields.error("arxiv", check_paper_ref(f"arxiv:{arxiv}") or "")
        arxiv = None
    if doi and check_paper_ref(f"doi:{doi}"):
        fields.error("doi", check_paper_ref(f"doi:{doi}") or "")
        doi = None
    paper_id = fields.text("id") or (
        paper_key(f"arxiv:{arxiv}") if arxiv else paper_key(f"doi:{doi}") if doi else slugify(title)
    )
    if fields.has("id") and not valid_id(paper_id):
        fields.error("id", f"item id '{paper_id}' must be lowercase letters, digits and hyphens")
    year = fields.integer("year", None, minimum=1000, maximum=9999)
    authors = [name for name, _ in fields.text_list("authors")]
    topics = [name for name, _ in fields.text_list("topics")]
    notes = fields.text("notes")
    paper = Paper(
        id=paper_id,
        title=title or paper_id,
        authors=tuple(authors),
        year=year,
        arxiv=re.sub(r"v\d+$", "", arxiv) if arxiv else None,
        doi=doi,
        url=fields.url("url"),
        kind=fields.choice("kind", RESOURCE_KINDS, "paper"),
        tldr=fields.text("tldr"),
        topics=tuple(topics),
        source=where,
    )
    keys = [paper_id]
    keys += [paper_key(f"arxiv:{arxiv}")] if arxiv else []
    keys += [paper_key(f"doi:{doi}")] if doi else []
    for key in keys:
        owner = loaded.paper_aliases.get(key)
        if owner is not None:
            problems.error(
                where,
                f"paper '{key}' is already described at {loaded.papers[owner].source}; describe "
                f"it once and list it here by its id: - {owner}",
            )
            return None
    if notes:  # only now: the notes of a paper refused above must not become its page's
        doc = ("paper", paper_id)
        html = _value_markdown(loaded, problems, doc, notes, record, *at, "notes").html
        paper = dataclasses.replace(paper, notes_html=html)
    for key in keys:
        loaded.paper_aliases[key] = paper_id
    loaded.papers[paper_id] = paper
    return paper_id


def load_proposal(record: Record, loaded: Loaded, problems: Problems) -> None:
    slug = page_slug(record.path)
    fields = Fields(record, problems, what="the proposal's front matter")
    fields.check_keys(PROPOSAL_KEYS)
    for speaker_id, line in fields.text_list("proposed_by"):
        loaded.pending.append(
            Pending("speaker", speaker_id, Location(record.path, line), "proposed_by")
        )
    session = fields.text("session") or None
    if session:
        loaded.pending.append(Pending("session", session, record.at("session"), "session"))
    body = markdown(
        loaded, problems, ("proposal", slug), record.body, record.path, record.body_line
    )
    status = fields.choice("status", PROPOSAL_STATUSES, "open")
    if status in ("scheduled", "presented") and not session:
        fields.warning(
            "status", f"a {status} proposal should name its session with 'session: <session>'"
        )
    loaded.proposals[slug] = Proposal(
        slug=slug,
        title=fields.text("title", slug, required=True),
        proposed_by=tuple(s for s, _ in fields.text_list("proposed_by")),
        date=fields.date("date"),
        status=status,
        votes=fields.integer("votes", None),
        topics=tuple(t for t, _ in fields.text_list("topics")),
        session=session,
        tldr=fields.text("tldr"),
        **body_fields("proposal", body),
        source=Location(record.path, 1),
    )
    loaded.files[record.path] = ("proposal", slug)


def load_page(record: Record, loaded: Loaded, problems: Problems) -> None:
    slug = page_slug(record.path)
    fields = Fields(record, problems, what="the page's front matter")
    fields.check_keys(PAGE_KEYS)
    body = markdown(loaded, problems, ("page", slug), record.body, record.path, record.body_line)
    loaded.pages[slug] = Page(
        slug=slug,
        title=fields.text("title", slug, required=True),
        description=fields.text("description"),
        **body_fields("page", body),
        source=Location(record.path, 1),
    )
    loaded.files[record.path] = ("page", slug)
