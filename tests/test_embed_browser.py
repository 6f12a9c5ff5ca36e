"""The one-tag embed shows the next sessions on a page of another origin."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from rgsite.cli import main
from sitekit import MINIMAL, write_site

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

FUTURE = {
    **MINIMAL,
    "content/site.yaml": MINIMAL["content/site.yaml"] + "kinds: {talk: {name: Talk}}\n",
    "content/sessions/2099-03-07-next.md": (
        "---\ntitle: The next one\ndate: 2099-03-07 14:00\nspeakers: [ada]\nkind: talk\n---\n"
    ),
    "content/sessions/2099-03-21-then.md": "---\ntitle: The one after\nspeakers: [alan]\n---\n",
    "content/sessions/2099-04-04-off.md": "---\ntitle: Spring break\nstatus: break\n---\n",
    "content/sessions/2099-04-18-last.md": "---\ntitle: Too far ahead\n---\n",
}

HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Department</title>
<style>a { color: rgb(255, 0, 0); } ul { border: 5px solid blue; }</style></head>
<body><h1>Department of Theory</h1>
<script src="{src}" data-count="2" async></script>
<p id="after">After the schedule.</p>
</body></html>
"""


def serve_group(tmp_path: Path, serve_dir: Callable[[Path], str], *extra: str) -> str:
    """The group's site, built and served; returns its address."""
    site = tmp_path / "site"
    write_site(site, FUTURE)
    assert main(["build", str(site), "-o", str(tmp_path / "out"), *extra]) == 0
    return serve_dir(tmp_path / "out")


@pytest.fixture
def group(tmp_path: Path, serve_dir: Callable[[Path], str]) -> str:
    return serve_group(tmp_path, serve_dir)


def department(tmp_path: Path, serve_dir: Callable[[Path], str], src: str) -> str:
    """Another site, on another port, whose page pastes the one tag."""
    folder = tmp_path / "department"
    folder.mkdir()
    (folder / "index.html").write_text(HOST_PAGE.replace("{src}", src))
    return serve_dir(folder) + "index.html"


def test_another_origin_shows_the_next_sessions_from_one_tag(
    page: Page, group: str, tmp_path: Path, serve_dir: Callable[[Path], str]
) -> None:
    address = department(tmp_path, serve_dir, group + "embed.js")
    assert address.split("/")[2] != group.split("/")[2]  # another port: another origin
    page.goto(address)
    items = page.locator(".rgsite-embed__item")
    items.first.wait_for()
    assert items.count() == 2  # data-count, breaks left out
    first = items.nth(0)
    link = first.locator("a")
    assert link.inner_text() == "The next one"
    assert link.get_attribute("href") == "https://example.org/club/sessions/2099-03-07-next/"
    meta = first.locator(".rgsite-embed__meta").inner_text()
    assert "Ada Lovelace (Analytical Engines)" in meta and "Talk" in meta and "2099" in meta
    assert first.locator("time").get_attribute("datetime") == "2099-03-07T14:00:00-07:00"
    assert items.nth(1).locator("a").inner_text() == "The one after"
    section = page.get_by_role("region", name="Next sessions of Theory Club")
    assert section.is_visible()
    # Placed right after its tag; the page's styles do not reach into it.
    placed = "document.querySelector('script[data-count]').nextElementSibling.className"
    assert page.evaluate(placed) == "rgsite-embed"
    assert link.evaluate("a => getComputedStyle(a).color") != "rgb(255, 0, 0)"
    border = "ul => getComputedStyle(ul).borderTopWidth"
    assert page.locator(".rgsite-embed__list").evaluate(border) == "0px"


def test_without_its_data_the_embed_links_to_the_schedule(
    page: Page, group: str, tmp_path: Path, serve_dir: Callable[[Path], str]
) -> None:
    lonely = tmp_path / "lonely"
    lonely.mkdir()
    script = Path(__file__).resolve().parents[1] / "static" / "embed.js"
    (lonely / "embed.js").write_bytes(script.read_bytes())
    origin = serve_dir(lonely)
    page.goto(department(tmp_path, serve_dir, origin + "embed.js"))
    fallback = page.locator(".rgsite-embed__more a")
    fallback.wait_for()
    assert fallback.get_attribute("href") == origin + "sessions/"
    assert page.locator(".rgsite-embed__item").count() == 0


def test_a_site_with_a_relative_base_url_links_to_its_own_host(
    page: Page, tmp_path: Path, serve_dir: Callable[[Path], str]
) -> None:
    group = serve_group(tmp_path, serve_dir, "--base-url", "/")
    page.goto(department(tmp_path, serve_dir, group + "embed.js"))
    link = page.locator(".rgsite-embed__item a").first
    link.wait_for()
    assert link.evaluate("a => a.href") == group + "sessions/2099-03-07-next/"


def test_a_day_that_is_only_approximate_says_so(
    page: Page, tmp_path: Path, serve_dir: Callable[[Path], str]
) -> None:
    site = tmp_path / "site"
    guessed = "---\ntitle: The one after\ndate_approximate: true\n---\n"
    write_site(site, {**FUTURE, "content/sessions/2099-03-21-then.md": guessed})
    assert main(["build", str(site), "-o", str(tmp_path / "out")]) == 0
    group = serve_dir(tmp_path / "out")
    page.goto(department(tmp_path, serve_dir, group + "embed.js"))
    second = page.locator(".rgsite-embed__item").nth(1)
    second.wait_for()
    when = second.locator("time")
    assert when.get_attribute("datetime") == "2099-03-21"
    assert when.inner_text().endswith("(date approximate)")
    assert "announced" not in when.inner_text()
