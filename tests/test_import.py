"""``rgsite import``, end to end: real-looking archives in, a site that builds and checks out.

The fixtures in ``tests/fixtures/import-*`` look like what groups have: a Jekyll site
(posts, a ``_data`` talk list and people file, Liquid in bodies, ``redirect_from``), a
Hugo site (Academic-theme talks with TOML front matter and author profiles, shortcodes),
a YAML talk list naming speakers by id in a separate people file, and a spreadsheet's CSV
with a title row, blank cells and duplicate rows. Each is imported through the real CLI,
then built and checked, and the pages are compared with what the source said. A second
import changes nothing, byte for byte.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from rgsite.cli import main
from rgsite.importing.fields import OUR_KEYS
from sitekit import write_site

FIXTURES = Path(__file__).parent / "fixtures"
JEKYLL = FIXTURES / "import-jekyll"
HUGO = FIXTURES / "import-hugo"
YAML_LIST = FIXTURES / "import-yaml"
CSV = FIXTURES / "import-csv"

SITE_YAML = """\
title: Theory Reading Group
base_url: https://example.org/rg/
timezone: America/Edmonton
meeting:
  weekday: wednesday
  time: "16:00"
  duration: 75
  every_weeks: 2
  location: Room 4.02
"""
SPEAKERS_YAML = """\
# Everyone who has spoken. Keep this comment.
alan:
  name: Alan Turing
  affiliation: Manchester   # where he was then
"""
KINDS = """\
kinds:
  talk: {name: Talk}
  tech-coffee: {name: Tech coffee, icon: "☕"}
