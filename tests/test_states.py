"""A real schedule: open slots, weeks off, abstracts, kinds of event, registration, and
sessions whose time is not known yet — on every page, list, feed, calendar and JSON-LD.

The site is built as of Saturday 25 February 2023 (America/Edmonton): the tickets and
engines sessions, an abstract-only session and an open slot are past; a break sits
between them; an open slot, a tech coffee of unknown time and a talk with a registration
link are ahead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from icalendar import Calendar

from rgsite.cli import main
from sitekit import SITE_YAML, write_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

NOW = "2023-02-25T12:00-07:00"
LATER = "2023-03-20T12:00-06:00"
KINDS = """\
kinds:
  talk: {name: Talk}
  tech-coffee: {name: Tech coffee, icon: "☕"}
"""
SCHEDULE = {
    "content/site.yaml": SITE_YAML + KINDS,
    "content/sessions/2023-01-28-abstract-only.md": """\
---
title: Abstract only
speakers: [alan]
kind: talk
abstract: |
  Why the *imitation game* matters, read with [[speaker:ada]].
---
""",
    "content/sessions/2023-02-11-slot.md": """\
---
title: Speaker to be confirmed
status: tba
---
""",
    "content/sessions/2023-02-18-reading-week.md": """\
---
title: Reading week
status: break
speakers: [ada]
topics: [sparsity]
---
""",
    "content/sessions/2023-03-04-open.md": """\
---
status: tba
kind: talk
---
""",
    "content/sessions/2023-03-11-coffee.md": """\
---
title: Coffee and code
kind: tech-coffee
time: tba
location: The kitchen
---
Bring a laptop.
""",
    "content/sessions/2023-03-11-evening.md": """\
---
title: Evening talk
date: 2023-03-11 19:00
---
""",
    "content/sessions/2023-03-18-talk.md": """\
