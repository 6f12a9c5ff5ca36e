"""Sections with nothing in them leave the site; advice for organisers goes to the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from rgsite.build.builder import build
from rgsite.cli import main
from rgsite.options import Options
from sitekit import SITE_YAML, write_site

BARE = {
    "content/site.yaml": SITE_YAML,
    "content/speakers.yaml": "ada:\n  name: Ada Lovelace\n",
    "content/sessions/2023-01-21-first.md": "---\ntitle: First meeting\n---\nHello.\n",
}
OPTIONAL = ("speakers", "people", "topics", "series", "proposals", "reading", "papers")


def test_a_site_with_sessions_alone_shows_no_empty_sections(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", BARE)
    build(Options(site=site, cache=False))
    out = site / "_site"
    for section in OPTIONAL:
        assert not (out / section / "index.html").exists(), section
    pages = [p for p in out.rglob("*.html") if "pagefind" not in p.parts]
    for page in pages:
        html = page.read_text()
        for section in OPTIONAL:
            assert f'href="/club/{section}/"' not in html, (page, section)
        assert "<code>" not in html and "add " not in html, page
    sitemap = (out / "sitemap.xml").read_text()
    assert all(f"/club/{section}/</loc>" not in sitemap for section in OPTIONAL)
    assert (out / "404.html").exists() and (out / "search/index.html").exists()
    assert (out / "speakers/ada/index.html").exists()  # a profile, linked from nowhere yet


def test_the_full_example_keeps_every_section(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    build(Options(site=site, cache=False))
    nav = (site / "_site/index.html").read_text().split('aria-label="Main"')[1].split("</nav>")[0]
    for section in ("sessions", "speakers", "topics", "proposals", "reading", "papers", "search"):
        assert f'href="/club/{section}/"' in nav


def test_check_says_what_would_fill_an_empty_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(tmp_path / "site", BARE)
    capsys.readouterr()
    assert main(["check", str(site)]) == 0
    out = capsys.readouterr().out
    assert "note: nothing has topics, so there is no Topics page; add 'topics: [...]'" in out
    assert "note: there are no proposals, so there is no Proposals page" in out
    assert "note: no session names a speaker, so there is no Speakers page" in out
    assert "all good" in out
    capsys.readouterr()
    assert main(["build", str(site), "-v", "--no-cache"]) == 0
    assert "note: there are no reading lists" in capsys.readouterr().out
