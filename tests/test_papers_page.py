"""The papers page: grouped by kind and year with counts, a filter by topic made of plain
links, where each was discussed, and BibTeX only where there is something to cite."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from rgsite.cli import main
from sitekit import MINIMAL, write_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser

NOW = "2023-03-01T12:00-07:00"
SHELF = """\
title: Shelf
sections:
  - title: Everything
    items:
      - id: lottery-ticket
        title: "The lottery ticket hypothesis"
        authors: [Jonathan Frankle, Michael Carbin]
        year: 2019
        arxiv: "1803.03635"
        topics: [sparsity]
      - id: double-descent
        title: "Deep double descent"
        authors: [Preetum Nakkiran]
        year: 2020
        arxiv: "1912.02292"
        topics: [generalization]
      - id: old-classic
        title: A printed classic
        authors: [Vladimir Vapnik]
        year: 1995
        topics: [generalization]
      - id: untraceable
        title: Some paper someone mentioned
      - id: ticket-post
        title: A blog post about tickets
        authors: [Someone Blogging]
        year: 2020
        url: https://example.org/blog/tickets
        kind: post
        topics: [sparsity]
      - id: ticket-code
        title: Pruning code
        url: https://github.com/example/prune
        kind: code
"""
FILES = {
    **{k: v for k, v in MINIMAL.items() if not k.startswith("content/reading-lists/")},
    "content/reading-lists/shelf.yaml": SHELF,
    "content/sessions/2023-02-18-video.md": (
        "---\ntitle: Watching a talk\npapers: ['https://www.youtube.com/watch?v=abc']\n"
        "---\nWe watched.\n"
    ),
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("papers")
    write_site(root / "site", FILES)
    assert main(["build", str(root / "site"), "-o", str(root / "out"), "--now", NOW, "-q"]) == 0
    return root / "out"


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def headings(html: str, level: int) -> list[str]:
    found = re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", h).split()) for h in found]


def entry(html: str, paper_id: str) -> str:
    return html.split(f'id="paper-{paper_id}"')[1].split("</article>")[0]


def test_papers_are_grouped_by_kind_then_year_with_counts(out: Path) -> None:
    html = read(out, "papers/index.html")
    main_part = html.split('<main id="main"')[1]
    # arxiv:2206.11124 comes from a session of MINIMAL: a paper known by its id alone.
    assert headings(main_part, 2)[1:] == ["Papers 5", "Blog posts 1", "Videos 1", "Code 1"]
    papers = main_part.split('id="kind-paper"')[1].split("</section>")[0]
    assert headings(papers, 3) == ["2020 1", "2019 1", "1995 1", "Year not given 2"]
    assert papers.index("Deep double descent") < papers.index("The lottery ticket hypothesis")
    videos = main_part.split('id="kind-video"')[1].split("</section>")[0]
    assert "youtube.com/watch?v=abc" in videos and 'class="year"' not in videos


def test_the_topic_filter_is_plain_links_with_the_current_one_marked(out: Path) -> None:
    html = read(out, "papers/index.html")
    nav = html.split('class="paper-filter"')[1].split("</nav>")[0]
    assert '<a href="/club/papers/" aria-current="page">All <span class="count">8</span>' in nav
    assert '<a href="/club/papers/topic/sparsity/">sparsity <span class="count">2</span>' in nav
    assert "generalization" in nav and "<script" not in nav
    sparsity = read(out, "papers/topic/sparsity/index.html")
    assert "<h1>Papers on sparsity</h1>" in sparsity
    nav = sparsity.split('class="paper-filter"')[1].split("</nav>")[0]
    assert 'href="/club/papers/topic/sparsity/" aria-current="page"' in nav
    assert 'href="/club/papers/" aria-current' not in nav
    shown = set(re.findall(r'<article class="paper" id="paper-([^"]+)"', sparsity))
    assert shown == {"lottery-ticket", "ticket-post"}


def test_each_entry_says_where_it_was_discussed(out: Path) -> None:
    ticket = entry(read(out, "papers/index.html"), "lottery-ticket")
    assert "Discussed in" in ticket and 'href="/club/sessions/2023-01-21-tickets/"' in ticket


def test_bibtex_only_where_there_is_something_to_cite(out: Path) -> None:
    html = read(out, "papers/index.html")
    for cited in ("lottery-ticket", "double-descent", "old-classic"):
        assert "BibTeX" in entry(html, cited), cited
        assert (out / f"papers/{cited}.bib").is_file(), cited
    for uncited in ("ticket-post", "ticket-code", "untraceable"):
        assert "BibTeX" not in entry(html, uncited), uncited
        assert not (out / f"papers/{uncited}.bib").exists(), uncited
    shelf = read(out, "reading/shelf.bib")
    assert "1803.03635" in shelf and "blog post about tickets" not in shelf
    assert not [p for p in (out / "papers").glob("*.bib") if "youtube" in p.name], "a video"


def test_no_topics_means_no_filter(tmp_path: Path) -> None:
    untagged = "".join(ln for ln in SHELF.splitlines(True) if "topics:" not in ln)
    write_site(tmp_path / "site", {**FILES, "content/reading-lists/shelf.yaml": untagged})
    assert main(["build", str(tmp_path / "site"), "-o", str(tmp_path / "out"), "-q"]) == 0
    html = read(tmp_path / "out", "papers/index.html")
    assert "paper-filter" not in html
    assert not (tmp_path / "out/papers/topic").exists()


@pytest.mark.browser
def test_the_topic_filter_works_with_javascript_off(
    out: Path, browser: Browser, serve_dir: Callable[[Path], str], tmp_path: Path
) -> None:
    www = tmp_path / "www"
    www.mkdir()
    (www / "club").symlink_to(out, target_is_directory=True)
    base = serve_dir(www) + "club/"
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + "papers/")
        assert page.locator("article.paper").count() == 8
        filters = page.get_by_role("navigation", name="Topics")
        filters.get_by_role("link", name="sparsity").click()
        page.wait_for_url("**/papers/topic/sparsity/")
        assert page.get_by_role("heading", level=1).inner_text() == "Papers on sparsity"
        titles = page.locator("article.paper .paper-title a").all_inner_texts()
        assert sorted(titles) == ["A blog post about tickets", "The lottery ticket hypothesis"]
        current = page.locator(".paper-filter [aria-current=page]")
        assert current.inner_text().startswith("sparsity")
        page.get_by_role("navigation", name="Topics").get_by_role("link", name="All").click()
        assert page.locator("article.paper").count() == 8
    finally:
        context.close()
