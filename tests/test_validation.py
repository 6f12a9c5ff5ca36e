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
            ("title: Theory Club", "title: Theory Club\ntheme: dark"),
            "content/site.yaml:2: unknown key 'theme' in site.yaml; known keys: title, "
            "description, base_url, language, timezone, meeting, links, math",
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
    assert "16:30 MST" in html


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
