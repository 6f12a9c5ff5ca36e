"""Every page leads with what there is: no empty "Upcoming", no "nothing scheduled" first,
no offer of a next session that does not exist."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from rgsite.cli import main
from sitekit import MINIMAL, write_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser

AFTER_ALL = "2023-03-01T12:00-07:00"
"""Both sessions of the tiny site are over."""
BEFORE_ALL = "2023-01-10T12:00-07:00"
_LATER = ("content/sessions/", "content/proposals/")
NO_SESSIONS = {k: v for k, v in MINIMAL.items() if not k.startswith(_LATER)}
"""A group just starting: speakers and a reading list, no sessions or proposals yet."""


def build(root: Path, now: str, files: dict[str, str] | None = None) -> Path:
    write_site(root / "site", files)
    assert main(["build", str(root / "site"), "-o", str(root / "out"), "--now", now, "-q"]) == 0
    return root / "out"


def main_of(out: Path, rel: str) -> str:
    html = (out / rel).read_text(encoding="utf-8")
    return html.split('<main id="main"', 1)[1].split("</main>")[0]


def test_with_nothing_ahead_the_home_page_leads_with_the_latest_recap(tmp_path: Path) -> None:
    home = main_of(build(tmp_path, AFTER_ALL), "index.html")
    first = home.split("<section", 2)[1]
    assert 'id="recaps-heading"' in first
    assert first.index("Engines") < first.index("Lottery tickets"), "the latest first"
    assert "next-heading" not in home and "Next session" not in home
    assert "No session is scheduled" not in home and 'class="empty"' not in home


def test_with_a_session_ahead_the_home_page_leads_with_it(tmp_path: Path) -> None:
    home = main_of(build(tmp_path, BEFORE_ALL), "index.html")
    assert 'id="next-heading"' in home.split("<section", 2)[1]
    assert "recaps-heading" not in home


def test_the_archive_has_no_empty_upcoming_section(tmp_path: Path) -> None:
    archive = main_of(build(tmp_path, AFTER_ALL), "sessions/index.html")
    assert "Upcoming" not in archive and "data-upcoming" not in archive
    assert 'id="past-heading"' in archive and 'class="empty"' not in archive


def test_an_archive_of_only_upcoming_sessions_shows_no_past(tmp_path: Path) -> None:
    archive = main_of(build(tmp_path, BEFORE_ALL), "sessions/index.html")
    assert 'id="upcoming-heading"' in archive
    past = archive.split("data-past", 1)[1].split(">", 1)[0]
    assert "hidden" in past, "kept hidden for the script, which moves sessions once over"
    assert "No sessions have taken place" not in archive


def test_the_404_page_offers_the_next_session_only_when_there_is_one(tmp_path: Path) -> None:
    none_ahead = main_of(build(tmp_path / "a", AFTER_ALL), "404.html")
    assert "next session" not in none_ahead and "Home</a>" in none_ahead
    one_ahead = main_of(build(tmp_path / "b", BEFORE_ALL), "404.html")
    assert "Home</a> — the next session" in one_ahead


def test_a_site_without_sessions_keeps_one_gentle_line(tmp_path: Path) -> None:
    out = build(tmp_path, AFTER_ALL, NO_SESSIONS)
    home = main_of(out, "index.html")
    assert home.count('class="empty"') == 1
    assert "once the first one is scheduled" in home
    archive = main_of(out, "sessions/index.html")
    assert "Upcoming" not in archive and "Past" not in archive
    assert archive.count('class="empty"') == 1


@pytest.mark.browser
def test_a_session_that_ends_moves_to_a_past_section_the_page_did_not_show(
    tmp_path: Path, browser: Browser, serve_dir: Callable[[Path], str]
) -> None:
    """Built before both sessions; read after both: the archive shows them under Past, and
    the home page leads with no next session."""
    www = tmp_path / "www"
    write_site(tmp_path / "site")
    command = ["build", str(tmp_path / "site"), "-o", str(www / "club"), "--now", BEFORE_ALL]
    assert main([*command, "-q"]) == 0
    base = serve_dir(www) + "club/"
    context = browser.new_context(timezone_id="America/Edmonton")
    try:
        page = context.new_page()
        page.clock.set_fixed_time(datetime.fromisoformat(AFTER_ALL))
        page.goto(base + "sessions/")
        assert page.locator("[data-upcoming]").is_hidden()
        past = page.locator("[data-past]")
        assert past.is_visible()
        assert past.get_by_role("link", name="Engines").is_visible()
        page.goto(base)
        assert page.locator(".next-session").is_hidden()
    finally:
        context.close()
