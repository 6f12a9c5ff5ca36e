"""sessions.json: the schedule as data, valid against its published schema."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conftest import EXAMPLE_NOW, REPO
from rgsite.cli import main
from rgsite.errors import Problems
from rgsite.options import Options
from rgsite.read.archive import read_site
from sitekit import MINIMAL, write_site


def load(out: Path, name: str = "sessions.json") -> dict:
    return json.loads((out / name).read_text(encoding="utf-8"))


def validate(out: Path, data: dict) -> None:
    schema = load(out, "sessions.schema.json")
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


def test_the_example_archive_validates_and_gives_back_its_facts(example_site: Path) -> None:
    data = load(example_site)
    validate(example_site, data)
    assert data["version"] == 1
    assert load(example_site, "sessions.schema.json")["$id"] == data["$schema"]
    now = datetime.fromisoformat(EXAMPLE_NOW)
    site = read_site(REPO, Problems(), Options(site=REPO, cache=False, now=now))
    assert data["site"] == {
        "title": site.config.title,
        "url": site.config.origin + site.config.base_path,
        "timezone": site.config.timezone,
        "language": "en",
        "hour12": True,  # English writes the 12-hour clock
        "labels": {
            "next": "Next sessions of %(group)s",
            "all": "All sessions of %(group)s",
            "none": "No sessions are scheduled yet.",
            "tba": "To be announced",
            "time_tba": "%(day)s, time to be announced",
            "date_approximate": "%(day)s (date approximate)",
        },
    }
    assert [s["id"] for s in data["sessions"]] == list(site.sessions)
    for given, session in zip(data["sessions"], site.sessions.values(), strict=True):
        assert given["title"] == session.title
        assert given["status"] == site.status(session)
        if session.time_known:
            assert datetime.fromisoformat(given["start"]) == session.start
            assert datetime.fromisoformat(given["end"]) == session.end
        else:
            assert given["start"] == session.start.date().isoformat()
        names = [site.speakers[i].name for i in session.speakers]
        assert [s["name"] for s in given["speakers"]] == names
        assert [t["name"] for t in given["topics"]] == list(session.topics)
        assert [p["id"] for p in given["papers"]] == list(session.papers)
        titles = [site.papers[i].title for i in session.papers]
        assert [p["title"] for p in given["papers"]] == titles
        assert [r["title"] for r in given["resources"]] == [r.title for r in session.resources]


SCHEDULE = {
    **MINIMAL,
    "content/site.yaml": MINIMAL["content/site.yaml"]
    + "kinds: {talk: {name: Talk}, coffee: {name: Tech coffee}}\n",
    "content/sessions/2023-03-04-slot.md": "---\ntitle: Speaker to be confirmed\n"
    "date: 2023-03-04\ntime: tba\nstatus: tba\nkind: coffee\n"
    "register: https://example.org/rsvp\n"
    "abstract: |\n  Energy $E = mc^2$ & `<more>`.\n---\n",
    "content/sessions/2023-03-18-off.md": "---\ntitle: Spring break\nstatus: break\n---\n",
    "content/sessions/2023-04-01-draft.md": "---\ntitle: Not yet\ndraft: true\n---\n",
}


@pytest.fixture
def schedule(tmp_path: Path) -> Path:
    write_site(tmp_path / "site", SCHEDULE)
    return tmp_path / "site"


def build(site: Path, out: Path, *extra: str) -> dict:
    assert (
        main(["build", str(site), "-o", str(out), "--now", "2023-02-10T00:00-07:00", *extra]) == 0
    )
    return load(out)


def test_open_slots_breaks_and_times_to_be_announced(schedule: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    data = build(schedule, out)
    validate(out, data)
    by_id = {s["id"]: s for s in data["sessions"]}
    assert "2023-04-01-draft" not in by_id  # drafts only with --drafts
    past = by_id["2023-01-21-tickets"]
    assert past["status"] == "past"
    assert past["start"] == "2023-01-21T14:00:00-07:00"
    assert past["join_url"] is None  # join links only while it is to come
    assert past["url"] == "https://example.org/club/sessions/2023-01-21-tickets/"
    slot = by_id["2023-03-04-slot"]
    assert (slot["status"], slot["start"], slot["end"]) == ("tba", "2023-03-04", "2023-03-04")
    assert slot["time_known"] is False
    assert slot["kind"] == {"id": "coffee", "name": "Tech coffee"}
    assert slot["register_url"] == "https://example.org/rsvp"
    assert slot["join_url"] == "https://example.org/join"
    assert slot["abstract"] == "Energy E=mc2 & <more>."
    off = by_id["2023-03-18-off"]
    assert (off["status"], off["url"], off["location"]) == ("break", None, None)
    # Inside sessions.js no text can close the <script> early.
    script = (out / "sessions.js").read_text(encoding="utf-8")
    assert "<more>" not in script and "\\u003cmore>" in script
    assert "2023-01-21-tickets" not in script  # only what is still to come
    drafted = build(schedule, tmp_path / "drafts", "--drafts")
    assert [s["draft"] for s in drafted["sessions"] if s["id"] == "2023-04-01-draft"] == [True]


def test_a_recap_edit_leaves_the_schedule_alone_but_a_resource_remakes_it(
    schedule: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(schedule, out)
    before = (out / "sessions.json").stat().st_mtime_ns
    session = schedule / "content/sessions/2023-02-04-engines.md"
    session.write_text(session.read_text() + "\nMore recap.\n")
    build(schedule, out)
    assert (out / "sessions.json").stat().st_mtime_ns == before
    text = session.read_text().replace(
        "papers:",
        "resources: [{title: Slides, kind: slides, url: https://example.org/s.pdf}]\npapers:",
    )
    session.write_text(text)
    data = build(schedule, out)
    engines = next(s for s in data["sessions"] if s["id"] == "2023-02-04-engines")
    assert engines["resources"] == [
        {"title": "Slides", "kind": "slides", "url": "https://example.org/s.pdf"}
    ]
