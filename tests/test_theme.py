"""The default theme: what a reader sees, on the example archive and on tiny sites.

The example archive is built once per session (``example_build``, as of 10 February
2023: the next session is on the 18th). Browser tests pin the page's clock to that moment
unless they mean to move it, since the optional script retires sessions that are over.
"""

from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import EXAMPLE_NOW, EXAMPLE_SUBPATH, REPO
from rgsite.cli import main
from sitekit import write_site

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Browser, Page

BASE = "/ml-theory/"
ORIGIN = "https://example.org"
WEIGHT_LIMIT = 60_000
"""Bytes of the home page with every stylesheet and script it references, uncompressed."""
NEXT = "sessions/2023-02-18-generating-functions/"
LATER = "sessions/2023-03-04-lottery-ticket-hypothesis/"


class Refs(HTMLParser):
    """Every URL a page refers to, with the tag and attribute that holds it."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        for name in ("href", "src"):
            if name in attributes:
                self.refs.append((tag, name, attributes[name], attributes))


def refs(path: Path) -> list[tuple[str, str, str, dict[str, str]]]:
    parser = Refs()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.refs


def out_of(example_build: Path) -> Path:
    return example_build / EXAMPLE_SUBPATH


def html_of(example_build: Path, url: str) -> str:
    return (out_of(example_build) / url / "index.html").read_text(encoding="utf-8")


def target(out: Path, href: str) -> Path:
    """The file a site-absolute URL under the subpath names."""
    rel = href.split("#")[0].split("?")[0].removeprefix(BASE)
    path = out / rel
    return path / "index.html" if rel == "" or rel.endswith("/") else path


# The subpath and the assets ------------------------------------------------------------


def test_every_link_of_the_subpath_build_stays_under_ml_theory_and_resolves(
    example_build: Path,
) -> None:
    out = out_of(example_build)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 40
    wrong = []
    for page in pages:
        for tag, _, url, _ in refs(page):
            where = f"{page.relative_to(out)}: <{tag}> {url}"
            if url.startswith("/"):
                if not url.startswith(BASE):
                    wrong.append(f"{where} is outside {BASE}")
                elif not target(out, url).is_file():
                    wrong.append(f"{where} names no file")
            elif url.startswith(ORIGIN) and not url.startswith(ORIGIN + BASE):
                wrong.append(f"{where} is outside {BASE}")
            elif not re.match(r"([a-z][a-z0-9+.-]*:|#)", url) and url:
                wrong.append(f"{where} is relative; links are site-absolute")
    assert not wrong, "\n".join(wrong)


def home_assets(out: Path) -> list[Path]:
    """The stylesheets, scripts and images the home page makes a browser fetch."""
    fetched = []
    for tag, _, url, attrs in refs(out / "index.html"):
        fetches = (tag == "link" and "stylesheet" in attrs.get("rel", "")) or tag in (
            "script",
            "img",
        )
        if fetches and url.startswith("/"):
            fetched.append(target(out, url))
    return fetched


def test_the_home_page_with_its_css_and_scripts_weighs_under_60_kb(
    example_build: Path,
) -> None:
    out = out_of(example_build)
    assets = home_assets(out)
    assert any(a.suffix == ".css" for a in assets) and any(a.suffix == ".js" for a in assets)
    total = (out / "index.html").stat().st_size + sum(a.stat().st_size for a in assets)
    assert total < WEIGHT_LIMIT, {p.name: p.stat().st_size for p in [out / "index.html", *assets]}


def test_stylesheets_and_scripts_have_fingerprinted_names(example_build: Path) -> None:
    out = out_of(example_build)
    names = {path.name for path in home_assets(out)}
    for stem in ("site", "print"):
        assert any(re.fullmatch(rf"{stem}\.[0-9a-f]{{10}}\.css", n) for n in names), names
    assert any(re.fullmatch(r"site\.[0-9a-f]{10}\.js", n) for n in names), names


def test_the_print_stylesheet_is_for_print_only(example_build: Path) -> None:
    html = html_of(example_build, NEXT)
    assert re.search(
        r'<link rel="stylesheet" href="/ml-theory/css/print\.\w+\.css" media="print">', html
    )
    print_css = (REPO / "static/css/print.css").read_text(encoding="utf-8")
    for hidden in (".site-header", ".site-footer", ".pager", ".skip-link"):
        assert hidden in print_css


# The home page and the session pages ---------------------------------------------------


def test_the_home_page_leads_with_the_next_session(example_build: Path) -> None:
    home = html_of(example_build, "")
    main_part = home.split('<main id="main"', 1)[1]
    first_section = main_part.split("<section", 2)[1]
    assert 'id="next-heading"' in first_section
    feature = first_section.split("data-feature", 2)[1]
    assert "hidden" not in feature.split(">", 1)[0]
    assert f'href="{BASE}{NEXT}"' in feature
    assert "Generating functions approach to gradient descent analysis" in feature
    assert "Saturday 18 February 2023" in feature and "14:00" not in feature
    assert '<time datetime="2023-02-18">' in feature and "date approximate" in feature
    assert f'href="{BASE}speakers/yaroslav-bulatov/">Yaroslav Bulatov</a>' in feature
    assert "Read beforehand" in feature and 'href="https://arxiv.org/abs/2206.11124"' in feature
    later = first_section.split("data-feature", 2)[2]
    assert "hidden" in later.split(">", 1)[0], "only the first upcoming session is featured"


def build_tiny(
    root: Path, now: str, *args: str, changes: dict[str, str | None] | None = None
) -> Path:
    write_site(root, changes=changes)
    assert main(["build", str(root), "--now", now, "--quiet", *args]) == 0
    return root / "_site"


def test_the_home_page_gives_the_join_link_and_the_session_page_hides_it_once_past(
    tmp_path: Path,
) -> None:
    out = build_tiny(tmp_path, "2023-01-25T12:00-07:00")
    home = (out / "index.html").read_text(encoding="utf-8")
    feature = home.split("data-feature", 1)[1].split("</article>")[0]
    assert '<a class="button" href="https://example.org/join">Join the session</a>' in feature
    assert "Saturday 4 February 2023" in feature and "3:00\u2009–\u20094:00\u202fPM MST" in feature
    upcoming = (out / "sessions/2023-02-04-engines/index.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/join"' in upcoming
    assert 'data-end="2023-02-04T16:00:00-07:00"' in upcoming
    past = (out / "sessions/2023-01-21-tickets/index.html").read_text(encoding="utf-8")
    assert "Join the session" not in past and "data-end" not in past


def test_drafts_cancellations_and_video_and_slides_are_marked(tmp_path: Path) -> None:
    out = build_tiny(
        tmp_path,
        "2023-01-25T12:00-07:00",
        "--drafts",
        changes={
            "content/sessions/2023-02-18-secret.md": "---\ntitle: Secret\ndraft: true\n"
            "resources:\n"
            "  - {title: Recording, url: 'https://example.org/video', kind: video}\n"
            "  - {title: Slides, kind: slides}\n---\nBody.\n",
            "content/sessions/2023-03-04-off.md": (
                "---\ntitle: Called off\nstatus: cancelled\n---\n"
            ),
        },
    )
    draft = (out / "sessions/2023-02-18-secret/index.html").read_text(encoding="utf-8")
    assert '<span class="badge badge-draft">Draft</span>' in draft
    assert 'class="notice notice-draft"' in draft
    video = draft.split('class="resource resource-video"')[1].split("</li>")[0]
    assert 'class="icon icon-video"' in video and ">Video</span>" in video
    assert '<a href="https://example.org/video">Recording</a>' in video
    assert "resource-slides" not in draft, "slides listed without an address are not shown"
    off = (out / "sessions/2023-03-04-off/index.html").read_text(encoding="utf-8")
    assert '<span class="badge badge-cancelled">Cancelled</span>' in off
    assert "This session was cancelled." in off and "Join the session" not in off
    archive = (out / "sessions/index.html").read_text(encoding="utf-8")
    row = archive.split('<li class="session-row is-cancelled"')[1].split("</li>")[0]
    assert "Called off" in row and "badge-cancelled" in row
    assert "badge-draft" in archive.split("Secret</a>")[1].split("</li>")[0]
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "Called off" not in home.split("data-feature")[1], (
        "a cancelled session is never featured"
    )


# In the browser ------------------------------------------------------------------------


def open_page(
    browser: Browser,
    base: str,
    url: str,
    *,
    now: str = EXAMPLE_NOW,
    width: int = 1280,
    zone: str = "America/Edmonton",
    locale: str = "en-GB",
    javascript: bool = True,
) -> Page:
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        timezone_id=zone,
        locale=locale,
        java_script_enabled=javascript,
    )
    page = context.new_page()
    page.clock.set_fixed_time(datetime.fromisoformat(now))
    page.goto(base + url)
    return page


@pytest.mark.browser
def test_no_page_scrolls_sideways_on_a_phone(
    browser: Browser, example_url: str, example_build: Path
) -> None:
    out = out_of(example_build)
    urls = [
        p.relative_to(out).as_posix().removesuffix("index.html")
        for p in sorted(out.rglob("*.html"))
    ]
    page = open_page(browser, example_url, "", width=375)
    wide = {}
    try:
        for url in urls:
            page.goto(example_url + url)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 375:
                wide[url] = width
    finally:
        page.context.close()
    assert not wide, wide


@pytest.mark.browser
def test_pages_read_without_javascript(browser: Browser, example_url: str) -> None:
    page = open_page(browser, example_url, "", javascript=False)
    try:
        feature = page.locator("[data-feature]:not([hidden])")
        assert feature.count() == 1
        assert (
            feature.get_by_role("heading", level=3).inner_text().startswith("Generating functions")
        )
        assert feature.locator("time").is_visible()
        page.goto(example_url + NEXT)
        assert page.get_by_role("heading", level=1).is_visible()
        assert page.locator(".badge-upcoming").is_visible()
        assert page.locator("math").first.is_visible(), "math is MathML, rendered without a script"
    finally:
        page.context.close()


@pytest.mark.browser
def test_the_script_retires_a_session_once_it_is_over(browser: Browser, example_url: str) -> None:
    after = "2023-02-19T00:30:00-07:00"  # a day of unrecorded hours is over at midnight
    page = open_page(browser, example_url, "", now=after)
    try:
        feature = page.locator("[data-feature]:not([hidden])")
        assert feature.count() == 1
        assert "The lottery ticket hypothesis" in feature.inner_text()
        assert page.locator("[data-later]").is_hidden(), "nothing later than the featured one"
        page.goto(example_url + "sessions/")
        past = page.locator("[data-past]")
        assert past.get_by_role("link", name="Generating functions approach").is_visible()
        upcoming = page.locator("[data-upcoming]")
        assert upcoming.get_by_role("link", name="Generating functions approach").count() == 0
        page.goto(example_url + NEXT)
        assert page.locator(".badge-upcoming").is_hidden()
        page.goto(example_url + LATER)
        assert page.locator(".badge-upcoming").is_visible()
    finally:
        page.context.close()


@pytest.mark.browser
def test_times_are_also_shown_in_the_readers_zone(
    browser: Browser, serve_dir: Callable[[Path], str], tmp_path: Path
) -> None:
    now = "2023-01-25T12:00-07:00"
    write_site(tmp_path / "site")
    www = tmp_path / "www"
    assert main(["build", str(tmp_path / "site"), "-o", str(www / "club"), "--now", now]) == 0
    base = serve_dir(www) + "club/"
    page = open_page(browser, base, "", zone="Europe/Berlin", now=now)
    try:
        local = page.locator("[data-feature]:not([hidden]) .local-time")
        # the site's language (en) and its clock (12-hour), whatever the browser's own
        text = local.inner_text()
        assert text.startswith("Your time: ") and "11:00" in text and "PM" in text
    finally:
        page.context.close()
    page = open_page(browser, base, "", zone="America/Edmonton", now=now)
    try:
        assert page.locator(".local-time").count() == 0, "no second time in the group's own zone"
    finally:
        page.context.close()


@pytest.mark.browser
def test_a_printed_session_page_has_no_navigation(browser: Browser, example_url: str) -> None:
    page = open_page(browser, example_url, NEXT)
    try:
        page.emulate_media(media="print")
        assert page.locator(".site-header").is_hidden()
        assert page.locator(".site-footer").is_hidden()
        assert page.get_by_role("heading", level=1).is_visible()
        assert (
            page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
        )
    finally:
        page.context.close()


def test_only_pages_with_math_or_code_link_the_math_font_and_code_colours(
    tmp_path: Path,
) -> None:
    session = "content/sessions/2023-01-21-tickets.md"
    changes = {
        session: "---\ntitle: Lottery tickets\n---\nThe mask $m \\in \\{0, 1\\}^d$ and\n\n"
        "```python\nmask = weights.abs() > threshold\n```\n"
    }
    out = build_tiny(tmp_path, "2023-03-01T00:00-07:00", changes=changes)
    with_both = (out / "sessions/2023-01-21-tickets/index.html").read_text(encoding="utf-8")
    assert re.search(r'<link rel="stylesheet" href="/club/css/math\.\w+\.css">', with_both)
    assert '<link rel="preload" href="/club/fonts/latinmodern-math.woff2" as="font"' in with_both
    assert re.search(r'<link rel="stylesheet" href="/club/css/pygments\.\w+\.css">', with_both)
    for plain in ("sessions/2023-02-04-engines/index.html", "index.html", "about/index.html"):
        html = (out / plain).read_text(encoding="utf-8")
        assert "math." not in html and "latinmodern" not in html and "pygments." not in html
    math_css = next((out / "css").glob("math.*.css")).read_text(encoding="utf-8")
    for font in re.findall(r'url\("\.\./(fonts/[\w.-]+\.woff2)"\)', math_css):
        assert (out / font).is_file(), font
    assert (out / "fonts/GUST-FONT-LICENSE.txt").is_file(), "the licence travels with the font"
    code = next((out / "css").glob("pygments.*.css")).read_text(encoding="utf-8")
    assert ':root[data-theme="dark"] .highlight' in code, "code follows the reader's choice"
