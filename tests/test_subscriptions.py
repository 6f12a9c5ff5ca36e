"""A calendar and an Atom feed per topic, speaker, kind and series, and the links to them."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from icalendar import Calendar, Event

from rgsite.cli import main
from sitekit import MINIMAL, SITE_YAML, write_site

NOW = "2023-03-01T00:00-07:00"


def subscription_files(out: Path) -> list[Path]:
    return sorted(
        p
        for folder in ("topics", "speakers", "kinds", "series")
        for p in (out / folder).glob("*/*")
        if p.name in ("calendar.ics", "feed.xml")
    )


def uids(path: Path) -> dict[str, str]:
    """Each event's UID by its URL (the session page)."""
    cal = Calendar.from_ical(path.read_bytes())
    return {str(e["URL"]): str(e["UID"]) for e in cal.walk("VEVENT") if isinstance(e, Event)}


def summaries(path: Path) -> list[str]:
    cal = Calendar.from_ical(path.read_bytes())
    return sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT") if isinstance(e, Event))


def build(root: Path, changes: dict[str, str | None] | None = None) -> Path:
    write_site(root / "site", changes=changes)
    out = root / "out"
    assert main(["build", str(root / "site"), "-o", str(out), "--now", NOW]) == 0
    return out


def test_every_subject_calendar_and_feed_of_the_example_reads_back(example_site: Path) -> None:
    found = subscription_files(example_site)
    calendars = [p for p in found if p.name == "calendar.ics"]
    feeds = [p for p in found if p.name == "feed.xml"]
    assert len(calendars) == len(feeds) > 10
    assert {p.parent.parent.name for p in found} >= {"topics", "speakers", "series"}
    site_uids = uids(example_site / "calendar.ics")
    for path in calendars:
        for url, uid in uids(path).items():
            assert site_uids[url] == uid, path  # the same event as the site calendar's
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.feed.title.startswith("ML Theory Reading Group: "), path
        assert parsed.feed.links[0].href.endswith(path.relative_to(example_site).as_posix())


def test_a_speakers_calendar_holds_exactly_their_sessions_but_breaks(tmp_path: Path) -> None:
    out = build(
        tmp_path,
        {
            "content/sessions/2023-02-18-break.md": (
                "---\ntitle: Reading week\nstatus: break\nspeakers: [ada]\n---\n"
            ),
            "content/sessions/2023-03-04-slot.md": (
                "---\ntitle: To be confirmed\nstatus: tba\n"
                "speakers: [ada]\ntopics: [sparsity]\n---\n"
            ),
        },
    )
    assert summaries(out / "speakers/ada/calendar.ics") == [
        "Lottery tickets — Ada Lovelace",
        "To be confirmed — Ada Lovelace",
    ]
    assert summaries(out / "speakers/alan/calendar.ics") == ["Engines — Alan Turing"]
    assert summaries(out / "topics/history/calendar.ics") == ["Engines — Alan Turing"]
    cal = Calendar.from_ical((out / "topics/sparsity/calendar.ics").read_bytes())
    assert str(cal["X-WR-CALNAME"]) == "Theory Club: sparsity"
    assert str(cal["URL"]) == "https://example.org/club/topics/sparsity/"
    # a feed carries the recaps, never the open slot
    feed = feedparser.parse((out / "speakers/ada/feed.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["Lottery tickets"]
    assert "We read" in feed.entries[0].content[0].value
    assert feed.feed.title == "Theory Club: Ada Lovelace"


def test_a_title_edit_keeps_every_uid(tmp_path: Path) -> None:
    out = build(tmp_path)
    before = uids(out / "topics/sparsity/calendar.ics")
    tickets = MINIMAL["content/sessions/2023-01-21-tickets.md"]
    renamed = tickets.replace("title: Lottery tickets", "title: Winning tickets")
    out = build(tmp_path, {"content/sessions/2023-01-21-tickets.md": renamed})
    assert uids(out / "topics/sparsity/calendar.ics") == before
    assert "Winning tickets — Ada Lovelace" in summaries(out / "topics/sparsity/calendar.ics")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.alternates: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.hrefs.append(found["href"] or "")
        if tag == "link" and found.get("rel") == "alternate":
            self.alternates.append((found.get("type") or "", found.get("href") or ""))


def links(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text())
    return parser


@pytest.mark.parametrize("folder", ["topics/sparsity", "speakers/ada", "series/foundations", ""])
def test_pages_link_their_calendar_and_feed_as_webcal_and_https(
    tmp_path: Path, folder: str
) -> None:
    series = MINIMAL["content/sessions/2023-01-21-tickets.md"].replace(
        "topics:", "series: Foundations\ntopics:"
    )
    out = build(tmp_path, {"content/sessions/2023-01-21-tickets.md": series})
    base = "example.org/club/" + (folder + "/" if folder else "")
    found = links(out / folder / "index.html")
    assert f"webcal://{base}calendar.ics" in found.hrefs
    assert f"https://{base}calendar.ics" in found.hrefs
    assert f"https://{base}feed.xml" in found.hrefs
    path = "/club/" + (folder + "/" if folder else "")
    assert ("application/atom+xml", path + "feed.xml") in found.alternates
    assert (out / folder / "calendar.ics").is_file() and (out / folder / "feed.xml").is_file()


def test_kinds_have_calendars_and_a_site_without_a_host_has_no_webcal(tmp_path: Path) -> None:
    site_yaml = SITE_YAML.replace("base_url: https://example.org/club/\n", "")
    site_yaml += "kinds: {talk: {name: Talk}, coffee: {name: Tech coffee}}\n"
    engines = MINIMAL["content/sessions/2023-02-04-engines.md"].replace(
        "speakers:", "kind: coffee\nspeakers:"
    )
    out = build(
        tmp_path,
        {"content/site.yaml": site_yaml, "content/sessions/2023-02-04-engines.md": engines},
    )
    assert summaries(out / "kinds/coffee/calendar.ics") == ["Engines — Alan Turing"]
    assert summaries(out / "kinds/talk/calendar.ics") == []
    found = links(out / "kinds/coffee/index.html")
    assert "/kinds/coffee/calendar.ics" in found.hrefs
    assert not [h for h in found.hrefs if h.startswith("webcal:")]
