"""What a reader meets on every page of the example site, in Chromium: the header's search
box, the light/dark switch, the math font, wide formulas and figures on a phone."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import EXAMPLE_SUBPATH

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.browser

MATH_PAGE = "sessions/2023-02-18-generating-functions/"
FIGURE_PAGE = "sessions/2023-03-04-lottery-ticket-hypothesis/"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(example_build: Path, serve_dir: Callable[[Path], str]) -> str:
    """The example site's address, served under its subpath with its search index."""
    return serve_dir(example_build) + EXAMPLE_SUBPATH + "/"


@pytest.fixture
def contexts(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    made: list[BrowserContext] = []

    def new(**options: object) -> BrowserContext:
        made.append(browser.new_context(**options))  # type: ignore[arg-type]
        return made[-1]

    yield new
    for context in made:
        context.close()


def background(page: Page) -> str:
    return str(page.evaluate("getComputedStyle(document.body).backgroundColor"))


# Search from every page ------------------------------------------------------------------


def test_slash_focuses_the_header_search_and_results_say_what_and_when(
    site: str, page: Page
) -> None:
    page.goto(site + "speakers/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "header-search-input"
    page.keyboard.type("lottery")
    panel = page.locator(".search-panel")
    page.wait_for_selector(".search-panel .hit")
    assert "results for “lottery”" in panel.locator(".search-status").inner_text()
    hits = {
        panel.locator(".hit-title").nth(i).inner_text(): panel.locator(".hit-about").nth(i)
        for i in range(panel.locator(".hit").count())
    }
    abouts = {title: about.inner_text() for title, about in hits.items()}
    assert abouts["The lottery ticket hypothesis"] == "Session · Saturday 4 March 2023"
    paper = "The lottery ticket hypothesis: finding sparse, trainable neural networks"
    assert abouts[paper] == "Paper · 2019"
    body = page.evaluate("getComputedStyle(document.body).fontSize")
    excerpt = page.evaluate("getComputedStyle(document.querySelector('.hit-excerpt')).fontSize")
    assert excerpt == body, "result text is body text"

    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.className") == "hit-title"
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    page.locator("#header-search-input").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=lottery$"))
    page.wait_for_selector("#search .hit")


def test_slash_types_a_slash_in_a_field(site: str, page: Page) -> None:
    page.goto(site + "search/")
    page.locator("#search .search-input").fill("")
    page.locator("#search .search-input").type("a/b")
    assert page.locator("#search .search-input").input_value() == "a/b"


def test_without_javascript_the_header_box_is_a_form_to_the_search_page(
    site: str, contexts: Callable[..., BrowserContext]
) -> None:
    page = contexts(java_script_enabled=False).new_page()
    page.goto(site + "topics/")
    assert page.locator(".theme-switch").is_hidden(), "a switch that could not work"
    page.get_by_role("searchbox", name="Search the site").fill("adam")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=adam$"))
    assert "Search needs JavaScript." in page.locator("p.notice:visible").inner_text()


def test_the_search_page_on_a_phone_leads_with_results_and_keeps_filters_folded(
    site: str, contexts: Callable[..., BrowserContext]
) -> None:
    page = contexts(viewport=PHONE).new_page()
    page.goto(site + "search/?q=gradient")
    page.wait_for_selector("#search .hit")
    assert not page.evaluate("document.querySelector('.search-filters').open")
    top = page.locator("#search .hit").first.bounding_box()
    assert top is not None and top["y"] < 640, "the first result shows on the first screen"


def test_the_highlight_is_soft_in_the_dark(
    site: str, contexts: Callable[..., BrowserContext]
) -> None:
    page = contexts(color_scheme="dark").new_page()
    page.goto(site + "search/?q=lottery")
    page.wait_for_selector("#search .hit mark")
    colour = page.evaluate("getComputedStyle(document.querySelector('mark')).backgroundColor")
    assert colour == "rgb(77, 63, 18)", colour


# The colour scheme --------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_switch_defaults_to_the_system_and_its_choice_survives_a_reload(
    site: str, contexts: Callable[..., BrowserContext], scheme: str
) -> None:
    other = "light" if scheme == "dark" else "dark"
    page = contexts(color_scheme=scheme).new_page()
    page.goto(site)
    switch = page.get_by_role("button", name="Dark theme")
    assert switch.get_attribute("aria-pressed") == str(scheme == "dark").lower()
    system = background(page)

    switch.click()
    assert switch.get_attribute("aria-pressed") == str(other == "dark").lower()
    chosen = background(page)
    assert chosen != system
    assert page.evaluate("localStorage.getItem('rgsite-theme')") == other

    # set before the first paint by the head's own script, not by site.js
    page.route(re.compile(r"/js/site\.\w+\.js$"), lambda route: route.abort())
    page.goto(site + "sessions/")
    assert page.evaluate("document.documentElement.dataset.theme") == other
    assert background(page) == chosen

    page.unroute(re.compile(r"/js/site\.\w+\.js$"))
    page.reload()
    page.get_by_role("button", name="Dark theme").click()
    assert background(page) == system
    assert page.evaluate("localStorage.getItem('rgsite-theme')") is None, "back to the system"


# Math ----------------------------------------------------------------------------------


def fonts_fetched(page: Page, path: str, site: str) -> list[str]:
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if "/fonts/" in r.url else None)
    page.goto(site + path)
    page.evaluate("document.fonts.ready.then(() => true)")
    return fetched


