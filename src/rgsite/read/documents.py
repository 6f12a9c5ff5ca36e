"""Proposals and free pages: front matter and a Markdown body."""

from __future__ import annotations

from rgsite.errors import Location
from rgsite.model import PROPOSAL_STATUSES, Kind, Page, Proposal
from rgsite.read.aliases import read_aliases
from rgsite.read.decode import Record
from rgsite.read.discover import page_slug
from rgsite.read.fields import Fields
from rgsite.read.loaded import Context, Loading, body_fields

PROPOSAL_KEYS = (
    "title",
    "proposed_by",
    "date",
    "status",
    "votes",
    "topics",
    "session",
    "tldr",
    "aliases",
)
PAGE_KEYS = ("title", "description", "aliases")


def load_proposal(record: Record, context: Context) -> Loading:
    slug = page_slug(record.path)
    loading = Loading(record.path, defines=(Kind.PROPOSAL, slug))
    fields = Fields(record, loading.problems, what="the proposal's front matter")
    fields.check_keys(PROPOSAL_KEYS)
    for speaker_id, line in fields.text_list("proposed_by"):
        loading.refer(Kind.SPEAKER, speaker_id, Location(record.path, line), "proposed_by")
    session = fields.text("session") or None
    if session:
        loading.refer(Kind.SESSION, session, record.at("session"), "session")
    body = loading.render(context, (Kind.PROPOSAL, slug), record.body, record.body_line)
    status = fields.choice("status", PROPOSAL_STATUSES, "open")
    if status in ("scheduled", "presented") and not session:
        fields.warning(
            "status", f"a {status} proposal should name its session with 'session: <session>'"
        )
    loading.model = Proposal(
        slug=slug,
        title=fields.text("title", slug, required=True),
        proposed_by=tuple(s for s, _ in fields.text_list("proposed_by")),
        date=fields.date("date"),
        status=status,
        votes=fields.integer("votes", None),
        topics=tuple(t for t, _ in fields.text_list("topics")),
        session=session,
        tldr=fields.text("tldr"),
        **body_fields(Kind.PROPOSAL, body),
        aliases=read_aliases(fields),
        source=Location(record.path, 1),
    )
    return loading


def load_page(record: Record, context: Context) -> Loading:
    slug = page_slug(record.path)
    loading = Loading(record.path, defines=(Kind.PAGE, slug))
    fields = Fields(record, loading.problems, what="the page's front matter")
    fields.check_keys(PAGE_KEYS)
    body = loading.render(context, (Kind.PAGE, slug), record.body, record.body_line)
    loading.model = Page(
        slug=slug,
        title=fields.text("title", slug, required=True),
        description=fields.text("description"),
        **body_fields(Kind.PAGE, body),
        aliases=read_aliases(fields),
        source=Location(record.path, 1),
    )
    return loading
