"""``rgsite serve`` in Chromium: the page follows the files without the test navigating."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from rgsite.options import Options
from rgsite.preview.serve import Preview
from sitekit import write_site

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

NOW = datetime(2023, 1, 1, tzinfo=UTC)
SESSION = "content/sessions/2023-01-21-tickets.md"
PAGE = "sessions/2023-01-21-tickets/"
LONG = "\n\n".join(f"Paragraph {n} of a long recap, to scroll past." for n in range(120))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site")


@pytest.fixture
def preview(site: Path, tmp_path: Path) -> Iterator[Preview]:
    options = Options(site=site, out=tmp_path / "out", drafts=True, now=NOW, jobs=1, cache=False)
    with Preview(options, port=0, quiet=0.05) as running:
        yield running


def mark(page: Page) -> None:
    """Set a marker that survives only as long as the page is not reloaded."""
    page.evaluate("window.__marker = 'still here'")


def marked(page: Page) -> bool:
    return bool(page.evaluate("window.__marker === 'still here'"))


def wait_build(page: Page, preview: Preview, epoch: int) -> None:
    """Wait until a build after ``epoch`` is done (at most 10 s)."""
    for _ in range(500):
        if preview.state.epoch > epoch:
            return
        page.wait_for_timeout(20)
    raise AssertionError("no rebuild happened")


def append(site: Path, rel: str, text: str) -> None:
    path = site / rel
    path.write_text(path.read_text() + text)


def test_editing_markdown_reloads_the_page(page: Page, preview: Preview, site: Path) -> None:
    from playwright.sync_api import expect

    page.goto(preview.url + PAGE)
    expect(page.locator("h1")).to_have_text("Lottery tickets")
    mark(page)
    append(site, SESSION, "\nA sentence typed just now.\n")
    expect(page.locator("main")).to_contain_text("A sentence typed just now.")
    assert not marked(page)
    mark(page)
    path = site / SESSION
    path.write_text(path.read_text().replace("title: Lottery tickets", "title: Winning tickets"))
    expect(page.locator("h1")).to_have_text("Winning tickets")
    assert not marked(page)


def test_an_unrelated_edit_does_not_reload(page: Page, preview: Preview, site: Path) -> None:
    from playwright.sync_api import expect

    page.goto(preview.url + PAGE)
    expect(page.locator("h1")).to_have_text("Lottery tickets")
    mark(page)
    epoch = preview.state.epoch
    append(site, "content/pages/about.md", "\nSomething unrelated.\n")
    page.wait_for_function(f"window.__rgsiteEpoch >= {epoch + 1}")
    assert marked(page)


def test_css_edit_swaps_the_stylesheet_without_reload(
    page: Page, preview: Preview, site: Path
) -> None:
    from playwright.sync_api import expect

    page.goto(preview.url + PAGE)
    expect(page.locator("h1")).to_have_text("Lottery tickets")
    mark(page)
    css = site / "static/css/site.css"
    css.parent.mkdir(parents=True)
    css.write_text("body { background-color: rgb(1, 2, 3); }\n")
    page.wait_for_function(
        "getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'", timeout=10000
    )
    assert marked(page)
    css.write_text("body { background-color: rgb(4, 5, 6); }\n")
    page.wait_for_function(
        "getComputedStyle(document.body).backgroundColor === 'rgb(4, 5, 6)'", timeout=10000
    )
    assert marked(page)
    hrefs = page.evaluate(
        "Array.from(document.querySelectorAll('link[rel=stylesheet]'), l => l.href)"
    )
    assert sum("/css/site." in href for href in hrefs) == 1


def test_scroll_position_survives_a_reload(page: Page, preview: Preview, site: Path) -> None:
    from playwright.sync_api import expect

    epoch = preview.state.epoch
    append(site, SESSION, "\n" + LONG + "\n")
    wait_build(page, preview, epoch)  # before the page opens
    page.set_viewport_size({"width": 800, "height": 600})
    page.goto(preview.url + PAGE)
    expect(page.locator("main")).to_contain_text("Paragraph 119")
    page.evaluate("window.scrollTo({top: 1500, behavior: 'instant'})")
    page.wait_for_function("window.scrollY === 1500")
    mark(page)
    append(site, SESSION, "\nThe very last word.\n")
    expect(page.locator("main")).to_contain_text("The very last word.")
    assert not marked(page)
    page.wait_for_timeout(300)
    assert abs(page.evaluate("window.scrollY") - 1500) < 5


def test_build_errors_show_in_the_page_and_clear_when_fixed(
    page: Page, preview: Preview, site: Path
) -> None:
    from playwright.sync_api import expect

    page.goto(preview.url + PAGE)
    expect(page.locator("h1")).to_have_text("Lottery tickets")
    mark(page)
    speakers = site / "content/speakers.yaml"
    good = speakers.read_text()
    speakers.write_text(good + "grace:\n  name: [Grace <b>Hopper</b>\n")
    overlay = page.locator("#rgsite-errors")
    expect(overlay).to_be_visible()
    expect(overlay).to_contain_text("content/speakers.yaml:")
    text = overlay.inner_text()
    assert "content/speakers.yaml:" in text and "YAML" in text
    assert page.locator("#rgsite-errors b").count() == 0
    assert marked(page), "a failed build must not reload the page"
    # a page opened while the site is broken shows the overlay at once
    other = page.context.new_page()
    other.goto(preview.url)
    expect(other.locator("#rgsite-errors")).to_contain_text("content/speakers.yaml:")
    speakers.write_text(good)
    expect(overlay).to_have_count(0)
    expect(other.locator("#rgsite-errors")).to_have_count(0)
    expect(page.locator("h1")).to_have_text("Lottery tickets")


def test_unknown_speaker_shows_file_and_line(page: Page, preview: Preview, site: Path) -> None:
    from playwright.sync_api import expect

    page.goto(preview.url + PAGE)
    path = site / SESSION
    path.write_text(path.read_text().replace("speakers: [ada]", "speakers: [adaa]"))
    overlay = page.locator("#rgsite-errors")
    expect(overlay).to_contain_text(f"{SESSION}:3")
    expect(overlay).to_contain_text("unknown speaker 'adaa'")
    path.write_text(path.read_text().replace("speakers: [adaa]", "speakers: [ada]"))
    expect(overlay).to_have_count(0)


def test_deleting_a_session_gives_404(page: Page, preview: Preview, site: Path) -> None:
    from playwright.sync_api import expect

    bonus = site / "content/sessions/2023-03-04-bonus.md"
    bonus.write_text("---\ntitle: Bonus round\n---\nExtra.\n")
    epoch = preview.state.epoch
    wait_build(page, preview, epoch)
    response = page.goto(preview.url + "sessions/2023-03-04-bonus/")
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_text("Bonus round")
    bonus.unlink()
    expect(page.locator("h1")).not_to_have_text("Bonus round")
    response = page.goto(preview.url + "sessions/2023-03-04-bonus/")
    assert response is not None and response.status == 404


def test_a_hidden_tab_lets_go_and_catches_up_when_shown(
    page: Page, preview: Preview, site: Path
) -> None:
    from playwright.sync_api import expect

    page.goto(preview.url + PAGE)
    expect(page.locator("h1")).to_have_text("Lottery tickets")
    page.evaluate(
        """() => {
        Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
        document.dispatchEvent(new Event('visibilitychange'));
    }"""
    )
    mark(page)
    epoch = preview.state.epoch
    append(site, SESSION, "\nWritten while the tab was hidden.\n")
    wait_build(page, preview, epoch)
    page.wait_for_timeout(300)
    assert marked(page), "a hidden tab has no stream, so it does not reload"
    assert "Written while the tab was hidden." not in page.inner_text("main")
    page.evaluate(
        """() => {
        Object.defineProperty(document, 'visibilityState', {value: 'visible', configurable: true});
        document.dispatchEvent(new Event('visibilitychange'));
    }"""
    )
    expect(page.locator("main")).to_contain_text("Written while the tab was hidden.")
    assert not marked(page)


def test_drafts_show_a_badge(page: Page, preview: Preview, site: Path) -> None:
    from playwright.sync_api import expect

    (site / "content/sessions/2023-03-04-draft.md").write_text(
        "---\ntitle: Not yet\ndraft: true\n---\nSecret.\n"
    )
    epoch = preview.state.epoch
    wait_build(page, preview, epoch)
    page.goto(preview.url + "sessions/2023-03-04-draft/")
    expect(page.locator("h1")).to_have_text("Not yet")
    expect(page.locator(".badge-draft")).to_be_visible()
