"""calendar.ics and event.ics, read back with icalendar; Add to calendar links on pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from rgsite.cli import main
from sitekit import MINIMAL, write_site

NOW = "2023-02-10T00:00-07:00"
EDMONTON = ZoneInfo("America/Edmonton")


TIMED = {
    "content/sessions/2022-11-05-before.md": "---\ntitle: Before the change\n---\nBefore.\n",
    "content/sessions/2022-11-19-after.md": "---\ntitle: After the change\n---\nAfter.\n",
    "content/sessions/2023-03-04-lottery-ticket-hypothesis.md": (
        "---\ntitle: The lottery ticket hypothesis\nspeakers: [ada]\n"
        "topics: [sparsity, pruning]\n---\nWhy the lottery ticket hypothesis holds.\n"
    ),
}
"""Sessions at the group's usual hour on both sides of a clock change, one still ahead."""
TIMED_NOW = "2023-02-25T12:00-07:00"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A schedule of known times (the example archive's days are approximate)."""
    root = write_site(tmp_path_factory.mktemp("timed"), changes=dict(TIMED))
    assert main(["build", str(root), "--now", TIMED_NOW, "-q"]) == 0
    return root / "_site"


def read_calendar(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def events(cal: Calendar) -> list[Event]:
    return [c for c in cal.walk("VEVENT") if isinstance(c, Event)]


def session_slugs(out: Path) -> list[str]:
    return sorted(p.parent.name for p in (out / "sessions").glob("*/event.ics"))


def test_calendar_has_every_session_in_the_group_zone(example: Path) -> None:
    raw = (example / "calendar.ics").read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    cal = read_calendar(example / "calendar.ics")
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    found = events(cal)
    slugs = session_slugs(example)
    assert len(found) == len(slugs) == 5
    for event in found:
        assert event["DTSTART"].params["TZID"] == "America/Edmonton"
        assert event["DTEND"].params["TZID"] == "America/Edmonton"
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start.tzinfo is not None and end - start == timedelta(minutes=60)
        assert start.hour == (15 if "engines" in str(event["UID"]) else 14)
        assert event["STATUS"] == "CONFIRMED"
        assert str(event["URL"]).startswith("https://example.org/club/sessions/")
        assert event["LOCATION"] == "Online"
        for name in ("UID", "DTSTAMP", "LAST-MODIFIED", "SEQUENCE", "SUMMARY"):
            assert name in event, name


def test_vtimezone_rules_give_the_right_offset_on_both_sides_of_dst(example: Path) -> None:
    """The VTIMEZONE itself — not the reader's zone database — maps each local time right."""
    cal = read_calendar(example / "calendar.ics")
    (zone,) = cal.walk("VTIMEZONE")
    assert zone["TZID"] == "America/Edmonton"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    own_rules = zone.to_tz(lookup_tzid=False)
    assert not isinstance(own_rules, ZoneInfo)
    raw = (example / "calendar.ics").read_bytes().decode()
    # 5 November 2022 is MDT (UTC-6); 19 November, after the 6 November change, MST (UTC-7).
    assert "DTSTART;TZID=America/Edmonton:20221105T140000" in raw
    assert "DTSTART;TZID=America/Edmonton:20221119T140000" in raw
    for event in events(cal):
        local = event.decoded("DTSTART").replace(tzinfo=None)
        by_vtimezone = local.replace(tzinfo=own_rules).astimezone(UTC)
        by_zoneinfo = local.replace(tzinfo=EDMONTON).astimezone(UTC)
        assert by_vtimezone == by_zoneinfo, local
    before = datetime(2022, 11, 5, 14, 0).replace(tzinfo=own_rules)
    after = datetime(2022, 11, 19, 14, 0).replace(tzinfo=own_rules)
    assert before.utcoffset() == timedelta(hours=-6)
    assert after.utcoffset() == timedelta(hours=-7)


def test_summary_description_and_event_files(example: Path) -> None:
    cal = read_calendar(example / "calendar.ics")
    by_uid = {str(e["UID"]): e for e in events(cal)}
    lottery = by_uid["2023-03-04-lottery-ticket-hypothesis.club@example.org"]
    assert lottery["SUMMARY"] == "The lottery ticket hypothesis — Ada Lovelace"
    assert "lottery ticket hypothesis" in lottery["DESCRIPTION"]
    assert lottery["CATEGORIES"].cats == ["sparsity", "pruning"]
    for slug in session_slugs(example):
        one = read_calendar(example / "sessions" / slug / "event.ics")
        (event,) = events(one)
        assert len(one.walk("VTIMEZONE")) == 1
        same = by_uid[str(event["UID"])]
        assert event.to_ical() == same.to_ical()
        assert str(event["URL"]).endswith(f"/sessions/{slug}/")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links(path: Path) -> list[str]:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.hrefs


def test_add_to_calendar_links_on_the_session_page_and_home(example: Path) -> None:
    slug = "2023-03-04-lottery-ticket-hypothesis"  # upcoming at TIMED_NOW
    for page in (example / "sessions" / slug / "index.html", example / "index.html"):
        hrefs = links(page)
        assert f"/club/sessions/{slug}/event.ics" in hrefs, page
        google = [h for h in hrefs if h.startswith("https://calendar.google.com/")]
        assert google, page
        query = parse_qs(urlsplit(google[0]).query)
        assert query["action"] == ["TEMPLATE"]
        assert query["dates"] == ["20230304T210000Z/20230304T220000Z"]
        assert query["ctz"] == ["America/Edmonton"]
        assert query["text"][0].startswith("The lottery ticket hypothesis")
        assert query["location"] == ["Online"]
    past = example / "sessions" / "2022-11-19-after" / "index.html"
    assert not any(h.endswith("event.ics") for h in links(past))


def uid_sequence(out: Path, slug: str) -> tuple[str, int, Event]:
    (event,) = events(read_calendar(out / "sessions" / slug / "event.ics"))
    return str(event["UID"]), int(event["SEQUENCE"]), event


SESSION = """\
---
title: {title}
date: {date}
speakers: [ada, alan]
tldr: Why sparse networks train.
{extra}---
Body.
"""


def tiny(
    root: Path, *, title: str = "Tickets", date: str = "2023-03-04 14:00", extra: str = ""
) -> Path:
    files = {k: v for k, v in MINIMAL.items() if not k.startswith("content/sessions/")}
    files["content/sessions/2023-03-04-tickets.md"] = SESSION.format(
        title=title, date=date, extra=extra
    )
    write_site(root, files)
    assert main(["build", str(root), "--now", NOW]) == 0
    return root / "_site"


def test_uid_and_sequence_across_builds_renames_and_changes(tmp_path: Path) -> None:
    out = tiny(tmp_path)
    first = (out / "calendar.ics").read_bytes()
    uid, seq, event = uid_sequence(out, "2023-03-04-tickets")
    assert uid == "2023-03-04-tickets.club@example.org"
    assert event["SUMMARY"] == "Tickets — Ada Lovelace and Alan Turing"
    description = str(event["DESCRIPTION"])
    assert "Why sparse networks train." in description
    assert "Join: https://example.org/join" in description
    assert "https://example.org/club/sessions/2023-03-04-tickets/" in description

    out = tiny(tmp_path)
    assert (out / "calendar.ics").read_bytes() == first, "a rebuild changes nothing"

    out = tiny(tmp_path, title="Tickets, renamed")
    assert uid_sequence(out, "2023-03-04-tickets")[:2] == (uid, seq), "a title is no revision"

    out = tiny(tmp_path, date="2023-03-04 15:00")
    uid2, postponed, event = uid_sequence(out, "2023-03-04-tickets")
    assert uid2 == uid and postponed > seq
    assert event.decoded("DTSTART") == datetime(2023, 3, 4, 15, 0, tzinfo=EDMONTON)

    out = tiny(tmp_path, date="2023-03-04 15:00", extra="duration: 90\n")
    longer = uid_sequence(out, "2023-03-04-tickets")[1]
    assert longer > postponed

    out = tiny(tmp_path, date="2023-03-04 15:00", extra="duration: 90\nstatus: cancelled\n")
    uid3, cancelled, event = uid_sequence(out, "2023-03-04-tickets")
    assert uid3 == uid and cancelled > longer
    assert event["STATUS"] == "CANCELLED"
    assert str(event["SUMMARY"]).startswith("Cancelled: ")
    assert "Join:" not in str(event["DESCRIPTION"])
    cal = read_calendar(out / "calendar.ics")
    assert [str(e["STATUS"]) for e in events(cal)] == ["CANCELLED"]


def test_a_utc_site_writes_utc_times_and_no_vtimezone(tmp_path: Path) -> None:
    site_yaml = MINIMAL["content/site.yaml"].replace("America/Edmonton", "UTC")
    write_site(tmp_path, changes={"content/site.yaml": site_yaml})
    assert main(["build", str(tmp_path), "--now", NOW]) == 0
    raw = (tmp_path / "_site" / "calendar.ics").read_bytes().decode()
    assert "BEGIN:VTIMEZONE" not in raw
    assert re.search(r"^DTSTART:20230121T140000Z\r$", raw, re.M)