def test_the_math_font_is_loaded_by_a_page_with_math_and_by_no_other(site: str, page: Page) -> None:
    fetched = fonts_fetched(page, MATH_PAGE, site)
    assert [url.rsplit("/", 1)[1] for url in fetched] == ["latinmodern-math.woff2"], fetched
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert '"Latin Modern Math"' in loaded or "Latin Modern Math" in loaded, loaded
    family = page.evaluate("getComputedStyle(document.querySelector('math')).fontFamily")
    assert family.startswith('"Latin Modern Math"'), family

    # 𝒩 (script N) is in the second file, fetched only by a page that shows it
    fetched = fonts_fetched(page, "sessions/2023-02-04-privacy-of-noisy-sgd/", site)
    names = {url.rsplit("/", 1)[1] for url in fetched}
    assert "latinmodern-math-alphabets.woff2" in names, fetched
    assert "latinmodern-math-more.woff2" not in names, fetched

    for path in ("", "speakers/", "search/"):
        assert fonts_fetched(page, path, site) == [], path
        assert page.locator("link[href*='math']").count() == 0


def test_a_wide_formula_on_a_phone_scrolls_with_a_visible_cue(
    site: str, contexts: Callable[..., BrowserContext]
) -> None:
    page = contexts(viewport=PHONE).new_page()
    page.goto(site + MATH_PAGE)
    wide = page.locator(".math-scroll.is-wide").first
    wide.scroll_into_view_if_needed()
    assert wide.get_attribute("tabindex") == "0"
    assert wide.get_attribute("role") == "group"
    assert wide.get_attribute("aria-label") == "Wide formula: scroll sideways to read it all"
    sizes = wide.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert sizes[0] > sizes[1]
    style = wide.evaluate("e => getComputedStyle(e).backgroundImage")
    assert style.count("radial-gradient") == 2, "a shadow at each edge with more to see"
    wide.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("e => e.scrollLeft > 0", arg=wide.element_handle())


# Phones and wide screens -----------------------------------------------------------------


def test_figure_labels_stay_at_12_px_or_more_on_a_phone(
    site: str, contexts: Callable[..., BrowserContext]
) -> None:
    page = contexts(viewport=PHONE).new_page()
    page.goto(site + FIGURE_PAGE)
    figure = page.locator(".prose img[src$='figure.svg']")
    box = figure.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]
    # The drawing as the page shows it: its own document at the size the image has.
    drawing = contexts(viewport={"width": round(box["width"]), "height": round(box["height"])})
    svg = drawing.new_page()
    svg.goto(str(figure.evaluate("e => e.currentSrc")))
    sizes = svg.evaluate(
        """[...document.querySelectorAll('text')]
           .filter(t => getComputedStyle(t).display !== 'none')
           .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""
    )
    assert sizes and min(sizes) >= 11.9, sizes


def test_a_reading_list_keeps_its_sections_in_view_on_a_wide_screen(
    site: str, contexts: Callable[..., BrowserContext]
) -> None:
    page = contexts(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(site + "reading/mlss-africa/")
    toc = page.locator(".reading-list > .toc")
    first = page.locator(".list-section").first.bounding_box()
    side = toc.bounding_box()
    assert first is not None and side is not None
    assert side["x"] > first["x"] + first["width"], "beside the list, not above it"
    page.mouse.wheel(0, 2500)
    page.wait_for_function("window.scrollY > 2000")
    assert toc.is_visible()
    after = toc.bounding_box()
    assert after is not None and 0 <= after["y"] < 100, "still in view far down the list"


def test_without_an_index_search_says_so_and_the_header_box_still_leads_there(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    serve_dir: Callable[[Path], str],
    page: Page,
) -> None:
    from rgsite.cli import main
    from rgsite.render.formats import search
    from sitekit import write_site

    write_site(tmp_path / "src")
    monkeypatch.setattr(search, "executable", lambda: None)
    out = tmp_path / "www" / "club"
    assert main(["build", str(tmp_path / "src"), "-o", str(out), "--quiet"]) == 0
    base = serve_dir(tmp_path / "www") + "club/"
    page.goto(base + "search/")
    assert page.locator("#search-unavailable").is_visible()
    page.goto(base + "speakers/")
    page.keyboard.press("/")
    page.keyboard.type("ada")
    status = page.locator(".search-panel .search-status")
    status.wait_for()
    assert "press Enter to open the search page" in status.inner_text()
