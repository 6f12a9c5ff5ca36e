"""End to end: the real CLI builds tiny sites, and readers' pages say the right things."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rgsite.cli import main
from sitekit import write_site

NOW = "2023-01-25T12:00-07:00"


def build(root: Path, *args: str) -> int:
    return main(["build", str(root), "--now", NOW, *args])


def page(root: Path, rel: str) -> str:
    return (root / "_site" / rel).read_text(encoding="utf-8")


def test_every_page_of_a_small_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_site(tmp_path)
    assert build(tmp_path) == 0
    out = capsys.readouterr().out
    assert re.match(r"built \d+ pages \(\d+ files: \d+ written", out)
    for rel in [
        "index.html",
        "404.html",
        "sessions/index.html",
        "sessions/2023-01-21-tickets/index.html",
        "sessions/2023-02-04-engines/index.html",
        "speakers/index.html",
        "speakers/ada/index.html",
        "speakers/alan/index.html",
        "topics/index.html",
        "topics/sparsity/index.html",
        "topics/history/index.html",
        "proposals/index.html",
        "proposals/more-tickets/index.html",
        "reading/index.html",
        "reading/foundations/index.html",
        "papers/index.html",
        "about/index.html",
    ]:
        assert (tmp_path / "_site" / rel).is_file(), rel


def test_session_page_shows_time_in_group_zone_speakers_papers_and_neighbours(
    tmp_path: Path,
) -> None:
    write_site(tmp_path)
    assert build(tmp_path) == 0
    html = page(tmp_path, "sessions/2023-02-04-engines/index.html")
    # one way to write a time: a range, in the clock of the site's language (en: 12-hour)
    assert "Saturday 4 February 2023, 3:00\u2009–\u20094:00\u202fPM MST" in html
    assert 'datetime="2023-02-04T15:00:00-07:00"' in html
    assert re.search(r'<a href="/club/speakers/alan/"[^>]*>Alan Turing</a>', html)
    # A paper known only by its arXiv id is shown by that id and linked to arXiv.
    assert 'href="https://arxiv.org/abs/2206.11124"' in html
    assert 'rel="prev" href="/club/sessions/2023-01-21-tickets/"' in html
    first = page(tmp_path, "sessions/2023-01-21-tickets/index.html")
    assert 'rel="next" href="/club/sessions/2023-02-04-engines/"' in first
    # A bare date takes the meeting's time.
    assert "Saturday 21 January 2023, 2:00\u2009–\u20093:00\u202fPM MST" in first


def test_wiki_links_become_links_with_the_targets_title(tmp_path: Path) -> None:
    write_site(tmp_path)
    assert build(tmp_path) == 0
    html = page(tmp_path, "sessions/2023-01-21-tickets/index.html")
    assert '<a href="/club/papers/#paper-lottery-ticket">The lottery ticket hypothesis</a>' in html
    assert '<a href="/club/speakers/alan/">Alan Turing</a>' in html
    later = page(tmp_path, "sessions/2023-02-04-engines/index.html")
    assert '<a href="/club/sessions/2023-01-21-tickets/">Lottery tickets</a>' in later


def test_a_summary_names_a_linked_page_by_its_title(tmp_path: Path) -> None:
    write_site(tmp_path)
    assert build(tmp_path) == 0
    # The recap's first paragraph is "Second session, after [[session:2023-01-21-tickets]]."
    for rel in ("index.html", "sessions/2023-02-04-engines/index.html"):
        text = page(tmp_path, rel)
        assert "Second session, after Lottery tickets." in text, rel
        assert "after 2023-01-21-tickets" not in text, rel


def test_upcoming_apart_from_past_and_home_leads_with_the_next_session(tmp_path: Path) -> None:
    write_site(tmp_path)
    assert build(tmp_path) == 0
    archive = page(tmp_path, "sessions/index.html")
    upcoming, past = archive.split('id="past-heading"')
    assert "Engines" in upcoming and "Lottery tickets" not in upcoming
    assert "Lottery tickets" in past
    home = page(tmp_path, "index.html")
    next_part = home.split('id="next-heading"')[1].split("</section>")[0]
    assert "Engines" in next_part
    assert 'href="https://example.org/join"' in next_part


def test_the_papers_page_says_where_each_paper_was_discussed(tmp_path: Path) -> None:
    write_site(tmp_path)
    assert build(tmp_path) == 0
    html = page(tmp_path, "papers/index.html")
    entry = html.split('id="paper-lottery-ticket"')[1].split("</article>")[0]
    assert "Discussed in" in entry and "Lottery tickets" in entry
    assert "Foundations" in entry


def test_a_paper_cited_by_arxiv_id_and_listed_by_id_is_one_paper(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        changes={
            "content/sessions/2023-02-04-engines.md": "---\ntitle: Engines\n"
            "papers: [arxiv:1803.03635v2]\n---\nBody\n"
        },
    )
    assert build(tmp_path) == 0
    html = page(tmp_path, "papers/index.html")
    assert html.count("The lottery ticket hypothesis</a>") == 1
    entry = html.split('id="paper-lottery-ticket"')[1].split("</article>")[0]
    assert "Engines" in entry and "Lottery tickets" in entry


def test_drafts_are_left_out_unless_asked_for(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        changes={"content/sessions/2023-03-04-secret.md": "---\ntitle: Secret\ndraft: true\n---\n"},
    )
    assert build(tmp_path) == 0
    assert not (tmp_path / "_site/sessions/2023-03-04-secret").exists()
    assert "Secret" not in page(tmp_path, "sessions/index.html")
    assert build(tmp_path, "--drafts") == 0
    assert "Draft" in page(tmp_path, "sessions/2023-03-04-secret/index.html")


def test_cancelled_sessions_are_marked(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        changes={
            "content/sessions/2023-02-04-engines.md": (
                "---\ntitle: Engines\nstatus: cancelled\n---\n"
            )
        },
    )
    assert build(tmp_path) == 0
    assert "This session was cancelled." in page(tmp_path, "sessions/2023-02-04-engines/index.html")
    assert "badge-cancelled" in page(tmp_path, "sessions/index.html")


def test_bundle_attachments_are_copied_beside_the_page(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        changes={
            "content/sessions/2023-03-04-bundle/index.md": "---\ntitle: Bundle\nresources:\n"
            "  - {title: Slides, url: slides.pdf, kind: slides}\n"
            "  - {title: Recording, kind: video}\n---\n![Figure](figure.svg)\n",
            "content/sessions/2023-03-04-bundle/slides.pdf": "%PDF-1.4 fake",
            "content/sessions/2023-03-04-bundle/figure.svg": "<svg/>",
        },
    )
    assert build(tmp_path) == 0
    out = tmp_path / "_site/sessions/2023-03-04-bundle"
    assert (out / "slides.pdf").read_text() == "%PDF-1.4 fake"
    html = (out / "index.html").read_text()
    assert '<a href="/club/sessions/2023-03-04-bundle/slides.pdf">Slides</a>' in html
    assert 'src="/club/sessions/2023-03-04-bundle/figure.svg"' in html
    assert "resource-video" not in html, "a recording with no address is not shown"


def test_every_local_link_resolves_under_the_base_path(tmp_path: Path) -> None:
    write_site(tmp_path)
    assert build(tmp_path) == 0
    out = tmp_path / "_site"
    for html_file in out.rglob("*.html"):
        for href in re.findall(r'(?:href|src)="(/[^"#]*)', html_file.read_text()):
            assert href.startswith("/club/"), (html_file, href)
            target = out / href.removeprefix("/club/")
            assert target.is_file() or (target / "index.html").is_file(), (html_file, href)


def test_base_url_from_the_command_line(tmp_path: Path) -> None:
    write_site(tmp_path)
    assert build(tmp_path, "--base-url", "https://host.example/") == 0
    assert 'href="/speakers/"' in page(tmp_path, "index.html")


def test_text_from_yaml_is_escaped(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        changes={
            "content/speakers.yaml": 'ada:\n  name: "<script>alert(1)</script>"\nalan:\n  name: A\n'
        },
    )
    assert build(tmp_path) == 0
    html = page(tmp_path, "speakers/ada/index.html")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_errors_are_all_reported_with_their_place_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(tmp_path)
    assert build(tmp_path) == 0
    before = {p: p.read_bytes() for p in (tmp_path / "_site").rglob("*") if p.is_file()}
    write_site(
        tmp_path,
        changes={
            "content/sessions/2023-01-21-tickets.md": "---\ntitle: Lottery tickets\n"
            "speakers: [adaa]\npapers: [nope]\n---\nSee [[speaker:alann]].\n",
            "content/proposals/more-tickets.md": "---\ntitle: More\nstatus: opne\n---\n",
        },
    )
    assert build(tmp_path) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:4] == [
        "content/proposals/more-tickets.md:3: 'status' is 'opne' (did you mean 'open'?); "
        "use one of: open, accepted, scheduled, presented, declined",
        "content/sessions/2023-01-21-tickets.md:3: unknown speaker 'adaa' (did you mean 'ada'?)",
        "content/sessions/2023-01-21-tickets.md:4: unknown paper 'nope'; describe it in a reading "
        "list, or cite it as arxiv:ID or doi:ID",
        "content/sessions/2023-01-21-tickets.md:6: unknown speaker 'alann' (did you mean 'alan'?)",
    ]
    assert err[-1] == "rgsite build: 4 error(s); nothing was written"
    after = {p: p.read_bytes() for p in (tmp_path / "_site").rglob("*") if p.is_file()}
    assert after == before


def test_leftover_liquid_is_a_warning_and_an_empty_link_fails_the_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = "content/sessions/2023-03-04-x.md"
    write_site(tmp_path, changes={session: "---\ntitle: X\n---\n{% include toc.html %}\n"})
    assert build(tmp_path) == 0
    assert f"{session}:4: warning: Liquid tag '{{% include toc.html %}}'" in capsys.readouterr().err
    assert "{% include toc.html %}" in page(tmp_path, "sessions/2023-03-04-x/index.html")
    (tmp_path / session).write_text("---\ntitle: X\n---\nBy [Ada]().\n")
    assert build(tmp_path) == 1
    assert f"{session}:4: the link [Ada]() has no address" in capsys.readouterr().err
    assert "{% include toc.html %}" in page(tmp_path, "sessions/2023-03-04-x/index.html")


def test_two_pages_on_one_url_name_every_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(tmp_path, changes={"content/pages/Sessions.md": "---\ntitle: Clash\n---\n"})
    assert build(tmp_path) == 1
    err = capsys.readouterr().err
    assert (
        "content/pages/Sessions.md:1: 2 pages would be published at /Sessions/index.html: "
        "the built-in page sessions.html; content/pages/Sessions.md:1; rename all but one"
    ) in err


def test_a_second_build_with_no_change_renders_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(tmp_path)
    assert build(tmp_path) == 0
    capsys.readouterr()
    mtimes = {p: p.stat().st_mtime_ns for p in (tmp_path / "_site").rglob("*") if p.is_file()}
    assert build(tmp_path) == 0
    assert " 0 written, " in capsys.readouterr().out
    assert mtimes == {
        p: p.stat().st_mtime_ns for p in (tmp_path / "_site").rglob("*") if p.is_file()
    }


@pytest.mark.parametrize(
    "command",
    [
        ["build", "{site}"],
        ["check", "{site}"],
        ["serve", "{site}", "--port", "0"],
        ["announce", "2023-01-21-generating-functions", "{site}"],
        ["papers", "fetch", "{site}"],
        ["new", "session", "X", "--site", "{site}"],
        ["new", "speaker", "ada", "--site", "{site}"],
    ],
)
def test_a_folder_that_is_not_a_site_gets_one_answer_from_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    assert main([arg.format(site=tmp_path) for arg in command]) == 2
    err = capsys.readouterr().err
    assert f"'{tmp_path}' has no content/ folder, so it is not an rgsite site" in err
    assert "rgsite init DIR" in err
    assert not (tmp_path / "_site").exists()


def test_an_output_folder_inside_content_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(tmp_path)
    assert build(tmp_path, "-o", str(tmp_path / "content" / "out")) == 1
    assert not (tmp_path / "content" / "out").exists()
    assert "content" in capsys.readouterr().err


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(tmp_path / "missing")]) == 2
    write_site(tmp_path)
    assert main(["build", str(tmp_path), "--now", "yesterday"]) == 2
    assert main(["frobnicate"]) == 2
    assert "not an ISO date-time" in capsys.readouterr().err


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("rgsite ")
    assert main(["build", "--help"]) == 0
    assert "examples:" in capsys.readouterr().out


def test_a_rebuild_drops_a_removed_session_and_a_failed_one_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The next build starts from the last output linked in: what it no longer makes
    goes, and a build that fails leaves every file as it was."""
    write_site(tmp_path)
    assert build(tmp_path) == 0
    out = tmp_path / "_site"
    home = (out / "index.html").stat().st_ino
    (tmp_path / "content/sessions/2023-02-04-engines.md").unlink()
    capsys.readouterr()
    assert build(tmp_path) == 0
    assert not (out / "sessions/2023-02-04-engines").exists()
    assert "2023-02-04-engines" not in page(tmp_path, "sessions/index.html")
    assert re.search(r"\b[1-9]\d* removed\b", capsys.readouterr().out)
    assert (out / "sessions/2023-01-21-tickets/index.html").is_file()
    assert (out / "index.html").stat().st_ino != home  # its list of sessions changed
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    session = tmp_path / "content/sessions/2023-01-21-tickets.md"
    session.write_text(session.read_text().replace("speakers: [ada]", "speakers: [adda]"))
    assert build(tmp_path) == 1
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
