"""``content/reading-lists/<slug>.yaml``: a reading list's sections and the papers in them."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from rgsite.errors import Location
from rgsite.model import READING_STATUSES, RESOURCE_KINDS, Kind, Paper, ReadingList, Section
from rgsite.papers.addresses import address_id, short_address
from rgsite.papers.ids import check_paper_ref, paper_key
from rgsite.read.decode import Record
from rgsite.read.discover import page_slug
from rgsite.read.fields import Fields, slugify, valid_id
from rgsite.read.loaded import Context, Loading

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
    "status",
)


def load_reading_list(record: Record, context: Context) -> Loading:
    """A reading list: its sections and the papers it describes."""
    slug = page_slug(record.path)
    loading = Loading(record.path)
    problems = loading.problems
    if not isinstance(record.data, dict):
        problems.error(
            record.at(), "a reading list must be a mapping with 'title:' and 'sections:'"
        )
        return loading
    fields = Fields(record, problems, what="the reading list")
    fields.check_keys(LIST_KEYS)
    description = fields.text("description")
    description_html = ""
    if description:
        owner = (Kind.LIST, slug)
        description_html = loading.render_value(
            context, owner, description, record, "description"
        ).html
    sections = []
    for number, section in enumerate(fields.mappings("sections")):
        section.check_keys(SECTION_KEYS)
        papers = []
        for item_index, item in enumerate(section.data.get("items") or []):
            at = (*section.at, "items", item_index)
            paper_id = _list_item(record, context, loading, at, item)
            if paper_id:
                papers.append(paper_id)
        if "items" in section.data and not isinstance(section.data["items"], list):
            section.error("items", "'items' must be a list of papers, posts or links")
        section_html = ""
        section_text = section.text("description")
        if section_text:
            owner = (Kind.SECTION, f"{slug}/{number}")
            section_html = loading.render_value(
                context, owner, section_text, record, "sections", number, "description"
            ).html
        sections.append(
            Section(
                title=section.text("title", f"Section {number + 1}", required=True),
                description_html=section_html,
                papers=tuple(papers),
            )
        )
    loading.model = ReadingList(
        slug=slug,
        title=fields.text("title", slug, required=True),
        description_html=description_html,
        sections=tuple(sections),
        source=Location(record.path, 1),
    )
    loading.defines = (Kind.LIST, slug)
    return loading


def _list_item(
    record: Record, context: Context, loading: Loading, at: tuple[str | int, ...], item: Any
) -> str | None:
    problems = loading.problems
    where = record.at(*at)
    if isinstance(item, str):
        # A bare reference to a paper described elsewhere or known by identifier only.
        ref = item.strip()
        bad = check_paper_ref(ref)
        if bad:
            problems.error(where, bad)
            return None
        loading.refer(Kind.PAPER, ref, where, "items")
        return ref
    if not isinstance(item, dict):
        problems.error(where, "an item must be a mapping with at least 'title:'")
        return None
    fields = Fields(record, problems, at, item, what="the item")
    fields.check_keys(ITEM_KEYS)
    arxiv = fields.text("arxiv") or None
    doi = fields.text("doi") or None
    if arxiv and check_paper_ref(f"arxiv:{arxiv}"):
        fields.error("arxiv", check_paper_ref(f"arxiv:{arxiv}") or "")
        arxiv = None
    if doi and check_paper_ref(f"doi:{doi}"):
        fields.error("doi", check_paper_ref(f"doi:{doi}") or "")
        doi = None
    url = fields.url("url")
    # An item known by an identifier or an address may wait for its title; one with
    # neither would have nothing to be shown by.
    identified = any(fields.has(key) for key in ("arxiv", "doi", "url"))
    if not identified and not fields.has("title"):
        fields.error(None, "'title' is required when the item has no arxiv, doi or url")
    title = fields.text("title", required=not identified and fields.has("title"))
    paper_id = fields.text("id") or _derived_id(title, arxiv, doi, url)
    if fields.has("id") and not valid_id(paper_id):
        fields.error("id", f"item id '{paper_id}' must be lowercase letters, digits and hyphens")
    year = fields.integer("year", None, minimum=1000, maximum=9999)
    authors = [name for name, _ in fields.text_list("authors")]
    topics = [name for name, _ in fields.text_list("topics")]
    notes = fields.text("notes")
    arxiv = re.sub(r"v\d+$", "", arxiv) if arxiv else None
    paper = Paper(
        id=paper_id,
        title=title or _stand_in(arxiv, doi, url) or paper_id,
        authors=tuple(authors),
        year=year,
        arxiv=arxiv,
        doi=doi,
        url=url,
        kind=fields.choice("kind", RESOURCE_KINDS, "paper"),
        tldr=fields.text("tldr"),
        topics=tuple(topics),
        source=where,
        titled=bool(title),
        status=fields.choice("status", READING_STATUSES, "queued")
        if fields.has("status")
        else None,
    )
    keys = [paper_id]
    keys += [paper_key(f"arxiv:{arxiv}")] if arxiv else []
    keys += [paper_key(f"doi:{doi}")] if doi else []
    for key in keys:
        owner = loading.paper_aliases.get(key) or context.paper_aliases.get(key)
        if owner is not None:
            first = loading.papers.get(owner) or context.papers[owner]
            problems.error(
                where,
                f"paper '{key}' is already described at {first.source}; describe "
                f"it once and list it here by its id: - {owner}",
            )
            return None
    if notes:  # only now: the notes of a paper refused above must not become its page's
        doc = (Kind.PAPER, paper_id)
        html = loading.render_value(context, doc, notes, record, *at, "notes").html
        paper = dataclasses.replace(paper, notes_html=html)
    for key in keys:
        loading.paper_aliases[key] = paper_id
    # A session may cite the item by its address; two items may share one (a course's
    # page, say), and the first keeps it.
    if url and url not in loading.paper_aliases and url not in context.paper_aliases:
        loading.paper_aliases[url] = paper_id
    loading.papers[paper_id] = paper
    return paper_id


def _derived_id(title: str, arxiv: str | None, doi: str | None, url: str | None) -> str:
    """An item's id when it names none: its identifier, else a slug of its title, else
    of its address."""
    if arxiv:
        return paper_key(f"arxiv:{arxiv}")
    if doi:
        return paper_key(f"doi:{doi}")
    return address_id(url) if url and not title else slugify(title)


def _stand_in(arxiv: str | None, doi: str | None, url: str | None) -> str:
    """What an item without a title is shown by until one is fetched or written."""
    if arxiv:
        return f"arXiv:{arxiv}"
    if doi:
        return f"doi:{doi}"
    return short_address(url) if url else ""
