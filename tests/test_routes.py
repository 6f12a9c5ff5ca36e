"""The URL scheme (:mod:`rgsite.routes`): every URL a page or file is published at, the
template each page uses, and the input keys that tell a rebuild which pages a change
touches."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from rgsite.errors import Location, Problems
from rgsite.model import Site
from rgsite.options import Options
from rgsite.read.archive import read_site
from rgsite.routes import (
    Route,
    asset_url,
    collisions,
    event_url,
    list_bib_url,
    paper_anchor,
    paper_bib_url,
    past_by_year,
    site_routes,
    url_of,
    year_url,
)
from sitekit import write_site

NOW = datetime(2023, 2, 1, tzinfo=UTC)

THIRD = {
    # after the two sessions of the minimal site, so "engines" sits between two others
    "content/sessions/2023-02-18-kernels.md": (
        "---\ntitle: Kernels\nspeakers: [ada]\ntopics: [kernels]\nseries: Foundations\n"
        "proposal: more-tickets\n---\nKernels, as [[speaker:alan]] asked.\n"
    ),
}


def read(root: Path, changes: dict[str, str | None] | None = None, **options: object) -> Site:
    site = write_site(root, changes=changes)
    problems = Problems()
    found = read_site(site, problems, Options(site=site, cache=False, now=NOW, **options))  # type: ignore[arg-type]
    assert not problems.items, problems.items
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return read(tmp_path_factory.mktemp("routes"), THIRD)


@pytest.fixture(scope="module")
def pages(site: Site) -> dict[str, Route]:
    return {route.url: route for route in site_routes(site)}


# -- URLs of single things -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "ident", "url"),
    [
        ("session", "2023-01-21-tickets", "sessions/2023-01-21-tickets/"),
        ("speaker", "ada", "speakers/ada/"),
        ("proposal", "more-tickets", "proposals/more-tickets/"),
        ("list", "foundations", "reading/foundations/"),
        ("page", "about", "about/"),
        ("topic", "sparsity", "topics/sparsity/"),
        ("series", "foundations", "series/foundations/"),
        ("paper", "lottery-ticket", "papers/#paper-lottery-ticket"),
    ],
)
def test_every_kind_of_model_has_its_own_place(kind: str, ident: str, url: str) -> None:
    assert url_of(kind, ident) == url


def test_a_kind_without_pages_has_no_url() -> None:
    with pytest.raises(ValueError, match="no page for section"):
        url_of("section", "foundations/0")


def test_a_paper_id_with_a_scheme_gives_an_anchor_and_a_bib_file_of_one_slug() -> None:
    anchor = paper_anchor("arXiv:2206.11124")
    assert anchor == "paper-arxiv-2206-11124"
    assert url_of("paper", "arXiv:2206.11124") == f"papers/#{anchor}"
    # the .bib beside the papers page is named like the paper's anchor
    assert paper_bib_url("arXiv:2206.11124") == "papers/arxiv-2206-11124.bib"
    assert paper_anchor("doi:10.1000/XYZ.1") == "paper-doi-10-1000-xyz-1"


def test_a_reading_lists_bib_file_sits_beside_its_page() -> None:
    assert list_bib_url("foundations") == "reading/foundations.bib"
    assert url_of("list", "foundations") == "reading/foundations/"


def test_a_sessions_calendar_event_is_inside_its_page_folder(site: Site) -> None:
    for session in site.sessions.values():
        assert event_url(session) == f"sessions/{session.slug}/event.ics"
        assert event_url(session).startswith(url_of("session", session.slug))


ASSETS = {
    "static/img/logo.png",
    "static/slides/deck.pdf",
    "content/sessions/2023-01-21-tickets/slides.pdf",
    "content/sessions/2023-01-21-tickets/figures/loss.svg",
    "content/pages/photo.jpg",
}


@pytest.mark.parametrize(
    ("target", "url"),
    [
        ("static/img/logo.png", "img/logo.png"),
        ("static/slides/deck.pdf", "slides/deck.pdf"),
        (
            "content/sessions/2023-01-21-tickets/slides.pdf",
            "sessions/2023-01-21-tickets/slides.pdf",
        ),
        (
            "content/sessions/2023-01-21-tickets/figures/loss.svg",
            "sessions/2023-01-21-tickets/figures/loss.svg",
        ),
    ],
)
def test_a_static_file_is_published_at_the_root_and_an_attachment_beside_its_session(
    target: str, url: str
) -> None:
    assert asset_url(target, ASSETS) == url


@pytest.mark.parametrize(
    "target",
    [
        "static/img/missing.png",  # not a file of the site
        "content/sessions/2023-01-21-tickets/notes.pdf",  # an attachment that is not there
        "content/pages/photo.jpg",  # a file of the site, but not one that is published
    ],
)
def test_a_file_that_is_not_published_has_no_url(target: str) -> None:
    assert asset_url(target, ASSETS) is None


def test_an_attachment_is_published_in_its_sessions_page_folder() -> None:
    url = asset_url("content/sessions/2023-01-21-tickets/slides.pdf", ASSETS)
    assert url is not None and url.startswith(url_of("session", "2023-01-21-tickets"))


# -- the pages of a site -------------------------------------------------------------------


def test_every_model_with_a_page_gets_one_route_at_its_url(
    site: Site, pages: dict[str, Route]
) -> None:
    routes = site_routes(site)
    assert len(routes) == len(pages), "two routes share a URL"
    expected = (
        {url_of("session", slug) for slug in site.sessions}
        | {url_of("speaker", ident) for ident in site.speakers}
        | {url_of("proposal", slug) for slug in site.proposals}
        | {url_of("list", slug) for slug in site.lists}
        | {url_of("page", slug) for slug in site.pages}
        | {url_of("topic", slug) for slug in site.topics}
        | {url_of("series", slug) for slug in site.series}
        | {year_url(year) for year in past_by_year(site)}
    )
    assert expected <= pages.keys()
    indexes = {"", "sessions/", "speakers/", "topics/", "series/", "proposals/", "reading/"}
    assert indexes | {"papers/", "search/", "404.html"} <= pages.keys()
    assert len(pages) == len(expected) + len(indexes) + 3
    assert "topics/kernels/" in pages and "series/foundations/" in pages


@pytest.mark.parametrize(
    ("url", "template", "output"),
    [
        ("", "home.html", "index.html"),
        ("sessions/", "sessions.html", "sessions/index.html"),
        ("speakers/", "speakers.html", "speakers/index.html"),
        ("topics/", "topics.html", "topics/index.html"),
        ("series/", "series-index.html", "series/index.html"),
        ("proposals/", "proposals.html", "proposals/index.html"),
        ("reading/", "reading.html", "reading/index.html"),
        ("papers/", "papers.html", "papers/index.html"),
        ("search/", "search.html", "search/index.html"),
        ("404.html", "404.html", "404.html"),
        ("sessions/year/2023/", "sessions-year.html", "sessions/year/2023/index.html"),
        ("sessions/2023-02-04-engines/", "session.html", "sessions/2023-02-04-engines/index.html"),
        ("speakers/ada/", "speaker.html", "speakers/ada/index.html"),
        ("topics/sparsity/", "topic.html", "topics/sparsity/index.html"),
        ("series/foundations/", "series.html", "series/foundations/index.html"),
        ("proposals/more-tickets/", "proposal.html", "proposals/more-tickets/index.html"),
        ("reading/foundations/", "reading-list.html", "reading/foundations/index.html"),
        ("about/", "page.html", "about/index.html"),
    ],
)
def test_each_page_has_its_template_and_output_file(
    pages: dict[str, Route], url: str, template: str, output: str
) -> None:
    assert pages[url].template == template
    assert pages[url].output == output


def test_a_page_made_from_a_file_names_that_file_and_built_in_pages_name_none(
    site: Site, pages: dict[str, Route]
) -> None:
    session = site.sessions["2023-02-04-engines"]
    assert pages["sessions/2023-02-04-engines/"].sources == (session.source,)
    assert pages["sessions/2023-02-04-engines/"].sources[0].path.endswith("2023-02-04-engines.md")
    assert pages["speakers/alan/"].sources[0].path == "content/speakers.yaml"
    assert pages["about/"].sources[0].path == "content/pages/about.md"
    assert pages["reading/foundations/"].sources[0].path == "content/reading-lists/foundations.yaml"
    for built_in in ("", "sessions/", "topics/sparsity/", "404.html"):
        assert pages[built_in].sources == ()


def test_a_session_page_is_given_the_session_and_its_neighbours(
    site: Site, pages: dict[str, Route]
) -> None:
    context = pages["sessions/2023-02-04-engines/"].context
    assert context["session"] is site.sessions["2023-02-04-engines"]
    assert context["previous"].slug == "2023-01-21-tickets"
    assert context["next"].slug == "2023-02-18-kernels"
    first = pages["sessions/2023-01-21-tickets/"].context
    assert first["previous"] is None and first["next"].slug == "2023-02-04-engines"


def test_a_session_page_reads_itself_its_neighbours_and_what_it_names(
    pages: dict[str, Route],
) -> None:
    middle = pages["sessions/2023-02-04-engines/"].inputs
    assert {"session:2023-02-04-engines", "speaker:alan", "paper:arxiv:2206.11124"} <= middle
    # the titles of the sessions before and after are shown
    assert {"session:2023-01-21-tickets", "session:2023-02-18-kernels"} <= middle
    assert "speaker:ada" not in middle  # no speaker of this session, nor linked from it

    last = pages["sessions/2023-02-18-kernels/"].inputs
    assert {"session:2023-02-18-kernels", "session:2023-02-04-engines"} <= last
    assert "session:2023-01-21-tickets" not in last  # two sessions away
    assert {"speaker:ada", "proposal:more-tickets", "topics:*", "series:*"} <= last
    assert "speaker:alan" in last  # named only in its text, as [[speaker:alan]]


def test_a_session_page_reads_what_its_text_links_to(pages: dict[str, Route]) -> None:
    first = pages["sessions/2023-01-21-tickets/"].inputs
    # [[paper:lottery-ticket]] and [[speaker:alan]]: alan is not a speaker of the session
    assert {"paper:lottery-ticket", "speaker:alan", "speaker:ada"} <= first


def test_a_speaker_page_reads_the_listings_of_that_speakers_sessions_only(
    site: Site, pages: dict[str, Route]
) -> None:
    ada = pages["speakers/ada/"]
    assert ada.context["speaker"] is site.speakers["ada"]
    assert "speaker:ada" in ada.inputs
    own = {f"listed:{s.slug}" for s in site.by_speaker["ada"]}
    assert own == {"listed:2023-01-21-tickets", "listed:2023-02-18-kernels"}
    assert own <= ada.inputs
    assert "listed:2023-02-04-engines" not in ada.inputs  # alan's
    assert "proposal:more-tickets" in ada.inputs  # ada proposed it
    alan = pages["speakers/alan/"].inputs
    assert "listed:2023-02-04-engines" in alan
    assert not {"listed:2023-01-21-tickets", "proposal:more-tickets"} & alan


def test_a_topic_page_reads_the_listings_and_speakers_of_its_sessions(
    pages: dict[str, Route],
) -> None:
    sparsity = pages["topics/sparsity/"]
    assert sparsity.context["topic"].name == "sparsity"
    listed = {k for k in sparsity.inputs if k.startswith("listed:")}
    assert listed == {"listed:2023-01-21-tickets", "listed:2023-02-04-engines"}
    assert {"speaker:ada", "speaker:alan", "proposal:more-tickets"} <= sparsity.inputs
    kernels = pages["topics/kernels/"].inputs
    assert {k for k in kernels if k.startswith("listed:")} == {"listed:2023-02-18-kernels"}


def test_document_pages_read_their_own_model(site: Site, pages: dict[str, Route]) -> None:
    proposal = pages["proposals/more-tickets/"]
    assert proposal.context["proposal"] is site.proposals["more-tickets"]
    assert "proposal:more-tickets" in proposal.inputs
    reading = pages["reading/foundations/"]
    assert reading.context["list"] is site.lists["foundations"]
    assert {"list:foundations", "papers:*"} <= reading.inputs
    about = pages["about/"]
    assert about.context["page"] is site.pages["about"]
    assert about.inputs == {"page:about"}


def test_pages_that_show_no_content_read_nothing(pages: dict[str, Route]) -> None:
    assert pages["404.html"].inputs == set()
    assert pages["search/"].inputs == set()


def test_the_home_page_reads_every_collection_and_of_sessions_those_it_shows(
    pages: dict[str, Route],
) -> None:
    inputs = pages[""].inputs
    assert {"indexes:*", "speakers:*", "papers:*", "proposals:*", "lists:*"} <= inputs
    # on February 1: engines is next, shown whole; tickets is the latest recap
    assert {"session:2023-02-04-engines", "listed:2023-01-21-tickets"} <= inputs
    assert "sessions:*" not in inputs  # another session's new title leaves it as it is


def test_a_page_that_links_to_a_session_reads_it(tmp_path: Path) -> None:
    text = "---\ntitle: About\n---\nStart at [[session:2023-01-21-tickets]].\n"
    site = read(tmp_path, {"content/pages/about.md": text})
    about = {r.url: r for r in site_routes(site)}["about/"]
    assert about.inputs == {"page:about", "session:2023-01-21-tickets"}


def test_a_draft_gets_a_page_only_when_drafts_are_built(tmp_path: Path) -> None:
    draft = {"content/sessions/2023-03-04-draft.md": "---\ntitle: Soon\ndraft: true\n---\nSoon.\n"}
    published = read(tmp_path / "a", draft)
    assert "sessions/2023-03-04-draft/" not in {r.url for r in site_routes(published)}
    drafted = read(tmp_path / "b", draft, drafts=True)
    assert "sessions/2023-03-04-draft/" in {r.url for r in site_routes(drafted)}


# -- two claims on one URL -----------------------------------------------------------------

ABOUT = Location("content/pages/about.md", 1)
SESSIONS = Location("content/pages/sessions.md", 1)


def test_one_claim_per_url_is_no_problem() -> None:
    claims = {"about/index.html": [ABOUT], "sessions/index.html": [SESSIONS]}
    assert collisions(claims) == []


def test_two_files_on_one_url_are_each_told_of_both() -> None:
    other = Location("content/pages/about/index.md", 1)
    problems = collisions({"about/index.html": [ABOUT, other]})
    assert sorted(p.location for p in problems) == sorted([ABOUT, other])
    for problem in problems:
        assert problem.severity == "error"
        assert "/about/index.html" in problem.message
        assert str(ABOUT) in problem.message and str(other) in problem.message
        assert "rename all but one" in problem.message


def test_urls_that_differ_only_in_case_collide() -> None:
    upper = Location("content/pages/About.md", 1)
    problems = collisions({"about/index.html": [ABOUT], "About/index.html": [upper]})
    assert sorted(p.location for p in problems) == sorted([ABOUT, upper])
    assert any("/About/index.html" in p.message for p in problems)
    assert any("/about/index.html" in p.message for p in problems)


def test_a_clash_with_a_built_in_page_is_reported_at_the_sites_file_only() -> None:
    built_in = Location("the built-in page sessions.html")
    problems = collisions({"sessions/index.html": [built_in, SESSIONS]})
    assert [p.location for p in problems] == [SESSIONS]
    assert "the built-in page sessions.html" in problems[0].message


def test_a_clash_of_two_pages_is_not_reported_again_for_the_files_beside_them() -> None:
    one = Location("content/sessions/2023-01-21-x.md", 1)
    two = Location("content/sessions/2023-01-21-x/index.md", 1)
    problems = collisions(
        {
            "sessions/2023-01-21-x/index.html": [one, two],
            "sessions/2023-01-21-x/event.ics": [one, two],
        }
    )
    assert sorted(p.location for p in problems) == sorted([one, two])
    assert all("index.html" in p.message for p in problems)


def test_three_claims_are_all_named() -> None:
    a, b, c = (Location(f"content/pages/{n}.md", 1) for n in ("a", "b", "c"))
    problems = collisions({"x/index.html": [a, b, c]})
    assert len(problems) == 3
    assert all(p.message.startswith("3 pages would be published") for p in problems)


def test_a_reading_list_and_a_proposal_read_only_the_sessions_they_show(
    pages: dict[str, Route],
) -> None:
    listed = {key for key in pages["reading/foundations/"].inputs if key.startswith("listed:")}
    assert listed == {"listed:2023-01-21-tickets"}  # the one session on its paper
    assert "sessions:*" not in pages["reading/foundations/"].inputs
    assert "sessions:*" not in pages["proposals/more-tickets/"].inputs
