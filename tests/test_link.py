"""Linking (:mod:`rgsite.link`), through :func:`~rgsite.read.archive.read_site`: every id a
file names is checked where it is written, links in Markdown get their target's URL and
title, and the indexes pages read hold what they should."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from rgsite.errors import Location, Problem, Problems
from rgsite.model import Site
from rgsite.options import Options
from rgsite.read.archive import read_site
from sitekit import MINIMAL, write_site

NOW = datetime(2023, 2, 1, tzinfo=UTC)
TICKETS = "content/sessions/2023-01-21-tickets.md"
ENGINES = "content/sessions/2023-02-04-engines.md"
PROPOSAL = "content/proposals/more-tickets.md"


def read(
    root: Path, changes: dict[str, str | None] | None = None, **options: object
) -> tuple[Site, list[Problem]]:
    site = write_site(root, changes=changes)
    problems = Problems()
    settings: dict[str, object] = {"cache": False, "now": NOW, **options}
    found = read_site(site, problems, Options(site=site, **settings))  # type: ignore[arg-type]
    return found, problems.items


def read_clean(root: Path, changes: dict[str, str | None] | None = None, **options: object) -> Site:
    site, problems = read(root, changes, **options)
    assert not problems, problems
    return site


def session(front: str, body: str = "Text.\n") -> str:
    return f"---\n{front}---\n{body}"


def errors_at(problems: list[Problem], path: str) -> list[tuple[int, str]]:
    """The problems reported in ``path``, as (line, message), by line."""
    return sorted((p.location.line or 0, p.message) for p in problems if p.location.path == path)


@pytest.fixture(scope="module")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return read_clean(tmp_path_factory.mktemp("minimal"))


# -- ids that name nothing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        (
            "title: T\nspeakers: [ada, adaa]\n",
            3,
            "unknown speaker 'adaa' (did you mean 'ada'?)",
        ),
        (
            "title: T\nspeakers:\n  - alan\n  - zed\n",
            5,
            "unknown speaker 'zed'; add them to content/speakers.yaml",
        ),
        (
            "title: T\nproposal: more-tikets\n",
            3,
            "unknown proposal 'more-tikets' (did you mean 'more-tickets'?)",
        ),
        (
            "title: T\npapers: [lottery-tiket]\n",
            3,
            "unknown paper 'lottery-tiket' (did you mean 'lottery-ticket'?)",
        ),
        (
            "title: T\npapers: [nonesuch]\n",
            3,
            "unknown paper 'nonesuch'; describe it in a reading list, or cite it as arxiv:ID "
            "or doi:ID",
        ),
    ],
)
def test_an_unknown_id_in_a_session_is_reported_on_its_line_with_a_hint(
    tmp_path: Path, front: str, line: int, message: str
) -> None:
    rel = "content/sessions/2023-03-04-new.md"
    _, problems = read(tmp_path, {rel: session(front)})
    assert errors_at(problems, rel) == [(line, message)]
    assert all(p.severity == "error" for p in problems)


def test_a_proposal_naming_unknown_speakers_and_sessions_is_told_which_it_meant(
    tmp_path: Path,
) -> None:
    text = session(
        "title: More tickets\nproposed_by: [alna]\nsession: 2023-01-21-tikets\nstatus: scheduled\n"
    )
    _, problems = read(tmp_path, {PROPOSAL: text})
    assert errors_at(problems, PROPOSAL) == [
        (3, "unknown speaker 'alna' (did you mean 'alan'?)"),
        (4, "unknown session '2023-01-21-tikets' (did you mean '2023-01-21-tickets'?)"),
    ]


def test_a_reading_list_naming_an_unknown_paper_is_reported_at_the_item(tmp_path: Path) -> None:
    rel = "content/reading-lists/more.yaml"
    text = "title: More\nsections:\n  - title: S\n    items:\n      - lottery-tickt\n"
    _, problems = read(tmp_path, {rel: text})
    assert errors_at(problems, rel) == [
        (5, "unknown paper 'lottery-tickt' (did you mean 'lottery-ticket'?)")
    ]


def test_a_broken_link_in_a_text_is_reported_on_its_own_line(tmp_path: Path) -> None:
    body = "First paragraph.\n\nWith [[speaker:alen]] and [[session:2023-01-21-tikets]].\n"
    site, problems = read(tmp_path, {ENGINES: session("title: Engines\n", body)})
    assert errors_at(problems, ENGINES) == [
        (6, "unknown session '2023-01-21-tikets' (did you mean '2023-01-21-tickets'?)"),
        (6, "unknown speaker 'alen' (did you mean 'alan'?)"),
    ]
    # every other reference of the site still resolves and is not reported
    assert [p.location.path for p in problems] == [ENGINES, ENGINES]
    assert 'class="broken-ref"' in site.sessions["2023-02-04-engines"].body_html


def test_a_link_to_a_markdown_file_that_is_no_document_says_so(tmp_path: Path) -> None:
    body = "See [notes](../notes.md).\n"
    _, problems = read(tmp_path, {ENGINES: session("title: Engines\n", body)})
    assert errors_at(problems, ENGINES) == [
        (
            4,
            "link to 'content/notes.md', which is not a session, proposal or page of this site",
        )
    ]


def test_a_link_to_a_missing_file_says_where_files_go(tmp_path: Path) -> None:
    body = "The [slides](slides.pdf).\n"
    _, problems = read(tmp_path, {ENGINES: session("title: Engines\n", body)})
    [(line, message)] = errors_at(problems, ENGINES)
    assert line == 4
    assert message.startswith("link to 'content/sessions/slides.pdf', which does not exist")
    assert "static/" in message


def test_a_session_and_a_proposal_that_name_each_other_must_agree(tmp_path: Path) -> None:
    third = "content/sessions/2023-03-04-third.md"
    changes = {
        # engines came from more-tickets, which names the third session, which came from
        # another proposal: both sides of each disagreement that can see it are told
        ENGINES: session("title: Engines\nproposal: more-tickets\n"),
        third: session("title: Third\nproposal: other\n"),
        PROPOSAL: session("title: More\nstatus: scheduled\nsession: 2023-03-04-third\n"),
        "content/proposals/other.md": session("title: Other\n"),
    }
    _, problems = read(tmp_path, changes)
    told = {p.location: p.message for p in problems}
    assert told.keys() == {Location(PROPOSAL, 4), Location(ENGINES, 3)}
    assert "that session says it came from proposal 'other'" in told[Location(PROPOSAL, 4)]
    assert "that proposal names session '2023-03-04-third'" in told[Location(ENGINES, 3)]


def test_a_session_and_a_proposal_that_point_at_each_other_are_fine(tmp_path: Path) -> None:
    changes = {
        ENGINES: session("title: Engines\nproposal: more-tickets\n"),
        PROPOSAL: session("title: More\nstatus: presented\nsession: 2023-02-04-engines\n"),
    }
    site = read_clean(tmp_path, changes)
    assert site.session_of_proposal["more-tickets"].slug == "2023-02-04-engines"


# -- links filled in -------------------------------------------------------------------------


def test_a_wiki_link_gets_the_targets_url_under_the_base_path_and_its_title(
    minimal: Site,
) -> None:
    html = minimal.sessions["2023-01-21-tickets"].body_html
    assert '<a href="/club/speakers/alan/">Alan Turing</a>' in html
    assert '<a href="/club/papers/#paper-lottery-ticket">The lottery ticket hypothesis</a>' in html
    engines = minimal.sessions["2023-02-04-engines"].body_html
    assert '<a href="/club/sessions/2023-01-21-tickets/">Lottery tickets</a>' in engines


def test_a_summary_shows_the_titles_of_what_it_links_to(minimal: Site) -> None:
    assert minimal.sessions["2023-01-21-tickets"].summary == (
        "We read The lottery ticket hypothesis with Alan Turing."
    )


@pytest.mark.parametrize(
    ("link", "html"),
    [
        ("[[proposal:more-tickets]]", '<a href="/club/proposals/more-tickets/">More tickets</a>'),
        ("[[page:about]]", '<a href="/club/about/">About</a>'),
        ("[[list:foundations]]", '<a href="/club/reading/foundations/">Foundations</a>'),
        (
            "[the proposal](../proposals/more-tickets.md)",
            '<a href="/club/proposals/more-tickets/">the proposal</a>',
        ),
        (
            "[before](2023-01-21-tickets.md#why)",
            '<a href="/club/sessions/2023-01-21-tickets/#why">before</a>',
        ),
        ("[about](../pages/about.md)", '<a href="/club/about/">about</a>'),
        (
            "[the list](../reading-lists/foundations.yaml)",
            '<a href="/club/reading/foundations/">the list</a>',
        ),
    ],
)
def test_links_to_documents_by_id_or_by_file_become_links_to_their_pages(
    tmp_path: Path, link: str, html: str
) -> None:
    site = read_clean(tmp_path, {ENGINES: session("title: Engines\n", f"See {link}.\n")})
    assert html in site.sessions["2023-02-04-engines"].body_html


def test_links_to_files_are_linked_to_their_published_copies(tmp_path: Path) -> None:
    bundle = "content/sessions/2023-03-04-bundle"
    changes = {
        f"{bundle}/index.md": session("title: Bundle\n", "[Slides](slides.pdf) and [logo](/x).\n"),
        f"{bundle}/slides.pdf": "%PDF-1.4\n",
        "static/img/logo.svg": "<svg/>",
        ENGINES: session("title: Engines\n", "![Logo](../../static/img/logo.svg)\n"),
    }
    site = read_clean(tmp_path, changes)
    bundled = site.sessions["2023-03-04-bundle"]
    assert '<a href="/club/sessions/2023-03-04-bundle/slides.pdf">Slides</a>' in bundled.body_html
    engines = site.sessions["2023-02-04-engines"]
    assert '<img alt="Logo" src="/club/img/logo.svg">' in engines.body_html


def test_what_a_text_links_to_is_recorded_for_its_page(minimal: Site) -> None:
    assert minimal.links_from[("session", "2023-01-21-tickets")] == {
        ("speaker", "alan"),
        ("paper", "lottery-ticket"),
    }
    assert minimal.links_from[("session", "2023-02-04-engines")] == {
        ("session", "2023-01-21-tickets")
    }
    assert minimal.links_from[("page", "about")] == set()


def test_a_speakers_bio_is_markdown_with_links_filled_in(tmp_path: Path) -> None:
    speakers = MINIMAL["content/speakers.yaml"].replace(
        "Writes *notes* on engines.", "Writes *notes*, with [[speaker:alan]]."
    )
    site = read_clean(tmp_path, {"content/speakers.yaml": speakers})
    bio = site.speakers["ada"].bio_html
    assert "<em>notes</em>" in bio and '<a href="/club/speakers/alan/">Alan Turing</a>' in bio
    assert site.links_from[("speaker", "ada")] == {("speaker", "alan")}


# -- papers known only by identifier ---------------------------------------------------------


def test_a_paper_cited_by_arxiv_id_alone_becomes_a_paper(minimal: Site) -> None:
    paper = minimal.papers["arxiv:2206.11124"]
    assert (paper.title, paper.arxiv, paper.doi) == ("arXiv:2206.11124", "2206.11124", None)
    assert paper.link == "https://arxiv.org/abs/2206.11124"
    assert not paper.described
    assert paper.source == Location(ENGINES, 6)
    assert minimal.sessions["2023-02-04-engines"].papers == ("arxiv:2206.11124",)


def test_a_paper_cited_by_doi_alone_becomes_a_paper(tmp_path: Path) -> None:
    text = session("title: Engines\npapers: [doi:10.1000/xyz123]\n")
    site = read_clean(tmp_path, {ENGINES: text})
    paper = site.papers["doi:10.1000/xyz123"]
    assert (paper.title, paper.doi, paper.arxiv) == ("doi:10.1000/xyz123", "10.1000/xyz123", None)
    assert paper.link == "https://doi.org/10.1000/xyz123"
    assert site.by_paper["doi:10.1000/xyz123"] == [site.sessions["2023-02-04-engines"]]


def test_a_paper_linked_by_arxiv_id_in_a_text_becomes_a_paper(tmp_path: Path) -> None:
    body = "We read [[paper:arxiv:2301.00001]].\n"
    site = read_clean(tmp_path, {ENGINES: session("title: Engines\n", body)})
    assert site.papers["arxiv:2301.00001"].title == "arXiv:2301.00001"
    html = site.sessions["2023-02-04-engines"].body_html
    assert '<a href="/club/papers/#paper-arxiv-2301-00001">arXiv:2301.00001</a>' in html


def test_an_arxiv_id_of_a_described_paper_is_that_paper(tmp_path: Path) -> None:
    text = session("title: Engines\npapers: [arxiv:1803.03635]\n")
    site = read_clean(tmp_path, {ENGINES: text})
    assert site.sessions["2023-02-04-engines"].papers == ("lottery-ticket",)
    assert "arxiv:1803.03635" not in site.papers
    assert [s.slug for s in site.by_paper["lottery-ticket"]] == [
        "2023-01-21-tickets",
        "2023-02-04-engines",
    ]


# -- indexes ---------------------------------------------------------------------------------

INDEXED = {
    "content/sessions/2023-02-18-kernels.md": session(
        "title: Kernels\nspeakers: [ada, alan]\ntopics: [Kernel Methods]\nseries: Classics\n"
        "papers: [lottery-ticket]\nproposal: more-tickets\n"
    ),
    "content/sessions/2023-03-04-later.md": session(
        "title: Later\nseries: Classics\ntopics: [sparsity]\n"
    ),
    "content/proposals/old-idea.md": session(
        "title: Old idea\nproposed_by: [alan]\ndate: 2022-12-01\ntopics: [history]\n"
    ),
}


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return read_clean(tmp_path_factory.mktemp("indexed"), INDEXED)


def slugs(sessions: list[object]) -> list[str]:
    return [s.slug for s in sessions]  # type: ignore[attr-defined]


def test_sessions_are_oldest_first(indexed: Site) -> None:
    assert list(indexed.sessions) == [
        "2023-01-21-tickets",
        "2023-02-04-engines",
        "2023-02-18-kernels",
        "2023-03-04-later",
    ]


def test_sessions_by_speaker(indexed: Site) -> None:
    assert slugs(indexed.by_speaker["ada"]) == ["2023-01-21-tickets", "2023-02-18-kernels"]
    assert slugs(indexed.by_speaker["alan"]) == ["2023-02-04-engines", "2023-02-18-kernels"]


def test_sessions_by_topic_under_the_topics_slug(indexed: Site) -> None:
    assert slugs(indexed.by_topic["sparsity"]) == [
        "2023-01-21-tickets",
        "2023-02-04-engines",
        "2023-03-04-later",
    ]
    assert slugs(indexed.by_topic["kernel-methods"]) == ["2023-02-18-kernels"]
    assert indexed.topic_of("Kernel Methods").name == "Kernel Methods"
    assert "history" in indexed.topics  # from a proposal only
    assert [t.name for t in indexed.topics.values()] == sorted(
        (t.name for t in indexed.topics.values()), key=str.lower
    )


def test_sessions_by_series_and_by_paper(indexed: Site) -> None:
    assert slugs(indexed.by_series["classics"]) == ["2023-02-18-kernels", "2023-03-04-later"]
    assert indexed.series_of("Classics").slug == "classics"
    assert slugs(indexed.by_paper["lottery-ticket"]) == ["2023-01-21-tickets", "2023-02-18-kernels"]
    assert slugs(indexed.by_paper["arxiv:2206.11124"]) == ["2023-02-04-engines"]


def test_a_proposal_knows_the_session_that_came_of_it(indexed: Site) -> None:
    assert indexed.session_of_proposal["more-tickets"].slug == "2023-02-18-kernels"
    assert "old-idea" not in indexed.session_of_proposal


def test_proposals_by_speaker_and_topic_newest_first(indexed: Site) -> None:
    assert list(indexed.proposals) == ["more-tickets", "old-idea"]
    assert [p.slug for p in indexed.proposals_by_speaker["alan"]] == ["old-idea"]
    assert [p.slug for p in indexed.proposals_by_speaker["ada"]] == ["more-tickets"]
    assert [p.slug for p in indexed.proposals_by_topic["history"]] == ["old-idea"]


def test_reading_lists_of_a_paper(indexed: Site) -> None:
    assert [r.slug for r in indexed.lists_of_paper["lottery-ticket"]] == ["foundations"]
    assert "arxiv:2206.11124" not in indexed.lists_of_paper


def test_an_index_holds_the_linked_sessions(indexed: Site) -> None:
    # the pages of a speaker show the sessions with their links filled in
    tickets = indexed.sessions["2023-01-21-tickets"]
    assert indexed.by_speaker["ada"][0] is tickets
    assert "/club/speakers/alan/" in tickets.body_html


# -- drafts ----------------------------------------------------------------------------------

DRAFT = "content/sessions/2023-03-04-draft.md"
DRAFTED = {
    DRAFT: session(
        "title: Draft\ndraft: true\nspeakers: [ada]\ntopics: [secret]\n",
        "Thanks to [[speaker:nobody]].\n",
    )
}


def test_a_draft_is_left_out_with_what_it_names(tmp_path: Path) -> None:
    site = read_clean(tmp_path, DRAFTED)  # its unknown speaker is no problem while left out
    assert "2023-03-04-draft" not in site.sessions
    assert slugs(site.by_speaker["ada"]) == ["2023-01-21-tickets"]
    assert "secret" not in site.by_topic
    assert ("session", "2023-03-04-draft") not in site.links_from


def test_a_draft_is_in_when_drafts_are_asked_for(tmp_path: Path) -> None:
    changes = {DRAFT: DRAFTED[DRAFT].replace("[[speaker:nobody]]", "[[speaker:alan]]")}
    site = read_clean(tmp_path, changes, drafts=True)
    assert site.sessions["2023-03-04-draft"].draft
    assert slugs(site.by_speaker["ada"]) == ["2023-01-21-tickets", "2023-03-04-draft"]
    assert slugs(site.by_topic["secret"]) == ["2023-03-04-draft"]


def test_a_link_to_a_draft_left_out_says_how_to_publish_it(tmp_path: Path) -> None:
    changes = {
        DRAFT: session("title: Draft\ndraft: true\n"),
        ENGINES: session("title: Engines\n", "Next: [[session:2023-03-04-draft]].\n"),
    }
    _, problems = read(tmp_path, changes)
    assert errors_at(problems, ENGINES) == [
        (
            4,
            "session '2023-03-04-draft' is a draft and is left out; publish it or build with "
            "--drafts",
        )
    ]
    assert not read(tmp_path / "drafts", changes, drafts=True)[1]


# -- the site's clock ------------------------------------------------------------------------

CLOCK = {
    "content/sessions/2023-02-11-off.md": session("title: Off\nstatus: cancelled\n"),
    "content/sessions/2023-02-25-on.md": session("title: On\n"),
}


@pytest.fixture(scope="module")
def clocked(tmp_path_factory: pytest.TempPathFactory) -> Site:
    # February 5: tickets and engines are past, "off" is cancelled, "on" is ahead
    now = datetime(2023, 2, 5, tzinfo=UTC)
    return read_clean(tmp_path_factory.mktemp("clock"), CLOCK, now=now)


def test_a_sessions_status_follows_the_clock(clocked: Site) -> None:
    status = {slug: clocked.status(s) for slug, s in clocked.sessions.items()}
    assert status == {
        "2023-01-21-tickets": "past",
        "2023-02-04-engines": "past",
        "2023-02-11-off": "cancelled",
        "2023-02-25-on": "upcoming",
    }
    assert slugs(clocked.past()) == ["2023-01-21-tickets", "2023-02-04-engines"]
    assert slugs(clocked.upcoming()) == ["2023-02-11-off", "2023-02-25-on"]


def test_a_session_under_way_is_still_upcoming(tmp_path: Path) -> None:
    # engines runs 15:00 to 16:00 in Edmonton (UTC-7) on February 4
    during = read_clean(tmp_path / "a", now=datetime(2023, 2, 4, 22, 30, tzinfo=UTC))
    assert during.status(during.sessions["2023-02-04-engines"]) == "upcoming"
    after = read_clean(tmp_path / "b", now=datetime(2023, 2, 4, 23, 0, tzinfo=UTC))
    assert after.status(after.sessions["2023-02-04-engines"]) == "past"


def test_the_next_session_skips_cancelled_ones(clocked: Site) -> None:
    upcoming = clocked.next_session()
    assert upcoming is not None and upcoming.slug == "2023-02-25-on"


def test_there_is_no_next_session_once_all_are_past(tmp_path: Path) -> None:
    site = read_clean(tmp_path, now=datetime(2024, 1, 1, tzinfo=UTC))
    assert site.next_session() is None
    assert site.upcoming() == []


def test_neighbours_are_the_sessions_before_and_after_cancelled_or_not(clocked: Site) -> None:
    def around(slug: str) -> tuple[str | None, str | None]:
        before, after = clocked.neighbours(clocked.sessions[slug])
        return (before.slug if before else None, after.slug if after else None)

    assert around("2023-01-21-tickets") == (None, "2023-02-04-engines")
    assert around("2023-02-04-engines") == ("2023-01-21-tickets", "2023-02-11-off")
    assert around("2023-02-11-off") == ("2023-02-04-engines", "2023-02-25-on")
    assert around("2023-02-25-on") == ("2023-02-11-off", None)
