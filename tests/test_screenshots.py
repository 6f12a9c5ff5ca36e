"""Screenshots of the pages readers open most: phone and desktop, light and dark.

The home, a session, a speaker and a reading-list page of the example archive are shot
at 375 and 1280 px in both colour schemes into ``screenshots/`` at the repository root
(git-ignored), or into the folder ``RGSITE_SCREENSHOTS`` names. Look at them after a theme
change. Each shot also asserts what a reader would notice at once: nothing scrolls
sideways, the title and the navigation are on the first screen, the colour scheme is the
one asked for, and on the home page the next session is on the first screen.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import EXAMPLE_NOW, REPO

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PAGES = {
    "home": "",
    "session": "sessions/2023-02-18-generating-functions/",
    "speaker": "speakers/yaroslav-bulatov/",
    "reading-list": "reading/mlss-africa/",
}
HEIGHT = 900


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = Path(os.environ.get("RGSITE_SCREENSHOTS") or REPO / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def first_screen(page: Page, selector: str, width: int) -> None:
    """``selector``'s first match is visible, whole across, and starts on the first screen."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    assert box["y"] < HEIGHT and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (
        selector,
        box,
    )


def brightness(css_colour: str) -> float:
    parts = (
        css_colour[css_colour.index("(") + 1 : css_colour.index(")")].replace("/", " ").split(",")
    )
    red, green, blue = (float(v) for v in parts[:3])
    return (0.299 * red + 0.587 * green + 0.114 * blue) / 255


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots_of_the_pages_readers_open_most(
    browser: Browser, example_url: str, shots: Path, width: int, scheme: str
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": HEIGHT},
        color_scheme=scheme,  # type: ignore[arg-type]
        timezone_id="America/Edmonton",
        locale="en-GB",
    )
    try:
        page = context.new_page()
        page.clock.set_fixed_time(datetime.fromisoformat(EXAMPLE_NOW))
        for name, url in PAGES.items():
            page.goto(example_url + url)
            shot = shots / f"{name}-{width}-{scheme}.png"
            page.screenshot(path=shot, full_page=True)
            assert shot.stat().st_size > 10_000, shot
            where = f"{name} at {width}px, {scheme}"
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{where} scrolls sideways: {scroll_width}px"
            first_screen(page, "h1", width)
            for link in page.locator(".site-nav a").all():
                box = link.bounding_box()
                assert box is not None and box["x"] + box["width"] <= width, f"{where}: nav clipped"
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            text = page.evaluate("getComputedStyle(document.querySelector('h1')).color")
            if scheme == "light":
                assert brightness(background) > 0.9 and brightness(text) < 0.3, where
            else:
                assert brightness(background) < 0.15 and brightness(text) > 0.8, where
            if name == "home":
                first_screen(page, "[data-feature]:not([hidden]) .feature-title", width)
                first_screen(page, "[data-feature]:not([hidden]) time", width)
    finally:
        context.close()
