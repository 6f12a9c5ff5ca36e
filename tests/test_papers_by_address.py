"""Papers by plain address, and reading-list items that wait for their title."""

from __future__ import annotations

from pathlib import Path

from rgsite.build.builder import build
from rgsite.commands.papers import wanted_refs
from rgsite.errors import Problems
from rgsite.options import Options
from rgsite.papers.store import PaperDB
from rgsite.read.archive import read_site
from sitekit import LIST_YAML, write_site

OPENREVIEW = "https://openreview.net/forum?id=Hyg0vbWC-"
SESSION = f"""\
---
title: Engines
date: 2023-02-04 15:00
speakers: [alan]
papers: ['{OPENREVIEW}', 'https://example.org/notes/gd/', arxiv:1706.03762]
---
Second session.
"""
UNTITLED = """\
      - arxiv: "1706.03762"
        tldr: Attention is enough.
      - url: https://example.org/notes/gd/
        kind: notes
"""


def built(tmp_path: Path, papers_yaml: str | None = None) -> Path:
    changes = {
        "content/sessions/2023-02-04-engines.md": SESSION,
        "content/reading-lists/foundations.yaml": LIST_YAML + UNTITLED,
        "content/papers.yaml": papers_yaml,
    }
    site = write_site(tmp_path / "site", changes=changes)
    build(Options(site=site, cache=False))
    return site / "_site"


def test_a_paper_cited_by_its_address_is_shown_by_it(tmp_path: Path) -> None:
    out = built(tmp_path)
    html = (out / "sessions/2023-02-04-engines/index.html").read_text()
    assert (
        f'<article class="paper" id="paper-openreview-net-forum-id-hyg0vbwc">\n'
        f'  <h3 class="paper-title is-untitled"><a href="{OPENREVIEW}">'
        "openreview.net/forum?id=Hyg0vbWC-</a>"
    ) in html
    papers = (out / "papers/index.html").read_text()
    assert 'id="paper-openreview-net-forum-id-hyg0vbwc"' in papers
    assert "Paper for" not in papers


def test_an_address_alone_has_no_bibtex(tmp_path: Path) -> None:
    out = built(tmp_path)
    assert not (out / "papers/openreview-net-forum-id-hyg0vbwc.bib").exists()
    assert not (out / "papers/example-org-notes-gd.bib").exists()
    papers = (out / "papers/index.html").read_text()
    article = papers.split('id="paper-openreview-net-forum-id-hyg0vbwc"')[1].split("</article>")[0]
    assert "BibTeX" not in article
    bib = (out / "reading/foundations.bib").read_text()
    assert "example.org/notes" not in bib and "eprint = {1706.03762}" in bib


def test_a_session_citing_a_list_items_address_cites_that_item(tmp_path: Path) -> None:
    out = built(tmp_path)
    papers = (out / "papers/index.html").read_text()
    assert papers.count('id="paper-example-org-notes-gd"') == 1
    item = papers.split('id="paper-example-org-notes-gd"')[1].split("</article>")[0]
    assert ">example.org/notes/gd</a>" in item and "Notes" in item
    assert "Discussed in" in item and "Listed in" in item


def test_an_untitled_arxiv_item_is_shown_by_its_id_until_its_title_is_fetched(
    tmp_path: Path,
) -> None:
    out = built(tmp_path)
    papers = (out / "papers/index.html").read_text()
    item = papers.split('id="paper-arxiv-1706-03762"')[1].split("</article>")[0]
    assert 'is-untitled"><a href="https://arxiv.org/abs/1706.03762">arXiv:1706.03762</a>' in item
    assert "Attention is enough." in item
    fetched = '"arxiv:1706.03762":\n  title: "Attention is all you need"\n  year: 2017\n'
    out = built(tmp_path / "again", fetched)
    papers = (out / "papers/index.html").read_text()
    item = papers.split('id="paper-arxiv-1706-03762"')[1].split("</article>")[0]
    title = '"paper-title"><a href="https://arxiv.org/abs/1706.03762">Attention is all you need'
    assert title in item
    assert "title = {Attention is all you need}" in (out / "reading/foundations.bib").read_text()


def test_papers_fetch_looks_up_an_untitled_item_but_not_an_address(tmp_path: Path) -> None:
    item = '      - arxiv: "1706.03762"\n        authors: [Ashish Vaswani]\n        year: 2017\n'
    site = write_site(
        tmp_path / "site",
        changes={
            "content/sessions/2023-02-04-engines.md": SESSION,
            "content/reading-lists/foundations.yaml": LIST_YAML + item,
        },
    )
    problems = Problems()
    read = read_site(site, problems, Options(site=site, papers=False))
    assert not problems.errors
    wanted = wanted_refs(read, PaperDB(), refresh=False)
    assert "arxiv:1706.03762" in wanted  # authors and year, but no title yet
    assert not any(ref.startswith("http") for ref in wanted)
