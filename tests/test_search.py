"""Search: the Pagefind index of the example site, driven in Chromium under the subpath."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from rgsite.cli import main
from rgsite.render.formats import search, search_pagefind
from sitekit import write_site

if TYPE_CHECKING:
    from playwright.sync_api import Page

REPO = Path(__file__).resolve().parents[1]
NOW = "2023-02-10T00:00-07:00"
SESSION = "/ml-theory/sessions/2023-03-04-lottery-ticket-hypothesis/"
PAPER = "/ml-theory/papers/#paper-lottery-ticket"


@pytest.fixture(scope="module", params=["one bundle", "sharded"])
def www(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A web root with the example site at /ml-theory/, as its base_url says: indexed as
    one bundle, as a small archive is, and dealt into shards, as a large one is."""
    root = tmp_path_factory.mktemp("search")
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "sharded":
            patch.setattr(search, "SHARD_SIZE", 6)
        assert main(["build", str(REPO), "-o", str(root / "ml-theory"), "--now", NOW]) == 0
    shards = json.loads((root / "ml-theory/pagefind/shards.json").read_text())
    assert (len(shards) > 2) == (request.param == "sharded")
    return root


def test_the_index_is_written_beside_the_pages(www: Path) -> None:
    out = www / "ml-theory"
    for name in ("pagefind-ui.js", "pagefind-ui.css", "pagefind.js", "pagefind-entry.json"):
        assert (out / "pagefind" / name).is_file(), name
    assert not (out / search_pagefind.RECORDS).exists(), "paper records are removed after indexing"
    html = (out / "search" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<script src="/ml-theory/js/search\.\w+\.js" defer>', html)
    assert 'data-bundle="/ml-theory/pagefind/" data-base="/ml-theory/"' in html


def test_paper_records_carry_filters_from_where_they_were_discussed(tmp_path: Path) -> None:
    from datetime import datetime

    from rgsite.errors import Problems
    from rgsite.options import Options
    from rgsite.read.archive import read_site

    write_site(tmp_path)
    options = Options(site=tmp_path, now=datetime.fromisoformat(NOW))
    site = read_site(tmp_path, Problems(), options)
    records = {r.url: r for r in search.paper_records(site)}
    lottery = records["papers/#paper-lottery-ticket"]
    assert lottery.title == "The lottery ticket hypothesis"
    assert lottery.filters == {
        "type": ["Paper"],
        "topic": ["sparsity"],
        "speaker": ["Ada Lovelace"],
        "year": ["2019"],
    }
    assert "Jonathan Frankle" in lottery.content and "arXiv:1803.03635" in lottery.content
    html = lottery.html("/club/", "en")
    assert 'data-pagefind-meta="url:/club/papers/#paper-lottery-ticket"' in html
    assert '<span data-pagefind-filter="speaker:Ada Lovelace"></span>' in html


def test_without_pagefind_the_build_still_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    write_site(tmp_path)
    monkeypatch.setattr(search, "executable", lambda: None)
    with caplog.at_level(logging.WARNING, logger="rgsite.render.formats.search"):
        assert main(["build", str(tmp_path), "--now", NOW]) == 0
    assert "pip install 'pagefind[bin]'" in caplog.text
    assert (tmp_path / "_site" / "search" / "index.html").is_file()
    assert not (tmp_path / "_site" / "pagefind").exists()


def results(page: Page, where: str = "#search") -> dict[str, str]:
    """Title -> href of each result shown."""
    links = page.locator(f"{where} .hit-title")
    return {
        links.nth(i).inner_text().strip(): str(links.nth(i).get_attribute("href"))
        for i in range(links.count())
    }


def open_filters(page: Page) -> None:
    """Opens the filters, which a wide window shows open already."""
    if not page.locator(".search-filters").evaluate("d => d.open"):
        page.locator(".search-filters summary").click()


def message(page: Page) -> str:
    return page.locator("#search .search-status").inner_text()


@pytest.mark.browser
def test_searching_lottery_finds_the_session_and_the_paper_and_filters_narrow(
    www: Path, serve_dir: Callable[[Path], str], page: Page
) -> None:
    base = serve_dir(www)
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(base + "ml-theory/search/")
    page.get_by_role("searchbox", name="Search").fill("lottery")
    page.wait_for_function(
        "document.querySelector('#search .search-status')?.textContent.includes('lottery')"
    )
    page.locator("#search .search-more").click()  # every result, not only the first ten
    page.wait_for_selector("#search .search-more", state="hidden")
    found = results(page)
    assert found.get("The lottery ticket hypothesis") == SESSION
    paper_title = "The lottery ticket hypothesis: finding sparse, trainable neural networks"
    assert found.get(paper_title) == PAPER
    everything = message(page)
    total = int(everything.split()[0])
    assert total >= 4

    open_filters(page)
    page.locator(".filter-group[data-filter='type'] input[value='Paper']").check()
    page.wait_for_function(
        "m => document.querySelector('#search .search-status')?.textContent !== m",
        arg=everything,
    )
    narrowed = int(message(page).split()[0])
    assert 0 < narrowed < total
    papers_only = results(page)
    assert paper_title in papers_only
    assert all(href.startswith("/ml-theory/papers/#paper-") for href in papers_only.values())

    page.goto(base + PAPER.removeprefix("/"))
    assert page.locator("#paper-lottery-ticket").count() == 1
    assert not [url for url in failed if "/pagefind/" in url or "/search/" in url]


@pytest.mark.browser
def test_a_query_in_the_address_searches_at_once_and_speaker_filters_work(
    www: Path, serve_dir: Callable[[Path], str], page: Page
) -> None:
    base = serve_dir(www)
    page.goto(base + "ml-theory/search/?q=lottery")
    page.wait_for_selector("#search .hit")
    assert page.get_by_role("searchbox", name="Search").input_value() == "lottery"
    before = message(page)
    open_filters(page)
    page.locator(".filter-group[data-filter='speaker'] input[value='Sree Harsha Nelaturu']").check()
    page.wait_for_function(
        "m => document.querySelector('#search .search-status')?.textContent !== m", arg=before
    )
    shown = results(page)
    assert "The lottery ticket hypothesis" in shown
    assert "Regular structures in lottery tickets" not in shown, "a Bhavnick proposal"
    assert page.url.endswith("/search/?q=lottery"), "the address keeps the query"


def test_an_edit_reindexes_only_the_shard_of_the_page_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(tmp_path)
    monkeypatch.setattr(search, "SHARD_SIZE", 3)
    out = tmp_path / "_site" / "pagefind"
    assert main(["build", str(tmp_path), "--now", NOW, "-q"]) == 0
    shards = [out, *(out / name for name in json.loads((out / "shards.json").read_text()))]
    assert len(shards) > 2

    def files(shard: Path) -> dict[str, int]:
        return {
            p.relative_to(shard).as_posix(): p.stat().st_ino
            for p in shard.rglob("*")
            if p.is_file() and search._own(p.relative_to(shard).parts[0])
        }

    before = [files(shard) for shard in shards]
    session = next((tmp_path / "content/sessions").glob("*.md"))
    session.write_text(session.read_text() + "\nA word nobody said before: quokka.\n")
    assert main(["build", str(tmp_path), "--now", NOW, "-q"]) == 0
    after = [files(shard) for shard in shards]
    changed = [n for n, (old, new) in enumerate(zip(before, after, strict=True)) if old != new]
    assert len(changed) == 1, "one shard indexed again, the others linked in untouched"
    assert any((shards[changed[0]] / "fragment").glob("*.pf_fragment")), "and it is whole"
    assert main(["build", str(tmp_path), "--now", NOW, "-q"]) == 0
    assert [files(shard) for shard in shards] == after, "an unchanged site writes nothing"
