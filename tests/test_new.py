"""``rgsite new``: sessions dated by the cadence, proposals, speakers; nothing overwritten.

The cadence is checked directly (``next_meeting``) and through the real CLI on tiny sites
from :mod:`tests.sitekit`; every file ``new`` writes must build at once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from rgsite.authoring.cadence import next_meeting
from rgsite.authoring.new import slug_for
from rgsite.build.builder import build
from rgsite.cli import main
from rgsite.options import Options
from rgsite.read.decode import load_yaml, split_front_matter
from rgsite.settings import Meeting
from sitekit import MINIMAL, SITE_YAML, SPEAKERS_YAML, write_site

EDMONTON = ZoneInfo("America/Edmonton")
BIWEEKLY = Meeting(weekday="saturday", time="14:00", every_weeks=2)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def run(*argv: str) -> int:
    return main(list(argv))


def built(site: Path, tmp_path: Path, **options: object):  # type: ignore[no-untyped-def]
    return build(Options(site=site, out=tmp_path / "out", now=utc("2023-01-01T00:00"), **options))  # type: ignore[arg-type]


def sessions_of(site: Path) -> set[str]:
    return {p.name for p in (site / "content/sessions").iterdir()}


# -- the cadence ----------------------------------------------------------------------


def test_next_meeting_follows_weekday_and_every_weeks() -> None:
    sessions = [date(2023, 1, 21), date(2023, 2, 4)]
    assert next_meeting(BIWEEKLY, EDMONTON, sessions, utc("2023-02-05T00:00")) == date(2023, 2, 18)


def test_next_meeting_across_a_year_boundary() -> None:
    assert next_meeting(BIWEEKLY, EDMONTON, [date(2022, 12, 24)], utc("2022-12-25T12:00")) == (
        date(2023, 1, 7)
    )
    weekly = Meeting(weekday="saturday", time="14:00", every_weeks=1)
    assert next_meeting(weekly, EDMONTON, [date(2022, 12, 31)], utc("2022-12-31T23:00")) == (
        date(2023, 1, 7)
    )


def test_next_meeting_across_daylight_saving_keeps_the_wall_clock(tmp_path: Path) -> None:
    # Edmonton moves from MST (-07) to MDT (-06) on 2023-03-12.
    site = write_site(
        tmp_path / "site",
        changes={
            "content/sessions/2023-03-04-before.md": "---\ntitle: Before the change\n---\n",
        },
    )
    code = run(
        "new", "session", "After the change", "--site", str(site), "--now", "2023-03-05T00:00Z"
    )
    assert code == 0
    path = site / "content/sessions/2023-03-18-after-the-change.md"
    record = split_front_matter("x.md", path.read_text())
    assert record.data["date"] == "2023-03-18 14:00"
    result = built(site, tmp_path)
    assert result.site is not None
    before = result.site.sessions["2023-03-04-before"].start
    after = result.site.sessions["2023-03-18-after-the-change"].start
    assert (before.hour, after.hour) == (14, 14)
    assert before.utcoffset() == timedelta(hours=-7)
    assert after.utcoffset() == timedelta(hours=-6)
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(days=14, hours=-1)


def test_the_meeting_day_is_judged_on_the_groups_clock() -> None:
    last = [date(2023, 3, 4)]
    # 19:30 UTC is 13:30 in Edmonton: the 14:00 meeting that day is still ahead.
    assert next_meeting(BIWEEKLY, EDMONTON, last, utc("2023-03-18T19:30")) == date(2023, 3, 18)
    # 20:30 UTC is 14:30 there: that meeting has begun, so the next one is two weeks on.
    assert next_meeting(BIWEEKLY, EDMONTON, last, utc("2023-03-18T20:30")) == date(2023, 4, 1)
    # 05:00 UTC on the 19th is still the evening of the 18th in Edmonton.
    assert next_meeting(BIWEEKLY, EDMONTON, last, utc("2023-03-19T05:00")) == date(2023, 4, 1)


def test_a_one_off_session_does_not_shift_the_cadence() -> None:
    sessions = [date(2023, 1, 21), date(2023, 1, 25)]  # a Wednesday extra
    assert next_meeting(BIWEEKLY, EDMONTON, sessions, utc("2023-01-26T00:00")) == date(2023, 2, 4)


def test_after_a_long_pause_the_next_meeting_is_the_next_one_from_now() -> None:
    got = next_meeting(BIWEEKLY, EDMONTON, [date(2020, 1, 4)], utc("2023-06-01T00:00"))
    assert got >= date(2023, 6, 1) and got - date(2023, 6, 1) < timedelta(days=14)
    assert got.weekday() == 5 and (got - date(2020, 1, 4)).days % 14 == 0


def test_a_session_planned_ahead_still_comes_after_the_last_one() -> None:
    got = next_meeting(BIWEEKLY, EDMONTON, [date(2023, 6, 3)], utc("2023-01-01T00:00"))
    assert got == date(2023, 6, 17)


def test_the_first_session_is_the_next_meeting_weekday() -> None:
    assert next_meeting(BIWEEKLY, EDMONTON, [], utc("2023-03-15T12:00")) == date(2023, 3, 18)
    no_weekday = Meeting(time="14:00", every_weeks=1)
    assert next_meeting(no_weekday, EDMONTON, [], utc("2023-03-15T12:00")) == date(2023, 3, 15)
    assert next_meeting(no_weekday, EDMONTON, [date(2023, 3, 1)], utc("2023-03-02T00:00")) == (
        date(2023, 3, 8)
    )


def test_a_meeting_time_the_clocks_skip_moves_to_the_time_they_show(tmp_path: Path) -> None:
    site_yaml = SITE_YAML.replace("America/Edmonton", "Europe/London")
    site_yaml = site_yaml.replace('"14:00"', '"01:30"').replace("saturday", "sunday")
    site = write_site(
        tmp_path / "site",
        {
            "content/site.yaml": site_yaml,
            "content/speakers.yaml": SPEAKERS_YAML,
            "content/sessions/2023-03-12-first.md": "---\ntitle: First\n---\n",
        },
    )
    # London skips 01:00-02:00 on 2023-03-26.
    assert run("new", "session", "Second", "--site", str(site), "--now", "2023-03-13T00:00Z") == 0
    text = (site / "content/sessions/2023-03-26-second.md").read_text()
    assert "date: 2023-03-26 02:30\n" in text
    built(site, tmp_path)


# -- new session through the CLI ------------------------------------------------------


def test_new_session_writes_front_matter_and_an_outline_that_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(tmp_path / "site")
    code = run(
        "new", "session", "Neural tangent kernels",
        "--speaker", "ada", "--speaker", "alan",
        "--topic", "sparsity", "--topic", "learning theory",
        "--site", str(site), "--now", "2023-02-05T00:00Z",
    )  # fmt: skip
    assert code == 0
    path = site / "content/sessions/2023-02-18-neural-tangent-kernels.md"
    assert str(path) in capsys.readouterr().out
    record = split_front_matter("x.md", path.read_text())
    assert record.data["title"] == "Neural tangent kernels"
    assert record.data["date"] == "2023-02-18 14:00"
    assert record.data["speakers"] == ["ada", "alan"]
    assert record.data["topics"] == ["sparsity", "learning theory"]
    assert "## Summary" in record.body and "## Discussion" in record.body
    result = built(site, tmp_path)
    assert result.site is not None and not result.warnings
    session = result.site.sessions["2023-02-18-neural-tangent-kernels"]
    assert session.speakers == ("ada", "alan")
    assert "<h2" not in session.body_html  # the outline waits in a comment, unpublished


def test_a_break_holds_its_date_and_an_open_slot_is_pointed_at(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(
        tmp_path / "site",
        changes={
            "content/sessions/2023-02-18-reading-week.md": "---\ntitle: Reading week\n"
            "status: break\n---\n",
        },
    )
    args = ("--site", str(site), "--now", "2023-02-05T00:00Z")
    assert run("new", "session", "After the break", *args) == 0
    assert "2023-03-04-after-the-break.md" in sessions_of(site), "not on the break's day"
    assert "open slot" not in capsys.readouterr().err

    (site / "content/sessions/2023-03-18-tbc.md").write_text(
        "---\ntitle: Speaker to be confirmed\nstatus: tba\n---\n"
    )
    assert run("new", "session", "Another one", *args) == 0
    _, err = capsys.readouterr()
    assert (
        "content/sessions/2023-03-18-tbc.md is an open slot (status: tba) on 2023-03-18; to "
        "give it this session, fill in its title and speakers and remove 'status: tba'"
    ) in err
    assert "2023-04-01-another-one.md" in sessions_of(site)


def test_new_session_with_a_date(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    assert run("new", "session", "Extra", "--date", "2023-02-08 17:30", "--site", str(site)) == 0
    text = (site / "content/sessions/2023-02-08-extra.md").read_text()
    assert "date: 2023-02-08 17:30\n" in text
    assert run("new", "session", "Bare", "--date", "2023-02-09", "--site", str(site)) == 0
    assert "date: 2023-02-09 14:00\n" in (site / "content/sessions/2023-02-09-bare.md").read_text()
    built(site, tmp_path)


def test_a_bad_date_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = write_site(tmp_path / "site")
    before = sessions_of(site)
    assert run("new", "session", "X", "--date", "2023-02-30", "--site", str(site)) == 2
    assert "--date '2023-02-30' is not a date" in capsys.readouterr().err
    assert sessions_of(site) == before


def test_an_unknown_speaker_is_refused_with_a_suggestion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(tmp_path / "site")
    before = sessions_of(site)
    assert run("new", "session", "X", "--speaker", "adaa", "--site", str(site)) == 2
    err = capsys.readouterr().err
    assert "unknown speaker 'adaa' (did you mean 'ada'?)" in err
    assert "rgsite new speaker adaa" in err
    assert "Traceback" not in err
    assert sessions_of(site) == before


def test_new_session_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = write_site(tmp_path / "site")
    args = ("new", "session", "Tickets again", "--site", str(site), "--now", "2023-02-05T00:00Z")
    assert run(*args) == 0
    path = site / "content/sessions/2023-02-18-tickets-again.md"
    path.write_text(path.read_text() + "\nMy recap.\n")
    edited = path.read_text()
    capsys.readouterr()
    assert run(*args, "--date", "2023-02-18") == 1
    assert "already exists" in capsys.readouterr().err
    assert path.read_text() == edited


def test_a_bundle_folder_of_the_same_name_is_not_shadowed(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        changes={"content/sessions/2023-02-18-bundle/index.md": "---\ntitle: Bundle\n---\n"},
    )
    assert run("new", "session", "Bundle", "--date", "2023-02-18", "--site", str(site)) == 1
    assert not (site / "content/sessions/2023-02-18-bundle.md").exists()


def test_titles_with_quotes_and_colons_round_trip(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    title = 'Attention: "all" you need? — #1 & more'
    assert run("new", "session", title, "--date", "2023-03-04", "--site", str(site)) == 0
    path = site / "content/sessions/2023-03-04-attention-all-you-need-1-more.md"
    assert split_front_matter("x.md", path.read_text()).data["title"] == title
    result = built(site, tmp_path)
    assert result.site is not None
    assert result.site.sessions["2023-03-04-attention-all-you-need-1-more"].title == title


def test_slugs_are_short_and_ascii() -> None:
    assert slug_for("Über die Grenzen: Lernen", "session") == "uber-die-grenzen-lernen"
    assert slug_for("学习理论", "session") == "session"
    long = slug_for("word " * 40, "session")
    assert len(long) <= 60 and not long.endswith("-")


def test_a_topic_that_looks_like_a_typo_gets_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(tmp_path / "site")
    assert run("new", "session", "T", "--topic", "sparsty", "--site", str(site)) == 0
    assert "topic 'sparsty' is new (did you mean 'sparsity'?)" in capsys.readouterr().err


def test_new_outside_a_site_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("new", "session", "X", "--site", str(tmp_path)) == 2
    assert "rgsite init" in capsys.readouterr().err


def test_a_broken_site_yaml_is_reported_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(
        tmp_path / "site", changes={"content/site.yaml": SITE_YAML.replace("saturday", "satday")}
    )
    assert run("new", "session", "X", "--site", str(site)) == 1
    assert "content/site.yaml:6: 'weekday' is 'satday'" in capsys.readouterr().err


# -- new proposal -----------------------------------------------------------------------


def test_new_proposal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = write_site(tmp_path / "site")
    # 03:00 UTC on 1 March is still 28 February in Edmonton.
    args = ("--by", "ada", "--topic", "optimization", "--site", str(site))
    assert run("new", "proposal", "Understanding Adam", *args, "--now", "2023-03-01T03:00Z") == 0
    path = site / "content/proposals/understanding-adam.md"
    assert str(path) in capsys.readouterr().out
    data = split_front_matter("x.md", path.read_text()).data
    assert data == {
        "title": "Understanding Adam",
        "proposed_by": ["ada"],
        "date": "2023-02-28",
        "status": "open",
        "topics": ["optimization"],
    }
    result = built(site, tmp_path)
    assert result.site is not None and "understanding-adam" in result.site.proposals
    assert run("new", "proposal", "Understanding Adam", "--site", str(site)) == 1
    assert run("new", "proposal", "Y", "--by", "bob", "--site", str(site)) == 2


# -- new speaker --------------------------------------------------------------------------

COMMENTED = """\
# Our speakers. Keep them in the order they first spoke.

