"""OpenGraph and Twitter cards on every page; schema.org Event JSON-LD on session pages."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from rgsite.cli import main
from sitekit import write_site

NOW = "2023-02-10T00:00-07:00"
BASE = "https://example.org/ml-theory/"
SCHEMA = "https://schema.org/"


@pytest.fixture(scope="module")
def example(example_site: Path) -> Path:
    return example_site


class Page(HTMLParser):
    """A page's meta properties and the text of its JSON-LD scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.scripts: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta":
            key = found.get("property") or found.get("name")
            if key:
                self.meta[key] = found.get("content") or ""
        if tag == "script" and found.get("type") == "application/ld+json":
            self._in_ld = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.scripts[-1] += data


def read(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def json_ld(path: Path) -> dict[str, Any]:
    (script,) = read(path).scripts
    data = json.loads(script)
    assert isinstance(data, dict)
    return data


def html_pages(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html") if not p.is_relative_to(out / "pagefind"))


def test_every_page_has_opengraph_and_twitter_cards(example: Path) -> None:
    for path in html_pages(example):
        meta = read(path).meta
        for key in ("og:title", "og:description", "og:type", "og:url", "og:site_name"):
            assert meta.get(key), (path, key)
        assert meta["og:url"].startswith(BASE)
        assert meta["og:site_name"] == "ML Theory Reading Group"
        assert meta["twitter:card"] == "summary"
        assert meta["twitter:title"] == meta["og:title"]
        assert meta["twitter:description"] == meta["og:description"]
    lottery = read(example / "sessions" / "2023-03-04-lottery-ticket-hypothesis" / "index.html")
    assert lottery.meta["og:type"] == "article"
    assert lottery.meta["og:title"].startswith("The lottery ticket hypothesis")


def test_session_pages_carry_an_event(example: Path) -> None:
    sessions = sorted((example / "sessions").glob("*/index.html"))
    assert len(sessions) == 10
    for path in sessions:
        data = json_ld(path)
        assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
        slug = path.parent.name
        assert data["url"] == f"{BASE}sessions/{slug}/"
        # The example's days are inferred or its hours unrecorded: the day alone, no end.
        assert data["startDate"] == slug[:10] and "endDate" not in data
        assert data["eventStatus"] == SCHEMA + "EventScheduled"
        assert data["eventAttendanceMode"] == SCHEMA + "OnlineEventAttendanceMode"
        assert data["location"]["@type"] == "VirtualLocation"
        assert data["organizer"]["name"] == "ML Theory Reading Group"
    lottery = json_ld(example / "sessions" / "2023-03-04-lottery-ticket-hypothesis" / "index.html")
    assert lottery["name"] == "The lottery ticket hypothesis"
    assert lottery["startDate"] == "2023-03-04"
    assert [p["name"] for p in lottery["performer"]] == ["Sree Harsha Nelaturu"]
    assert lottery["performer"][0]["url"] == BASE + "speakers/harsha/"


def test_a_title_cannot_break_out_of_the_script(tmp_path: Path) -> None:
    title = 'Breaking </script><script>alert("x")</script> & <!-- it'
    write_site(
        tmp_path,
        changes={
            "content/sessions/2023-01-21-tickets.md": (
                f"---\ntitle: '{title}'\nspeakers: [ada]\nstatus: cancelled\n"
                "location: Room 101\n---\nBody.\n"
            ),
        },
    )
    assert main(["build", str(tmp_path), "--now", NOW]) == 0
    path = tmp_path / "_site" / "sessions" / "2023-01-21-tickets" / "index.html"
    html = path.read_text(encoding="utf-8")
    start = html.index('<script type="application/ld+json">')
    script = html[start : html.index("</script>", start)]
    assert "<" not in script.removeprefix('<script type="application/ld+json">')
    data = json_ld(path)
    assert data["name"] == title
    assert data["eventStatus"] == SCHEMA + "EventCancelled"
    # A named room and the meeting's join link: both places, a mixed event.
    assert data["eventAttendanceMode"] == SCHEMA + "MixedEventAttendanceMode"
    kinds = {place["@type"]: place for place in data["location"]}
    assert kinds["Place"]["name"] == "Room 101"
    assert kinds["VirtualLocation"]["url"] == "https://example.org/join"
    assert data["performer"][0]["affiliation"]["name"] == "Analytical Engines"
