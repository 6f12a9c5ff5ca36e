"""``hosts:`` on a session: chairs and moderators, shown apart from the speakers."""

from __future__ import annotations

from pathlib import Path

import pytest
from icalendar import Calendar, Event

from rgsite.cli import main
from sitekit import MINIMAL, write_site

NOW = "2023-01-15T00:00-07:00"
TICKETS = "content/sessions/2023-01-21-tickets.md"
SPEAKERS = MINIMAL["content/speakers.yaml"] + "grace:\n  name: Grace Hopper\n"


def hosted(hosts: str) -> dict[str, str]:
    tickets = MINIMAL[TICKETS].replace("speakers: [ada]\n", f"speakers: [ada]\nhosts: {hosts}\n")
    return {TICKETS: tickets, "content/speakers.yaml": SPEAKERS}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    site = write_site(tmp_path / "site", changes=hosted("[grace, alan]"))
    built = tmp_path / "out"
    assert main(["build", str(site), "-o", str(built), "--now", NOW]) == 0
    return built


def test_the_session_page_shows_hosts_apart_from_speakers(out: Path) -> None:
    page = (out / "sessions/2023-01-21-tickets/index.html").read_text()
    speaker = page.index("<dt>Speaker</dt>")
    hosts = page.index("<dt>Hosts</dt>")
    assert speaker < hosts
    assert "Ada Lovelace" in page[speaker:hosts]
    assert "Grace Hopper</a> and <a" in page[hosts:] and "Alan Turing" in page[hosts:]


def test_the_calendar_event_names_the_hosts(out: Path) -> None:
    for path in (out / "calendar.ics", out / "sessions/2023-01-21-tickets/event.ics"):
        cal = Calendar.from_ical(path.read_bytes())
        event = next(
            e for e in cal.walk("VEVENT") if isinstance(e, Event) and "tickets" in e["UID"]
        )
        assert "Hosts: Grace Hopper and Alan Turing" in str(event["DESCRIPTION"])
        assert str(event["SUMMARY"]) == "Lottery tickets — Ada Lovelace"


def test_hosting_is_not_speaking(out: Path) -> None:
    grace = (out / "speakers/grace/index.html").read_text()
    assert 'id="hosted-heading">Hosted</h2>' in grace
    assert "Lottery tickets" in grace and 'id="talks-heading"' not in grace
    assert "speakers/grace/" not in (out / "speakers/index.html").read_text()
    cal = Calendar.from_ical((out / "speakers/grace/calendar.ics").read_bytes())
    assert not list(cal.walk("VEVENT"))
    # Alan spoke elsewhere: his sessions are his talks, the hosted one listed apart
    alan = (out / "speakers/alan/index.html").read_text()
    talks, hosted_at = alan.index('id="talks-heading"'), alan.index('id="hosted-heading"')
    assert "Engines" in alan[talks:hosted_at] and "Lottery tickets" not in alan[talks:hosted_at]
    assert "Lottery tickets" in alan[hosted_at:]


def test_announce_prints_the_hosts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = write_site(tmp_path / "site", changes=hosted("[grace]"))
    capsys.readouterr()
    assert main(["announce", "2023-01-21-tickets", str(site), "--now", NOW]) == 0
    out = capsys.readouterr().out
    assert "Speaker: Ada Lovelace" in " ".join(out.split())
    assert "Host: Grace Hopper" in " ".join(out.split())


def test_an_unknown_host_is_a_located_error_with_a_suggestion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(tmp_path / "site", changes=hosted("[grace, gracee]"))
    capsys.readouterr()
    assert main(["check", str(site), "--now", NOW]) == 1
    err = capsys.readouterr().err
    assert f"{TICKETS}:4: unknown speaker 'gracee' (did you mean 'grace'?)" in err
