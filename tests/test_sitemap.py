"""sitemap.xml against the sitemaps.org schema, robots.txt, and canonical URLs."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import xmlschema

from rgsite.cli import main
from sitekit import write_site

SCHEMA = Path(__file__).parent / "data" / "sitemap.xsd"
NOW = "2023-02-10T00:00-07:00"
BASE = "https://example.org/ml-theory/"
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def example(example_site: Path) -> Path:
    return example_site


def pages(out: Path) -> list[Path]:
    """Every HTML page rgsite wrote (not the search index's files)."""
    return sorted(p for p in out.rglob("*.html") if not p.is_relative_to(out / "pagefind"))


def page_url(out: Path, page: Path) -> str:
    rel = page.relative_to(out).as_posix()
    return BASE + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel)


def test_sitemap_is_valid_and_lists_every_page(example: Path) -> None:
    schema = xmlschema.XMLSchema(SCHEMA)
    schema.validate(example / "sitemap.xml")
    locs = [loc.text for loc in ET.parse(example / "sitemap.xml").iter(f"{NS}loc")]
    assert len(locs) == len(set(locs))
    expected = {page_url(example, p) for p in pages(example)} - {BASE + "404.html"}
    assert set(locs) == expected
    assert locs[0] == BASE
    assert BASE + "search/" in locs


def test_an_invalid_sitemap_fails_the_schema(tmp_path: Path) -> None:
    """The schema is strict enough to catch the mistakes a generator could make."""
    schema = xmlschema.XMLSchema(SCHEMA)
    for bad in (
        "<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><loc>/a/</loc></url></urlset>",
        "<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><lastmod>2023</lastmod>"
        "<loc>https://example.org/</loc></url></urlset>",
        "<urlset><url><loc>https://example.org/</loc></url></urlset>",
    ):
        assert not schema.is_valid(bad), bad


def test_robots_names_the_sitemap(example: Path) -> None:
    lines = (example / "robots.txt").read_text().splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {BASE}sitemap.xml" in lines


class Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.canonical: list[str] = []
        self.og_url: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("rel") == "canonical":
            self.canonical.append(str(found.get("href")))
        if tag == "meta" and found.get("property") == "og:url":
            self.og_url.append(str(found.get("content")))


def test_every_page_has_its_canonical_url(example: Path) -> None:
    for page in pages(example):
        head = Head()
        head.feed(page.read_text(encoding="utf-8"))
        assert head.canonical == [page_url(example, page)], page
        assert head.og_url == head.canonical, page


def test_a_site_with_a_path_base_url_has_no_sitemap(tmp_path: Path) -> None:
    write_site(tmp_path)
    assert main(["build", str(tmp_path), "--now", NOW, "--base-url", "/"]) == 0
    out = tmp_path / "_site"
    assert not (out / "sitemap.xml").exists()
    robots = (out / "robots.txt").read_text()
    assert "User-agent: *" in robots and "Sitemap" not in robots


def test_a_page_named_in_any_language_is_listed_percent_encoded(tmp_path: Path) -> None:
    session = "content/sessions/2023-03-01-café-naïve.md"
    write_site(tmp_path, changes={session: "---\ntitle: Bayes in Paris\n---\nNotes.\n"})
    assert main(["build", str(tmp_path), "--now", NOW]) == 0
    out = tmp_path / "_site"
    assert (out / "sessions/2023-03-01-café-naïve/index.html").is_file()
    xmlschema.XMLSchema(SCHEMA).validate(str(out / "sitemap.xml"))
    locs = [e.text or "" for e in ET.parse(out / "sitemap.xml").iter(f"{NS}loc")]
    assert "https://example.org/club/sessions/2023-03-01-caf%C3%A9-na%C3%AFve/" in locs
    assert all(loc.isascii() for loc in locs)
