"""Facts a page cannot vouch for: a day the archive inferred (``date_approximate: true``)
and a resource listed without an address.

Built as of 1 March 2023: the guessed session and the session of unrecorded time are past.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from rgsite.cli import main
from sitekit import write_site

NOW = "2023-03-01T12:00-07:00"
GUESSED = """\
---
title: Guessed day
# the post says only "last Saturday"
date: 2023-02-18
date_approximate: true
speakers: [ada]
resources:
  - {title: Slides, kind: slides}
  - {title: Recording, url: "https://example.org/video", kind: video}
---
What we read.
"""
UNTIMED = """\
---
title: Day known, hour not
time: tba
---
Recap.
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("approximate")
    site = write_site(
        root / "site",
        changes={
            "content/sessions/2023-02-18-guessed.md": GUESSED,
            "content/sessions/2023-02-25-untimed.md": UNTIMED,
        },
    )
    assert main(["build", str(site), "-o", str(root / "out"), "--now", NOW, "-q"]) == 0
    return root / "out"


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def event_of(out: Path, rel: str, slug: str) -> dict:  # type: ignore[type-arg]
    calendar = Calendar.from_ical(read(out, rel))
    return next(e for e in calendar.walk("VEVENT") if slug in str(e["UID"]))


def test_the_session_page_says_the_date_is_approximate_and_shows_no_time(out: Path) -> None:
    html = read(out, "sessions/2023-02-18-guessed/index.html")
    when = html.split("<dt>When</dt>")[1].split("</dd>")[0]
    assert '<time class="dt-start" datetime="2023-02-18"' in when
    assert '<span class="date-approx">date approximate</span>' in when
    assert "14:00" not in when and "minutes" not in when and "announced" not in when
    ld = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert ld["startDate"] == "2023-02-18" and "endDate" not in ld


def test_lists_and_cards_carry_the_note(out: Path) -> None:
    archive = read(out, "sessions/index.html")
    row = archive.split('datetime="2023-02-18"')[1].split("</li>")[0]
    assert "date approximate" in row
    other = archive.split('datetime="2023-02-04')[1].split("</li>")[0]
    assert "date approximate" not in other
    speaker = read(out, "speakers/ada/index.html")
    assert "date approximate" in speaker.split("Guessed day")[0].rsplit("<li", 1)[1]
    home = read(out, "index.html")
    card = home.split("Guessed day")[0].rsplit("<article", 1)[1]
    assert '<span class="date-approx">date approximate</span>' in card


def test_calendars_mark_it_as_an_all_day_event(out: Path) -> None:
    for rel in ("calendar.ics", "sessions/2023-02-18-guessed/event.ics"):
        event = event_of(out, rel, "2023-02-18-guessed")
        assert str(event["SUMMARY"]) == "Guessed day — Ada Lovelace (date approximate)"
        assert event.decoded("DTSTART") == date(2023, 2, 18)
        assert event["DTSTART"].params["VALUE"] == "DATE"
        assert event["TRANSP"] == "TRANSPARENT"
        assert "The date is approximate" in str(event["DESCRIPTION"])
    exact = event_of(out, "calendar.ics", "2023-02-04-engines")
    assert "approximate" not in str(exact["SUMMARY"])


def test_sessions_json_says_so(out: Path) -> None:
    data = json.loads(read(out, "sessions.json"))
    by_id = {s["id"]: s for s in data["sessions"]}
    guessed = by_id["2023-02-18-guessed"]
    assert guessed["date_approximate"] is True and guessed["time_known"] is False
    assert guessed["start"] == "2023-02-18"
    assert by_id["2023-02-04-engines"]["date_approximate"] is False
    schema = json.loads(read(out, "sessions.schema.json"))
    assert "date_approximate" in json.dumps(schema)


def test_a_past_session_of_unknown_time_says_it_was_not_recorded(out: Path) -> None:
    html = read(out, "sessions/2023-02-25-untimed/index.html")
    when = html.split("<dt>When</dt>")[1].split("</dd>")[0]
    assert "time not recorded" in when and "announced" not in when


def test_a_resource_without_an_address_is_not_shown(out: Path) -> None:
    html = read(out, "sessions/2023-02-18-guessed/index.html")
    materials = html.split('id="resources-heading"')[1].split("</section>")[0]
    assert '<a href="https://example.org/video">Recording</a>' in materials
    assert "<li" in materials and materials.count("<li") == 1
    assert "resource-slides" not in html and "not linked" not in html
    data = json.loads(read(out, "sessions.json"))
    listed = next(s for s in data["sessions"] if s["id"] == "2023-02-18-guessed")["resources"]
    assert {"title": "Slides", "kind": "slides", "url": None} in listed


def test_only_unlinked_resources_leave_no_section(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        changes={
            "content/sessions/2023-02-18-guessed.md": GUESSED.replace(
                '  - {title: Recording, url: "https://example.org/video", kind: video}\n', ""
            )
        },
    )
    assert main(["build", str(site), "-o", str(tmp_path / "out"), "--now", NOW, "-q"]) == 0
    html = read(tmp_path / "out", "sessions/2023-02-18-guessed/index.html")
    assert "resources-heading" not in html


@pytest.mark.parametrize(
    ("front", "message"),
    [
        (
            "date: 2023-02-18 14:00\ndate_approximate: true\n",
            ":3: 'date' gives the time 14:00, but 'date_approximate: true' says the day",
        ),
        ("date_approximate: maybe\n", ":3: 'date_approximate' must be true or false"),
    ],
)
def test_bad_date_approximate_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], front: str, message: str
) -> None:
    site = write_site(
        tmp_path / "site",
        changes={"content/sessions/2023-02-18-guessed.md": f"---\ntitle: Guessed\n{front}---\n"},
    )
    assert main(["build", str(site), "-o", str(tmp_path / "out"), "-q"]) == 1
    assert f"content/sessions/2023-02-18-guessed.md{message}" in capsys.readouterr().err


def test_check_archive_lists_approximate_dates_and_unlinked_recordings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(
        tmp_path / "site",
        changes={
            "content/sessions/2023-02-18-guessed.md": GUESSED.replace(
                '  - {title: Recording, url: "https://example.org/video", kind: video}\n', ""
            )
        },
    )
    assert main(["check", str(site), "--archive", "--now", NOW]) == 0
    err = capsys.readouterr().err
    where = "content/sessions/2023-02-18-guessed.md:1: warning: "
    assert where + "this session's date is approximate" in err
    assert where + "this past session lists no slides or recording with an address" in err