ada:                       # the founder
  name: Ada Lovelace
  bio: |
    Writes notes on engines.

# Guests from other groups
alan:
  name: Alan Turing        # visiting
"""


def test_new_speaker_keeps_comments_and_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(tmp_path / "site", changes={"content/speakers.yaml": COMMENTED})
    code = run(
        "new", "speaker", "grace-hopper", "--name", "Grace Hopper",
        "--affiliation", "US Navy", "--site", str(site),
    )  # fmt: skip
    assert code == 0
    assert "grace-hopper" in capsys.readouterr().out
    text = (site / "content/speakers.yaml").read_text()
    assert text.startswith(COMMENTED)
    data = load_yaml("speakers.yaml", text).data
    assert list(data) == ["ada", "alan", "grace-hopper"]
    assert data["grace-hopper"] == {"name": "Grace Hopper", "affiliation": "US Navy"}
    assert data["ada"]["bio"] == "Writes notes on engines.\n"
    result = built(site, tmp_path)
    assert result.site is not None and result.site.speakers["grace-hopper"].name == "Grace Hopper"
    # The speaker can be used at once.
    assert run("new", "session", "Compilers", "--speaker", "grace-hopper", "--site", str(site)) == 0


def test_new_speaker_uses_the_files_indentation_and_line_endings(tmp_path: Path) -> None:
    crlf = "ada:\r\n    name: Ada Lovelace\r\n"
    site = write_site(tmp_path / "site")
    (site / "content/speakers.yaml").write_bytes(crlf.encode())
    assert run("new", "speaker", "alan", "--name", "Alan Turing", "--site", str(site)) == 0
    raw = (site / "content/speakers.yaml").read_bytes()
    assert raw.startswith(crlf.encode())
    assert b'\r\nalan:\r\n    name: "Alan Turing"\r\n' in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_new_speaker_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = write_site(tmp_path / "site")
    before = (site / "content/speakers.yaml").read_bytes()
    assert run("new", "speaker", "ada", "--name", "Another Ada", "--site", str(site)) == 1
    assert "already in content/speakers.yaml" in capsys.readouterr().err
    assert run("new", "speaker", "Grace Hopper", "--site", str(site)) == 2
    assert "e.g. 'grace-hopper'" in capsys.readouterr().err
    assert (site / "content/speakers.yaml").read_bytes() == before


def test_new_speaker_will_not_rewrite_a_file_it_cannot_append_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flow = "{ada: {name: Ada Lovelace}}\n"
    site = write_site(tmp_path / "site", changes={"content/speakers.yaml": flow})
    assert run("new", "speaker", "alan", "--name", "Alan Turing", "--site", str(site)) == 1
    err = capsys.readouterr().err
    assert "add the speaker by hand" in err and 'name: "Alan Turing"' in err
    assert (site / "content/speakers.yaml").read_text() == flow


def test_new_speaker_creates_speakers_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {k: v for k, v in MINIMAL.items() if k == "content/site.yaml"}
    site = write_site(tmp_path / "site", files)
    assert run("new", "speaker", "ada-lovelace", "--site", str(site)) == 0
    assert "named 'Ada Lovelace' from the id" in capsys.readouterr().err
    data = load_yaml("s.yaml", (site / "content/speakers.yaml").read_text()).data
    assert data == {"ada-lovelace": {"name": "Ada Lovelace"}}
    built(site, tmp_path)
