"""Every field is checked, and every message names its file and line and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from rgsite.build.builder import build
from rgsite.errors import SiteError
from rgsite.options import Options
from sitekit import SITE_YAML, write_site


def problems(root: Path) -> list[str]:
    with pytest.raises(SiteError) as caught:
        build(Options(site=root))
    assert not (root / "_site").exists()
    return [str(p) for p in caught.value.problems]


def session(front: str, body: str = "Recap.\n") -> dict[str, str | None]:
    return {"content/sessions/2023-03-04-x.md": f"---\n{front}---\n{body}"}


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        (
            "title: X\nspeaker: [ada]\n",
            "content/sessions/2023-03-04-x.md:3: unknown key 'speaker' in the session's front "
            "matter (did you mean 'speakers'?)",
        ),
        (
            "title: X\ndate: 2023-02-30\n",
            "content/sessions/2023-03-04-x.md:3: 'date' is '2023-02-30', which is not a real date",
        ),
        (
            "title: X\ndate: 2023-03-12 02:30\n",
            "content/sessions/2023-03-04-x.md:3: 2023-03-12 02:30 does not exist in "
            "America/Edmonton: the clocks go forward then; pick a time outside the skipped hour",
        ),
        (
            "title: ''\n",
            "content/sessions/2023-03-04-x.md:2: 'title' must not be empty",
        ),
        (
            "title: X\nresources:\n  - {title: Bad, url: 'javascript:alert(1)'}\n",
            "content/sessions/2023-03-04-x.md:4: 'url' uses the scheme 'javascript:', which is "
            "not allowed; use http, https or mailto",
        ),
        (
            "title: X\nresources:\n  - {title: Slides, url: slides.pdf, kind: slides}\n",
            "content/sessions/2023-03-04-x.md:4: 'slides.pdf' is not a file in this session's "
            "folder; put the file in content/sessions/2023-03-04-x/ beside index.md",
        ),
        (
            "title: X\nresources:\n  - {title: Deck, kind: slide}\n",
            "content/sessions/2023-03-04-x.md:4: 'kind' is 'slide' (did you mean 'slides'?); "
            "use one of: paper, notes, post, video, slides, code, dataset, link",
        ),
        (
            "title: X\nduration: an hour\n",
            "content/sessions/2023-03-04-x.md:3: 'duration' must be a whole number, not text",
        ),
        (
            "title: X\nproposal: more-ticket\n",
            "content/sessions/2023-03-04-x.md:3: unknown proposal 'more-ticket' (did you mean "
            "'more-tickets'?)",
        ),
        (
            "title: X\npapers: ['arxiv:12']\n",
            "content/sessions/2023-03-04-x.md:3: 'arxiv:12' is not an arXiv id like "
            "arxiv:2206.11124 or arxiv:math/0211159",
        ),
        (
            "title: X\ndraft: maybe\n",
            "content/sessions/2023-03-04-x.md:3: 'draft' must be true or false, not 'maybe'",
        ),
    ],
)
def test_session_fields(tmp_path: Path, front: str, expected: str) -> None:
    write_site(tmp_path, changes=session(front))
    assert expected in problems(tmp_path)


def test_broken_wiki_link_names_its_body_line(tmp_path: Path) -> None:
    write_site(tmp_path, changes=session("title: X\n", "Para.\n\nSee [[list:foundation]].\n"))
    assert problems(tmp_path) == [
        "content/sessions/2023-03-04-x.md:6: unknown list 'foundation' (did you mean "
        "'foundations'?)"
    ]


def test_link_to_a_missing_content_file(tmp_path: Path) -> None:
    write_site(tmp_path, changes=session("title: X\n", "See [it](../proposals/nope.md).\n"))
    assert problems(tmp_path) == [
        "content/sessions/2023-03-04-x.md:4: link to 'content/proposals/nope.md', which is not "
        "a session, proposal or page of this site"
    ]


def test_relative_md_link_becomes_the_page_url(tmp_path: Path) -> None:
    write_site(tmp_path, changes=session("title: X\n", "See [it](../proposals/more-tickets.md).\n"))
    build(Options(site=tmp_path))
    html = (tmp_path / "_site/sessions/2023-03-04-x/index.html").read_text()
    assert '<a href="/club/proposals/more-tickets/">it</a>' in html


@pytest.mark.parametrize(
    ("yaml_change", "expected"),
    [
        (
            ("timezone: America/Edmonton", "timezone: America/Edmonten"),
            "content/site.yaml:4: unknown time zone 'America/Edmonten' (did you mean "
            "'America/Edmonton'?); use an IANA name like 'Europe/London' or 'America/Edmonton'",
        ),
        (
            ('time: "14:00"', "time: 25:00"),
            "content/site.yaml:7: 'time' is '25:00', not a time; write it as \"HH:MM\", e.g. "
            '"14:00"',
        ),
        (
            ("weekday: saturday", "weekday: saturdy"),
            "content/site.yaml:6: 'weekday' is 'saturdy' (did you mean 'saturday'?); use a day "
            "name like 'saturday'",
        ),
        (
            ("base_url: https://example.org/club/", "base_url: example.org"),
            "content/site.yaml:3: base_url 'example.org/' must be an absolute http(s) URL like "
            "https://example.org/group/ or a path like /",
        ),
        (
            ("title: Theory Club", "title: Theory Club\ncolours: dark"),
            "content/site.yaml:2: unknown key 'colours' in site.yaml; known keys: title, "
            "description, base_url, language, timezone, meeting, links, terms, kinds, math, "
            "time_format",
        ),
    ],
)
def test_site_yaml_fields(tmp_path: Path, yaml_change: tuple[str, str], expected: str) -> None:
    old, new = yaml_change
    write_site(tmp_path, changes={"content/site.yaml": SITE_YAML.replace(old, new)})
    assert expected in problems(tmp_path)


def test_unquoted_meeting_time_does_the_right_thing(tmp_path: Path) -> None:
    write_site(tmp_path, changes={"content/site.yaml": SITE_YAML.replace('"14:00"', "16:30")})
    build(Options(site=tmp_path))
    html = (tmp_path / "_site/sessions/2023-01-21-tickets/index.html").read_text()
    assert "4:30\u2009–\u20095:30\u202fPM MST" in html  # CLDR sets the dash and PM apart


def test_speakers_yaml_problems(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        changes={
            "content/speakers.yaml": "ada:\n  name: Ada\n  afiliation: X\n  links:\n"
            "    homepage: ftp://x\nalan:\n  name: Alan\nAda Two:\n  name: B\n"
        },
    )
    assert problems(tmp_path) == [
        "content/speakers.yaml:3: unknown key 'afiliation' in speaker 'ada' (did you mean "
        "'affiliation'?)",
        "content/speakers.yaml:5: 'homepage' uses the scheme 'ftp:', which is not allowed; use "
        "http, https or mailto",
        "content/speakers.yaml:8: speaker id 'Ada Two' must be lowercase letters, digits and "
        "hyphens, e.g. 'ada-two'",
    ]


def test_reading_list_item_described_twice(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        changes={
            "content/reading-lists/more.yaml": "title: More\nsections:\n  - title: S\n    items:\n"
            "      - title: LTH again\n        arxiv: '1803.03635'\n"
        },
    )
    assert problems(tmp_path) == [
        "content/reading-lists/more.yaml:5: paper 'arxiv:1803.03635' is already described at "
        "content/reading-lists/foundations.yaml:5; describe it once and list it here by its id: "
        "- lottery-ticket"
    ]


def test_a_bare_reference_in_a_list_reuses_the_paper(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        changes={
            "content/reading-lists/more.yaml": "title: More\nsections:\n  - title: S\n    items:\n"
            "      - lottery-ticket\n      - arxiv:2206.11124\n"
        },
    )
    build(Options(site=tmp_path))
    html = (tmp_path / "_site/reading/more/index.html").read_text()
    assert "The lottery ticket hypothesis" in html and "arXiv:2206.11124" in html


def test_session_bundle_without_index(tmp_path: Path) -> None:
    write_site(tmp_path, changes={"content/sessions/2023-03-04-b/slides.pdf": "x"})
    assert problems(tmp_path) == [
        "content/sessions/2023-03-04-b/slides.pdf: content/sessions/2023-03-04-b/ has files but "
        "no index.md; add index.md with the session's front matter"
    ]


def test_session_file_name_needs_a_date(tmp_path: Path) -> None:
    write_site(tmp_path, changes={"content/sessions/tickets.md": "---\ntitle: T\n---\n"})
    found = problems(tmp_path)
    assert (
        "content/sessions/tickets.md: a session file is named YYYY-MM-DD-slug (e.g. "
        "2023-01-21-tickets); rename it"
    ) in found


# -- keys of real archives: aliases, terms, roles, papers by address ---------------------

S = "content/sessions/2023-03-04-x.md"


@pytest.mark.parametrize(
    ("alias", "expected"),
    [
        (
            "https://old.example.org/2021/talk/",
            f"{S}:3: alias 'https://old.example.org/2021/talk/' is a full address; write the "
            "old address's path, e.g. /2021/talk-x/ or /blog/2021/talk.html (it is read under "
            "base_url's path)",
        ),
        (
            "2021/talk/",
            f"{S}:3: alias '2021/talk/' must start with one '/'; write the old address's path, "
            "e.g. /2021/talk-x/ or /blog/2021/talk.html",
        ),
        (
            "/talk.php?id=4",
            f"{S}:3: alias '/talk.php?id=4' has a query or a fragment (?... or #...), which a "
            "static host cannot redirect; write the path alone",
        ),
        (
            "/2021/../talk/",
            f"{S}:3: alias '/2021/../talk/' has an empty, '.' or '..' part; write the path as "
            "the browser showed it",
        ),
        (
            "/slides/talk.pdf",
            f"{S}:3: alias '/slides/talk.pdf' ends in '.pdf': a static host would serve it as a "
            "file, not a page that can redirect; only paths ending in /, .html or .htm, or with "
            "no extension, can be aliases",
        ),
        (
            "/.well-known/talk/",
            f"{S}:3: alias '/.well-known/talk/' has a part starting with '.'; hidden files are "
            "not published",
        ),
        (
            "/old talk/",
            f"{S}:3: alias '/old talk/' has spaces, backslashes or other characters a URL path "
            "cannot hold",
        ),
    ],
)
def test_alias_addresses(tmp_path: Path, alias: str, expected: str) -> None:
    write_site(tmp_path, changes=session(f"title: X\naliases: ['{alias}']\n"))
    assert problems(tmp_path) == [expected]


def test_two_claims_on_one_address_name_both_places(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        changes={
            **session("title: X\naliases:\n  - /2021/talk/\n  - /about/\n"),
            "content/proposals/old.md": "---\ntitle: Old\naliases: [/2021/talk/index.html]\n---\n",
        },
    )
    assert problems(tmp_path) == [
        "content/proposals/old.md:3: 2 pages would be published at /2021/talk/index.html: "
        f"{S}:4; content/proposals/old.md:3; an alias needs an address of its own: change or "
        "remove the alias",
        f"{S}:4: 2 pages would be published at /2021/talk/index.html: {S}:4; "
        "content/proposals/old.md:3; an alias needs an address of its own: change or remove "
        "the alias",
        f"{S}:5: 2 pages would be published at /about/index.html: content/pages/about.md:1; "
        f"{S}:5; an alias needs an address of its own: change or remove the alias",
    ]


def test_an_alias_where_a_file_or_the_search_index_is(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        changes=session("title: X\naliases:\n  - /feed.xml/old/\n  - /pagefind/old.html\n"),
    )
    assert problems(tmp_path) == [
        f"{S}:4: /feed.xml is a file of the site, not a folder, so an alias cannot be at "
        "/feed.xml/old/",
        f"{S}:5: /pagefind/ holds the search index, so an alias cannot be at /pagefind/old.html",
    ]


TERMS = "terms:\n"


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        (
            "  - {name: Fall 2022, start: 2022-09-01, end: 2022-12-15}\n"
            "  - {name: Winter 2023, start: 2022-12-01, end: 2023-04-01}\n",
            "content/site.yaml:14: term 'Winter 2023' (2022-12-01 to 2023-04-01) overlaps "
            "'Fall 2022' (2022-09-01 to 2022-12-15) on line 13; a session belongs to one term, "
            "so make them follow each other",
        ),
        (
            "  - {name: Fall 2022, start: 2022-12-15, end: 2022-09-01}\n",
            "content/site.yaml:13: term 'Fall 2022' ends (2022-09-01) before it starts "
            "(2022-12-15)",
        ),
        (
            "  - {name: Fall 2022, start: 2022-09-01, end: 2022-12-15}\n"
            "  - {name: fall 2022, start: 2023-09-01, end: 2023-12-15}\n",
            "content/site.yaml:14: term 'fall 2022' has the name of the term on line 13 (its "
            "page would be terms/fall-2022/); give each term a name of its own",
        ),
        (
            "  - {name: Fall 2022, start: 2022-09-31, end: 2022-12-15}\n",
            "content/site.yaml:13: 'start' is '2022-09-31', which is not a real date (day is "
            "out of range for month)",
        ),
        (
            "  - {name: Fall 2022, start: 2022-09-01}\n",
            "content/site.yaml:13: 'end' is required",
        ),
        (
            "  - {name: Fall 2022, begin: 2022-09-01, end: 2022-12-15}\n",
            "content/site.yaml:13: unknown key 'begin' in 'terms'; known keys: name, start, end",
        ),
        (
            "  Fall 2022: {start: 2022-09-01, end: 2022-12-15}\n",
            "content/site.yaml:13: 'terms' must be a list like '- {name: Fall 2024, start: "
            "2024-08-26, end: 2024-12-13}'",
        ),
    ],
)
def test_terms(tmp_path: Path, terms: str, expected: str) -> None:
    write_site(tmp_path, changes={"content/site.yaml": SITE_YAML + TERMS + terms})
    assert expected in problems(tmp_path)


def test_a_speakers_role(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        changes={
            "content/speakers.yaml": "ada:\n  name: Ada\n  role: organiser\n"
            "alan:\n  name: Alan\n  role: alumnus\n  postion: Postdoc\n"
        },
    )
    assert problems(tmp_path) == [
        "content/speakers.yaml:3: 'role' is 'organiser' (did you mean 'organizer'?); use one "
        "of: organizer, member, alumni, guest",
        "content/speakers.yaml:6: 'role' is 'alumnus' (did you mean 'alumni'?); use one of: "
        "organizer, member, alumni, guest",
        "content/speakers.yaml:7: unknown key 'postion' in speaker 'alan' (did you mean "
        "'position'?)",
    ]


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        (
            "ftp://example.org/paper.pdf",
            f"{S}:3: 'ftp://example.org/paper.pdf' is not a paper reference; cite a paper by "
            "its reading-list id, arxiv:ID, doi:ID or an http(s) address",
        ),
        (
            "https:/example.org/paper",
            f"{S}:3: the paper address 'https:/example.org/paper' is not a full URL; write it "
            "as https://host/path",
        ),
    ],
)
def test_papers_by_address(tmp_path: Path, ref: str, expected: str) -> None:
    write_site(tmp_path, changes=session(f"title: X\npapers: ['{ref}']\n"))
    assert problems(tmp_path) == [expected]


def test_a_list_item_needs_a_title_or_something_to_be_known_by(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        changes={
            "content/reading-lists/more.yaml": "title: More\nsections:\n  - title: S\n"
            "    items:\n      - authors: [Someone]\n        year: 2020\n"
        },
    )
    assert problems(tmp_path) == [
        "content/reading-lists/more.yaml:5: 'title' is required when the item has no arxiv, "
        "doi or url"
    ]