---
title: Kernels at scale
speakers: [ada]
kind: talk
series: Foundations
location: Room 4.02
register: https://example.org/register?talk=1&x=2
abstract: |
  We study $x^2$ kernels; see [the notes](https://example.org/notes).

  A second paragraph, whole.
---
Notes written before the talk.
""",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_site(tmp_path_factory.mktemp("states"), changes=SCHEDULE)
    assert main(["build", str(root), "--now", NOW, "-q"]) == 0
    return root


def page(root: Path, rel: str) -> str:
    return (root / "_site" / rel).read_text(encoding="utf-8")


def row(html: str, slug: str) -> str:
    """The archive's list item of one session."""
    found = re.search(
        rf'<li class="session-row[^"]*"[^>]*>(?:(?!</li>).)*{slug}.*?</li>', html, re.S
    )
    if found is None:  # a break has no link, so find it by its title
        raise AssertionError(f"no row for {slug}")
    return found.group(0)


def calendar_uids(root: Path) -> list[str]:
    cal = Calendar.from_ical((root / "_site/calendar.ics").read_bytes())
    return [str(event["UID"]).split(".")[0].split("@")[0] for event in cal.walk("VEVENT")]


def event_of(root: Path, slug: str) -> Calendar:
    cal = Calendar.from_ical((root / f"_site/sessions/{slug}/event.ics").read_bytes())
    return cal.walk("VEVENT")[0]


def json_ld(html: str) -> dict[str, object]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found is not None
    data: dict[str, object] = json.loads(found.group(1))
    return data


# -- open slots -----------------------------------------------------------------------------


def test_an_open_slot_is_listed_as_to_be_announced_with_a_page_and_an_event(site: Path) -> None:
    archive = page(site, "sessions/index.html")
    ahead = row(archive, "2023-03-04-open")
    assert "Open slot</a>" in ahead, "a slot with no title is called so"
    assert '<span class="badge badge-tba">To be announced</span>' in ahead
    assert "data-end=" in ahead, "the script moves it to Past once its day is over"
    assert "badge-tba" in row(archive, "2023-02-11-slot")
    slot = page(site, "sessions/2023-03-04-open/index.html")
    assert "The details of this session are still to be announced." in slot
    assert "Add to calendar" in slot
    assert json_ld(slot)["eventStatus"] == "https://schema.org/EventScheduled"
    assert "still to be announced" not in page(site, "sessions/2023-02-11-slot/index.html")
    assert {"2023-03-04-open", "2023-02-11-slot"} <= set(calendar_uids(site))
    assert event_of(site, "2023-03-04-open")["SUMMARY"] == "Open slot"
    assert event_of(site, "2023-03-04-open")["STATUS"] == "CONFIRMED"


def test_an_open_slot_is_never_a_recap(site: Path) -> None:
    home = page(site, "index.html")
    recaps = home.split('id="recaps-heading"')[1]
    assert "Speaker to be confirmed" not in recaps
    assert "Abstract only" in recaps and "Engines" in recaps
    feed = page(site, "feed.xml")
    assert "Speaker to be confirmed" not in feed and "2023-02-11-slot" not in feed
    assert "Abstract only" in feed


# -- breaks ---------------------------------------------------------------------------------


def test_a_break_is_listed_muted_and_has_no_page_nor_event(site: Path) -> None:
    archive = page(site, "sessions/index.html")
    listed = re.search(r'<li class="session-row is-break".*?</li>', archive, re.S)
    assert listed is not None
    assert '<span class="row-title">Reading week</span>' in listed.group(0)
    assert '<span class="badge badge-break">No meeting</span>' in listed.group(0)
    assert "<a " not in listed.group(0), "nothing to link to"
    assert "Cancelled" not in archive
    assert not (site / "_site/sessions/2023-02-18-reading-week").exists()
    assert "2023-02-18-reading-week" not in calendar_uids(site)
    assert "Reading week" not in page(site, "feed.xml")
    assert "reading-week" not in page(site, "sitemap.xml")


def test_a_break_is_nobodys_session_and_the_pager_steps_over_it(site: Path) -> None:
    ada = page(site, "speakers/ada/index.html")
    assert "Reading week" not in ada and "Kernels at scale" in ada
    speakers = page(site, "speakers/index.html")
    ada_row = speakers.split("Ada Lovelace</a>")[1].split("</li>")[0]
    assert "2 sessions" in ada_row, "tickets and kernels, not the break"
    assert "Reading week" not in page(site, "topics/sparsity/index.html")
    slot = page(site, "sessions/2023-02-11-slot/index.html")
    pager = slot.split('class="pager"')[1]
    assert 'href="/club/sessions/2023-03-04-open/"' in pager


# -- abstracts ------------------------------------------------------------------------------


def test_the_abstract_comes_before_the_notes(site: Path) -> None:
    talk = page(site, "sessions/2023-03-18-talk/index.html").split("<main")[1]
    abstract = talk.index('<h2 id="session-abstract">Abstract</h2>')
    notes = talk.index("Notes written before the talk.")
    assert abstract < talk.index("A second paragraph, whole.") < notes
    assert "<math" in talk.split('id="session-abstract"')[1].split("</section>")[0]
    assert '<a href="https://example.org/notes">the notes</a>' in talk


def test_without_a_recap_the_abstract_describes_the_session(site: Path) -> None:
    archive_card = page(site, "index.html").split("Abstract only")[1].split("</article>")[0]
    assert "Why the imitation game matters, read with Ada Lovelace." in archive_card
    feed = page(site, "feed.xml")
    entry = feed.split("<title>Abstract only</title>")[1].split("</entry>")[0]
    assert "<summary>Why the imitation game matters, read with Ada Lovelace.</summary>" in entry
    assert "&lt;em&gt;imitation game&lt;/em&gt;" in entry, "the abstract is the content"
    assert "https://example.org/club/speakers/ada/" in entry, "with absolute links"
    only = page(site, "sessions/2023-01-28-abstract-only/index.html")
    assert 'id="session-notes"' not in only, "no notes heading without notes"


# -- kinds ----------------------------------------------------------------------------------


def test_every_listing_and_page_shows_the_kind(site: Path) -> None:
    archive = page(site, "sessions/index.html")
    coffee = row(archive, "2023-03-11-coffee")
    assert '<span class="event-kind-icon" aria-hidden="true">☕</span>' in coffee
    assert '<a href="/club/kinds/tech-coffee/">Tech coffee</a>' in coffee
    assert "event-kind" not in row(archive, "2023-03-11-evening")
    talk = page(site, "sessions/2023-03-18-talk/index.html")
    eyebrow = talk.split('<p class="eyebrow">')[1].split("</p>")[0]
    assert 'data-pagefind-filter="kind">Talk</a>' in eyebrow
    assert ">Foundations</a>" in eyebrow, "kind and series are independent"
    card = page(site, "index.html").split("Abstract only")[1].split("</article>")[0]
    assert ">Talk</a>" in card


def test_a_page_per_kind_with_upcoming_apart_from_past_and_an_index(site: Path) -> None:
    talks = page(site, "kinds/talk/index.html")
    upcoming, past = talks.split('id="past-heading"')
    assert "Kernels at scale" in upcoming and "Open slot" in upcoming
    assert "Abstract only" in past and "Kernels at scale" not in past
    assert "Coffee and code" not in talks
    index = page(site, "kinds/index.html")
    assert re.search(r'href="/club/kinds/talk/">Talk</a> <span class="meta">3 sessions', index)
    assert re.search(r"Tech coffee</a> <span class=\"meta\">1 session<", index)
    assert "/club/kinds/" in page(site, "sitemap.xml")


def test_without_kinds_there_are_no_kind_pages(tmp_path: Path) -> None:
    write_site(tmp_path)
    assert main(["build", str(tmp_path), "--now", NOW, "-q"]) == 0
    assert not (tmp_path / "_site/kinds").exists()
    assert "By kind" not in page(tmp_path, "sessions/index.html")


# -- registration, location, unknown times ---------------------------------------------------


def test_register_is_a_button_until_the_session_starts(site: Path, tmp_path: Path) -> None:
    talk = page(site, "sessions/2023-03-18-talk/index.html")
    assert '<a class="button" href="https://example.org/register?talk=1&amp;x=2">Register</a>' in (
        talk
    )
    assert "Register: https://example.org/register?talk=1&x=2" in str(
        event_of(site, "2023-03-18-talk")["DESCRIPTION"]
    )
    out = tmp_path / "later"
    assert main(["build", str(site), "-o", str(out), "--now", LATER, "-q"]) == 0
    after = (out / "sessions/2023-03-18-talk/index.html").read_text()
    assert "example.org/register" not in after


def test_the_page_calendar_and_json_ld_agree_on_the_place(site: Path) -> None:
    talk = page(site, "sessions/2023-03-18-talk/index.html")
    assert '<dd class="p-location">Room 4.02</dd>' in talk
    assert event_of(site, "2023-03-18-talk")["LOCATION"] == "Room 4.02"
    places = json_ld(talk)["location"]
    assert {"@type": "Place", "name": "Room 4.02", "address": "Room 4.02"} in places  # type: ignore[operator]
    coffee = page(site, "sessions/2023-03-11-coffee/index.html")
    assert '<dd class="p-location">The kitchen</dd>' in coffee
    assert event_of(site, "2023-03-11-coffee")["LOCATION"] == "The kitchen"


def test_a_time_to_be_announced_shows_the_date_alone_and_is_an_all_day_event(
    site: Path,
) -> None:
    coffee = page(site, "sessions/2023-03-11-coffee/index.html")
    when = coffee.split("<dt>When</dt>")[1].split("</dd>")[0]
    assert '<time class="dt-start" datetime="2023-03-11"' in when
    assert "Saturday 11 March 2023</time>, time to be announced" in when
    assert "14:00" not in when and "minutes" not in when
    data = json_ld(coffee)
    assert data["startDate"] == "2023-03-11" and "endDate" not in data
    event = event_of(site, "2023-03-11-coffee")
    assert event.decoded("DTSTART") == date(2023, 3, 11)
    assert event.decoded("DTEND") == date(2023, 3, 12)
    assert event["DTSTART"].params["VALUE"] == "DATE" and event["TRANSP"] == "TRANSPARENT"
    google = coffee.split('href="https://calendar.google.com/')[1].split('"')[0]
    assert parse_qs(urlsplit(google.replace("&amp;", "&")).query)["dates"] == ["20230311/20230312"]
    archive = page(site, "sessions/index.html")
    assert 'datetime="2023-03-11">11 Mar 2023' in row(archive, "2023-03-11-coffee")
    assert archive.index("2023-03-11-coffee") < archive.index("2023-03-11-evening"), (
        "a day's unknown time sorts at its start"
    )
    home = page(site, "index.html")
    assert '<span class="feature-clock">Time to be announced</span>' in home


@pytest.mark.browser
def test_search_filters_by_kind(
    site: Path, serve_dir: Callable[[Path], str], page: Page, tmp_path: Path
) -> None:
    www = tmp_path / "www"
    assert main(["build", str(site), "-o", str(www / "club"), "--now", NOW, "-q"]) == 0
    base = serve_dir(www)
    page.goto(base + "club/search/")
    filters = page.evaluate(
        """async () => {
            const pagefind = await import("/club/pagefind/pagefind.js");
            await pagefind.init();
            return await pagefind.filters();
        }"""
    )
    assert filters["kind"] == {"Talk": 3, "Tech coffee": 1}
    assert "type" in filters


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_the_schedules_pages(
    site: Path, serve_dir: Callable[[Path], str], browser: Browser, tmp_path: Path, scheme: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    www = tmp_path / "www"
    assert main(["build", str(site), "-o", str(www / "club"), "--now", NOW, "-q"]) == 0
    base = serve_dir(www) + "club/"
    urls = [
        "",
        "sessions/",
        "kinds/",
        "kinds/talk/",
        "sessions/2023-03-04-open/",
        "sessions/2023-03-11-coffee/",
        "sessions/2023-03-18-talk/",
    ]
    context = browser.new_context(color_scheme=scheme)  # type: ignore[arg-type]
    try:
        tab = context.new_page()
        found = {}
        for url in urls:
            tab.goto(base + url)
            results = Axe().run(tab)
            if results.violations_count:
                found[url] = results.generate_report()
    finally:
        context.close()
    assert not found, found