"""


def new_site(tmp_path: Path, site_yaml: str = SITE_YAML) -> Path:
    return write_site(
        tmp_path / "site",
        {"content/site.yaml": site_yaml, "content/speakers.yaml": SPEAKERS_YAML},
    )


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def content(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted((site / "content").rglob("*"))
        if p.is_file()
    }


def built(capsys: pytest.CaptureFixture[str], site: Path, now: str) -> Path:
    out = site.parent / "out"
    code, _, err = run(capsys, "build", str(site), "-o", str(out), "--now", now, "-q")
    assert code == 0, err
    return out


def checked(capsys: pytest.CaptureFixture[str], site: Path) -> None:
    code, _, err = run(capsys, "check", str(site), "-q")
    assert code == 0, err


def page(out: Path, slug: str) -> str:
    return (out / "sessions" / slug / "index.html").read_text(encoding="utf-8")


# -- Jekyll ---------------------------------------------------------------------------


@pytest.fixture
def jekyll_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    site = new_site(tmp_path)
    code, out, err = run(capsys, "import", "jekyll", str(JEKYLL), "--site", str(site))
    assert code == 0, err
    return site, out


def test_a_jekyll_archive_becomes_sessions_that_build_and_check(
    jekyll_site: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    site, report = jekyll_site
    sessions = sorted(p.name for p in (site / "content/sessions").iterdir())
    assert sessions == [
        "2019-09-04-the-lottery-ticket-hypothesis",
        "2019-09-18-neural-tangent-kernels.md",
        "2019-10-02-double-descent.md",
        "2019-10-16-implicit-regularisation-of-gradient-descent.md",
        "2019-10-30-scaling-laws.md",
        "2019-11-13-to-be-announced.md",
        "2019-11-27-no-meeting-thanksgiving.md",
    ]
    assert "would" not in report
    assert "wrote 7 session(s), 5 new speaker(s), 2 paper(s), 2 attached file(s)" in report
    assert "rgsite check would find" not in report
    checked(capsys, site)
    out = built(capsys, site, "2019-12-01T00:00-07:00")

    lottery = page(out, "2019-09-04-the-lottery-ticket-hypothesis")
    assert "The Lottery Ticket Hypothesis" in lottery  # the post's title, not the list's
    assert 'datetime="2019-09-04T16:00:00-06:00"' in lottery  # "4:00-5:15 pm"
    assert "1 h 15 min" in lottery
    for name in ("Jane Doe", "John Roe"):
        assert name in lottery
    assert "Pruned networks can be trained from scratch." in lottery  # the list's abstract
    assert "https://arxiv.org/abs/1803.03635" in lottery
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in lottery  # {% include youtube %}
    assert "https://youtu.be/Vd5ZkUaL0pY" in lottery  # "Recording: ..." in the body
    shown = re.sub(r"<!--.*?-->", "", lottery, flags=re.S)
    assert "{%" not in shown and "{{" not in shown  # Liquid never reaches a reader
    kept = "<!-- not converted by rgsite import: {% include announcement.html %} -->"
    assert kept in (
        site / "content/sessions/2019-09-04-the-lottery-ticket-hypothesis/index.md"
    ).read_text("utf-8")
    assert (out / "sessions/2019-09-04-the-lottery-ticket-hypothesis/lottery.pdf").is_file()
    assert (out / "sessions/2019-09-04-the-lottery-ticket-hypothesis/tickets.png").is_file()
    assert 'href="/rg/sessions/2019-09-18-neural-tangent-kernels/"' in lottery  # {% post_url %}

    # Old addresses keep working: Jekyll's own and redirect_from.
    for old in ("talks/2019/09/04/lottery-tickets.html", "talks/lottery/index.html"):
        redirect = (out / old).read_text(encoding="utf-8")
        assert "/rg/sessions/2019-09-04-the-lottery-ticket-hypothesis/" in redirect

    kernels = page(out, "2019-09-18-neural-tangent-kernels")
    for name in ("Grace Hopper", "Alan Turing", "Ada Lovelace"):
        assert name in kernels
    assert "<li>The kernel at initialisation</li>" in kernels  # an .html post, as Markdown
    assert "<em>kernel machines</em>" in kernels  # an HTML abstract, as Markdown
    assert "https://github.com/google/neural-tangents" in kernels

    descent = page(out, "2019-10-02-double-descent")
    assert "led by bhavnick" in descent  # {{ page.speaker }}
    assert 'href="/rg/sessions/2019-09-18-neural-tangent-kernels/"' in descent  # an old address

    implicit = page(out, "2019-10-16-implicit-regularisation-of-gradient-descent")
    assert 'datetime="2019-10-16T15:30:00-06:00"' in implicit  # "Oct. 16, 2019" at "3:30pm"
    assert "https://example.org/zoom/123" in implicit

    archive = (out / "sessions/index.html").read_text(encoding="utf-8")
    assert "No meeting (Thanksgiving)" in archive
    assert not (out / "sessions/2019-11-27-no-meeting-thanksgiving").exists()  # a break
    people = (out / "speakers/ada/index.html").read_text(encoding="utf-8")
    assert "https://example.org/ada" in people and "Analytical Engines Ltd" in people


def test_the_jekyll_report_lists_what_it_could_not_use_with_file_and_line(
    jekyll_site: tuple[Path, str],
) -> None:
    _, report = jekyll_site
    source = str(JEKYLL)
    assert f"{source}/_data/talks.yml:16: '11/06/2019' could be 6 November or 11 June" in report
    assert (
        f"{source}/_posts/2019-09-04-lottery-tickets.md:27: '{{% include announcement.html %}}'"
        in report
    )
    assert "Liquid tag (1)" in report
    tutorial = "'Tutorial' is a kind of event, but content/site.yaml defines none"
    assert f"{source}/_posts/2019-10-02-double-descent.md:7: {tutorial}" in report
    assert f"{source}/_data/people.yml:9: '/assets/img/jane.jpg'" in report
    assert "merged into one session" in report
    assert "left out, as the old site's machinery: comments (1), layout (3)" in report
    assert f"{source}/about.md: a page, not a post" in report
    assert f"{source}/_drafts/ideas-for-spring.md: a draft, never published" in report


def test_speakers_are_appended_keeping_the_files_comments(jekyll_site: tuple[Path, str]) -> None:
    site, _ = jekyll_site
    text = (site / "content/speakers.yaml").read_text(encoding="utf-8")
    assert text.startswith(SPEAKERS_YAML)
    assert 'jane-doe:\n  name: "Jane Doe"\n  affiliation: "MIT"' in text  # from the people file
    assert 'john-roe:\n  name: "John Roe"\n' in text  # from "Jane Doe (MIT) and John Roe"
    assert "\nalan:" not in text[len(SPEAKERS_YAML) :]  # "Alan Turing" is the one there


def test_importing_the_same_archive_again_changes_nothing(
    jekyll_site: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    site, _ = jekyll_site
    before = content(site)
    code, report, _ = run(capsys, "import", "jekyll", str(JEKYLL), "--site", str(site))
    assert code == 0
    assert content(site) == before
    assert "wrote 0 session(s), 0 new speaker(s)" in report
    assert "already in the site: 7 session(s)" in report


def test_a_dry_run_shows_what_it_would_write_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = new_site(tmp_path)
    before = content(site)
    code, out, _ = run(
        capsys, "import", "jekyll", str(JEKYLL), "--site", str(site), "--dry-run", "-v"
    )
    assert code == 0
    assert content(site) == before
    assert not (site / "content/sessions").exists()
    assert "would write content/sessions/2019-09-18-neural-tangent-kernels.md" in out
    assert "would copy content/sessions/2019-09-04-the-lottery-ticket-hypothesis/lottery.pdf" in out
    assert 'title: "Neural Tangent Kernels"' in out  # -v shows each file
    assert "would write 7 session(s), 5 new speaker(s)" in out


# -- Hugo -----------------------------------------------------------------------------


def test_a_hugo_archive_becomes_sessions_that_build_and_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = new_site(tmp_path, "title: ML Seminar\nbase_url: /\ntimezone: America/Edmonton\n")
    code, report, err = run(capsys, "import", "hugo", str(HUGO), "--site", str(site))
    assert code == 0, err
    assert "wrote 3 session(s), 3 new speaker(s), 0 paper(s), 3 attached file(s)" in report
    assert f"{HUGO}/content/talk/kernel-methods.md:3: the time zone 'EST' is left out" in report
    assert f"{HUGO}/content/talk/kernel-methods.md:16: '{{{{< tweet" in report
    assert f"{HUGO}/content/about.md: a page, not in a section" in report
    checked(capsys, site)
    out = built(capsys, site, "2020-01-01T00:00-07:00")

    transport = page(out, "2020-01-15-optimal-transport-for-machine-learning")
    assert 'datetime="2020-01-15T16:00:00-07:00"' in transport
    assert "1 h 30 min" in transport  # date_end
    assert "Ada Lovelace" in transport and "Pierre Laplace" in transport
    assert "<strong>Sinkhorn</strong>" in transport  # the abstract
    assert "<math" in transport  # its math
    assert "Why Wasserstein distances are everywhere." in transport  # summary: the TL;DR
    assert "https://vimeo.com/123456" in transport and "https://example.org/ot-notes" in transport
    assert (out / "sessions/2020-01-15-optimal-transport-for-machine-learning/slides.pdf").is_file()
    assert "Room 101" in transport

    kernels = page(out, "2020-02-12-kernel-methods-revisited")
    assert 'href="/sessions/2020-01-15-optimal-transport-for-machine-learning/"' in kernels
    assert "https://www.youtube.com/watch?v=w7Ft2ymGmfc" in kernels
    assert (out / "sessions/2020-02-12-kernel-methods-revisited/diagram.png").is_file()
    for old in ("talk/kernel-methods/index.html", "old/kernels/index.html"):
        assert "/sessions/2020-02-12-kernel-methods-revisited/" in (out / old).read_text("utf-8")

    speakers = (site / "content/speakers.yaml").read_text(encoding="utf-8")
    assert 'ada:\n  name: "Ada Lovelace"\n  affiliation: "Analytical Engines Ltd"' in speakers
    assert 'position: "Research Fellow"' in speakers  # the author profile's role
    open_slot = (site / "content/sessions/2020-03-11-to-be-announced.md").read_text("utf-8")
    assert "status: tba" in open_slot and "time: tba" in open_slot  # no meeting.time to take

    before = content(site)
    assert run(capsys, "import", "hugo", str(HUGO), "--site", str(site))[0] == 0
    assert content(site) == before


# -- a YAML talk list and its people file ---------------------------------------------


def test_a_yaml_talk_list_names_speakers_by_id_from_a_people_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = new_site(tmp_path, SITE_YAML + KINDS)
    talks, people, mapping = (str(YAML_LIST / n) for n in ("talks.yaml", "people.yaml", "map.yaml"))
    code, report, err = run(
        capsys, "import", "yaml", talks, people, "--site", str(site), "--map", mapping
    )
    assert code == 0, err
    assert f"{talks}:20: 'nobody-knows' looks like an id, but neither" in report
    assert "snacks" not in report  # the map says to ignore it
    checked(capsys, site)
    out = built(capsys, site, "2021-03-01T00:00-07:00")

    attention = page(out, "2021-03-03-attention-is-all-you-need")
    assert "Ashish Vaswani" in attention
    assert "https://arxiv.org/abs/1706.03762" in attention
    assert "https://example.org/rsvp/attention" in attention  # register, while upcoming
    assert "Talk" in attention

    coffee = page(out, "2021-03-17-jax-tips-and-tricks")
    assert "Noam Shazeer" in coffee and "Tech coffee" in coffee  # kinds: {coffee: tech-coffee}
    assert 'datetime="2021-03-17T16:00:00-06:00"' in coffee and "1 h 30 min" in coffee
    assert "Online" in coffee  # not the usual room

    tears = page(out, "2021-03-31-transformers-without-tears")
    assert "<em>pre-norm</em>" in tears and "<math" in tears
    assert "/sessions/2021-03-31-transformers-without-tears/" in (
        out / "2021/talk-transformers/index.html"
    ).read_text("utf-8")
    speakers = (site / "content/speakers.yaml").read_text(encoding="utf-8")
    assert 'vaswani:\n  name: "Ashish Vaswani"\n  affiliation: "Google Brain"' in speakers
    assert 'homepage: "https://example.org/vaswani"' in speakers
    assert "role: member" in speakers

    before = content(site)
    again = run(capsys, "import", "yaml", talks, people, "--site", str(site), "--map", mapping)
    assert again[0] == 0 and content(site) == before


def test_without_a_map_the_report_says_which_keys_and_kinds_to_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = new_site(tmp_path, SITE_YAML + KINDS)
    talks, people = str(YAML_LIST / "talks.yaml"), str(YAML_LIST / "people.yaml")
    code, report, _ = run(capsys, "import", "yaml", talks, people, "--site", str(site), "--dry-run")
    assert code == 0
    assert f"  snacks (1)\n    {talks}:24: 'cookies' not a field rgsite knows" in report
    assert "name it in a --map file, e.g. fields: {snacks: ignore}" in report
    assert f"{talks}:16: 'coffee' is not a kind in content/site.yaml (talk, tech-coffee)" in report
    assert "kinds: {coffee: talk}" in report


def test_a_bad_map_is_a_located_error_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = new_site(tmp_path)
    bad = tmp_path / "map.yaml"
    bad.write_text("fields:\n  Speaker Name: speakr\nkinds:\n  Coffee: Tech Coffee\n", "utf-8")
    before = content(site)
    code, _, err = run(
        capsys,
        "import",
        "yaml",
        str(YAML_LIST / "talks.yaml"),
        "--site",
        str(site),
        "--map",
        str(bad),
    )
    assert code == 1
    assert f"{bad}:2: 'speakr' is not a field rgsite imports (did you mean 'speakers'?)" in err
    assert f"{bad}:4: 'Tech Coffee' is not an id" in err
    assert content(site) == before


# -- a spreadsheet, imported every week -----------------------------------------------


def test_a_csv_schedule_is_imported_and_messy_cells_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = new_site(tmp_path)
    csv = tmp_path / "schedule.csv"
    shutil.copy(CSV / "schedule.csv", csv)
    code, report, err = run(capsys, "import", "csv", str(csv), "--site", str(site))
    assert code == 0, err
    assert "read 7 talk(s); wrote 5 session(s)" in report
    assert f"{csv}:9: '10/09/2019' could be 9 October or 10 September" in report
    topic = "  Topic (2): not a field rgsite knows; name it in a --map file, e.g. "
    topic += "fields: {Topic: topics}"
    assert f"{topic} ('rgsite import --help' lists the fields)\n    {csv}:3: 'sparsity'\n" in report
    assert f"{csv}:8: the same session as {csv}:7" in report  # two rows, one session
    checked(capsys, site)
    out = built(capsys, site, "2019-09-01T00:00-06:00")

    lottery = page(out, "2019-09-04-the-lottery-ticket-hypothesis")
    assert 'datetime="2019-09-04T16:00:00-06:00"' in lottery
    assert "Jane Doe" in lottery and "John Roe" in lottery
    assert "They are found by pruning." in lottery  # a cell over two lines
    assert "https://example.org/slides/lottery.pdf" in lottery
    assert "https://example.org/zoom/1" in lottery
    descent = page(out, "2019-10-02-double-descent")
    assert "Ada Lovelace" in descent and "Charles Babbage" in descent  # merged rows
    assert "<em>rises</em>" in descent
    assert "https://example.org/slides/dd.pdf" in descent
    tba = (site / "content/sessions/2019-10-16-to-be-announced.md").read_text("utf-8")
    assert "status: tba" in tba and "time: tba" in tba
    assert "status: break" in (
        site / "content/sessions/2019-10-30-no-meeting-reading-week.md"
    ).read_text("utf-8")
    speakers = (site / "content/speakers.yaml").read_text(encoding="utf-8")
    assert 'jane-doe:\n  name: "Jane Doe"\n  affiliation: "MIT"' in speakers

    before = content(site)
    code, report, _ = run(capsys, "import", "csv", str(csv), "--site", str(site))
    assert code == 0 and content(site) == before
    assert "already in the site: 5 session(s)" in report


def test_next_weeks_csv_adds_only_what_is_new_and_says_what_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = new_site(tmp_path)
    csv = tmp_path / "schedule.csv"
    shutil.copy(CSV / "schedule.csv", csv)
    assert run(capsys, "import", "csv", str(csv), "--site", str(site))[0] == 0
    before = content(site)

    text = csv.read_text("utf-8").replace(
        '"Oct. 16, 2019",TBA,,TBA,', '"Oct. 16, 2019",16:00,Emmy Noether,Symmetries,'
    )
    text += '"Nov. 13, 2019",16:00,Emmy Noether,Conservation laws,,,,,\n'
    csv.write_text(text, "utf-8")
    code, report, _ = run(capsys, "import", "csv", str(csv), "--site", str(site))
    assert code == 0
    after = content(site)
    assert sorted(set(after) - set(before)) == [
        "content/sessions/2019-11-13-conservation-laws.md",
    ]
    speakers = "content/speakers.yaml"
    assert after[speakers].startswith(before.pop(speakers))  # appended to
    assert {k: v for k, v in after.items() if k in before} == before  # nothing overwritten
    assert "wrote 1 session(s), 1 new speaker(s)" in report
    changed = "changed since it was imported into content/sessions/2019-10-16-to-be-announced.md"
    assert f"{csv}:10: {changed}" in report


def test_nothing_importable_is_exit_1_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = new_site(tmp_path)
    csv = tmp_path / "talks.csv"
    csv.write_text("Title,Speaker,When\nLottery tickets,Ada Lovelace,next week\n", "utf-8")
    before = content(site)
    code, report, err = run(capsys, "import", "csv", str(csv), "--site", str(site))
    assert code == 1
    assert "nothing could be imported" in err
    assert f"{csv}:2: 'next week' is not a date rgsite can read" in report
    assert content(site) == before


# -- never overwriting, and saying what will not check --------------------------------


def test_a_session_written_by_hand_is_recognised_and_a_taken_name_is_not_reused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = new_site(tmp_path)
    mine = "---\ntitle: Lottery Tickets!\ndate: 2019-09-04\n---\nMy own notes.\n"
    other = "---\ntitle: Something else\ndate: 2019-09-18\n---\n"
    write_site(
        site,
        {
            "content/sessions/2019-09-04-notes.md": mine,
            "content/sessions/2019-09-18-neural-tangent-kernels.md": other,
        },
    )
    csv = tmp_path / "talks.csv"
    csv.write_text(
        "date,title\n2019-09-04,Lottery tickets\n2019-09-18,Neural tangent kernels\n", "utf-8"
    )
    code, report, _ = run(capsys, "import", "csv", str(csv), "--site", str(site))
    assert code == 0
    assert (site / "content/sessions/2019-09-04-notes.md").read_text("utf-8") == mine
    assert (site / "content/sessions/2019-09-18-neural-tangent-kernels.md").read_text(
        "utf-8"
    ) == other
    assert (site / "content/sessions/2019-09-18-neural-tangent-kernels-2.md").is_file()
    assert "already in the site: 1 session(s)" in report
    assert not (site / "content/sessions/2019-09-04-lottery-tickets.md").exists()


def test_the_report_names_a_file_that_will_not_check_and_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write_site(
        tmp_path / "old",
        {
            "_config.yml": "title: Old\n",
            "_posts/2019-09-04-tickets.md": "---\ntitle: Tickets\n---\nSee [about](/about/).\n",
        },
    )
    site = new_site(tmp_path)
    code, report, _ = run(capsys, "import", "jekyll", str(old), "--site", str(site))
    assert code == 0
    assert f"{old}/_posts/2019-09-04-tickets.md:4: '/about/' points at the old site" in report
    assert "rgsite check would find 1 problem(s) in what this import wrote:" in report
    assert "content/sessions/2019-09-04-tickets.md:" in report
    assert run(capsys, "check", str(site), "-q")[0] == 1


def test_import_is_a_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "import" in out
    code, out, _ = run(capsys, "import", "--help")
    assert code == 0 and "--map" in out and "--dry-run" in out
    listed = out.split("fields (our_key):", 1)[1].split("\n\n", 1)[0]
    assert [k.strip() for k in listed.replace("\n", " ").split(",")] == list(OUR_KEYS)
    code, _, err = run(capsys, "import", "wordpress", "x")
    assert code == 2 and "invalid choice" in err


def test_a_speakers_file_with_windows_line_endings_keeps_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = new_site(tmp_path)
    original = SPEAKERS_YAML.replace("\n", "\r\n").encode()
    (site / "content/speakers.yaml").write_bytes(original)
    csv = tmp_path / "talks.csv"
    csv.write_text("date,speaker,title\n2024-10-09,Grace Hopper,Compilers\n", "utf-8")
    assert run(capsys, "import", "csv", str(csv), "--site", str(site))[0] == 0
    after = (site / "content/speakers.yaml").read_bytes()
    assert after.startswith(original)
    assert b'grace-hopper:\r\n  name: "Grace Hopper"\r\n' in after
    assert b"\n" not in after.replace(b"\r\n", b"")


def test_a_jekyll_collection_of_talks_is_imported_with_its_old_addresses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write_site(
        tmp_path / "old",
        {
            "_config.yml": "collections:\n  talks:\n    output: true\n",
            "_talks/lottery.md": "---\ntitle: Lottery tickets\ndate: Sept. 4, 2019\n---\nNotes.\n",
            "_talks/undated.md": "---\ntitle: Someday\n---\n",
            "_notes/private.md": "---\ntitle: Not a collection in _config.yml\n---\n",
        },
    )
    site = new_site(tmp_path)
    code, report, _ = run(capsys, "import", "jekyll", str(old), "--site", str(site))
    assert code == 0
    written = (site / "content/sessions/2019-09-04-lottery-tickets.md").read_text("utf-8")
    assert 'aliases: ["/talks/lottery.html"]' in written
    assert f"{old}/_talks/undated.md:1: this talk has no date; it is left out" in report
    assert "private" not in report and len(list((site / "content/sessions").iterdir())) == 1
    checked(capsys, site)


def test_a_row_with_a_date_but_no_title_is_an_open_slot_unless_another_row_fills_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = new_site(tmp_path)
    csv = tmp_path / "talks.csv"
    csv.write_text(
        "date,speaker,title\n"
        "2024-10-09,,\n"
        "2024-10-23,Grace Hopper,\n"
        "2024-10-23,,Compilers for everyone\n",
        "utf-8",
    )
    assert run(capsys, "import", "csv", str(csv), "--site", str(site))[0] == 0
    slot = (site / "content/sessions/2024-10-09-to-be-announced.md").read_text("utf-8")
    assert "status: tba" in slot and "title" not in slot.split("# rgsite")[0]
    filled = (site / "content/sessions/2024-10-23-compilers-for-everyone.md").read_text("utf-8")
    assert "status" not in filled and "speakers: [grace-hopper]" in filled
    checked(capsys, site)
