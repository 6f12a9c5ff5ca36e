"""BibTeX files read back with bibtexparser: types, arXiv fields, escaping, keys, links."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware

from rgsite.errors import Location
from rgsite.model import Paper
from rgsite.render.formats.bibtex import cite_keys, entry, escape

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def example(example_site: Path) -> Path:
    return example_site


def parse(text: str) -> bibtexparser.Library:
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return library


def paper(**fields: object) -> Paper:
    values: dict[str, object] = {"id": "p", "title": "A paper", "source": Location("x.yaml")}
    values.update(fields)
    return Paper(**values)  # type: ignore[arg-type]


def test_each_reading_list_has_a_bib_that_round_trips(example: Path) -> None:
    lists = sorted((REPO / "content" / "reading-lists").glob("*.yaml"))
    assert lists
    keys: dict[str, str] = {}
    for source in lists:
        bib = example / "reading" / f"{source.stem}.bib"
        library = parse(bib.read_text(encoding="utf-8"))
        assert library.entries, bib
        found = [e.key for e in library.entries]
        assert len(found) == len(set(found)), bib
        for item in library.entries:
            assert item.entry_type == "misc"
            assert item["title"]
            # One key per paper across the site: every file agrees.
            assert keys.setdefault(item.key, item["title"]) == item["title"]
    mlss = parse((example / "reading" / "mlss-africa.bib").read_text(encoding="utf-8"))
    by_title = {e["title"]: e for e in mlss.entries}
    assert "Why Deep Learning Generalises" not in by_title, "notes with no year are not cited"
    assert "Some Intuition on Neural Tangent Kernels" not in by_title, "nor is a blog post"
    sessions = parse((example / "reading" / "session-papers.bib").read_text(encoding="utf-8"))
    by_title = {e["title"]: e for e in sessions.entries}
    notes = by_title["Lecture Notes on Neural Information Retrieval"]
    assert notes["author"] == "Nicola Tonellotto" and notes["note"] == "Lecture notes"
    arxiv = [e for e in mlss.entries if "eprint" in e.fields_dict]
    assert arxiv
    for item in arxiv:
        assert item["archivePrefix"] == "arXiv"
        assert item["url"] == f"https://arxiv.org/abs/{item['eprint']}"
        assert re.fullmatch(r"\d{4}\.\d{4,5}(v\d+)?", item["eprint"])


class BibLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") or ""
        if tag == "a" and href.endswith(".bib"):
            self.links.append(href)


def bib_links(page: Path) -> list[str]:
    parser = BibLinks()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.links


def test_every_paper_links_to_its_bibtex(example: Path) -> None:
    papers_page = example / "papers" / "index.html"
    links = bib_links(papers_page)
    articles = papers_page.read_text(encoding="utf-8").count('<article class="paper"')
    # The arXiv papers and the one set of lecture notes with a year; no post, code or link.
    assert len(links) == 30 and articles > 50
    assert "/ml-theory/papers/ntk-intuition.bib" not in links
    assert not (example / "papers" / "ntk-intuition.bib").exists()
    for href in links:
        target = example / href.removeprefix("/ml-theory/")
        (item,) = parse(target.read_text(encoding="utf-8")).entries
        assert item.entry_type == "misc"
    lottery = parse((example / "papers" / "lottery-ticket.bib").read_text(encoding="utf-8"))
    (item,) = lottery.entries
    assert item.key == "frankle2019lottery"
    assert item["author"] == "Jonathan Frankle and Michael Carbin"
    assert (item["eprint"], item["archivePrefix"], item["year"]) == ("1803.03635", "arXiv", "2019")
    reading = example / "reading" / "mlss-africa" / "index.html"
    assert "/ml-theory/reading/mlss-africa.bib" in bib_links(reading)


def test_special_characters_round_trip() -> None:
    title = "Ünïcode & 100% $x$ #1 _a_ {b} ~c^ \\d — “q” – ImageNet SGD Ångström ßøł Čech ‘s’ 深度"
    item = paper(
        title=title,
        authors=("Ferenc Huszár", "Jürgen Schmidhuber"),
        year=2020,
        arxiv="1234.56789",
        doi="10.1000/a_b%c",
    )
    text = entry(item, "k")
    assert "{ImageNet}" in text and "{SGD}" in text, "capitals kept from lowercasing styles"
    assert "Husz{\\'a}r" in text
    (parsed,) = parse(text).entries
    # pylatexenc decodes \textasciicircum to U+02C6, the modifier letter; it is LaTeX's ^.
    assert parsed["title"].replace("\u02c6", "^") == title
    assert parsed["author"] == "Ferenc Huszár and Jürgen Schmidhuber"
    assert parsed["doi"] == "10.1000/a_b%c"
    assert parsed["url"] == "https://arxiv.org/abs/1234.56789"


def test_entry_types_and_fields_by_kind() -> None:
    post = entry(paper(kind="post", url="https://blog.example/a#b"), "post")
    (parsed,) = parse(post).entries
    assert parsed.entry_type == "misc"
    assert parsed["note"] == "Blog post"
    assert parsed["url"] == "https://blog.example/a#b"
    assert "howpublished" in parsed.fields_dict
    doi = entry(paper(doi="10.5555/x"), "d")
    (parsed,) = parse(doi).entries
    assert parsed["doi"] == "10.5555/x" and parsed["url"] == "https://doi.org/10.5555/x"
    assert "eprint" not in parsed.fields_dict


def test_keys_are_unique_and_ascii() -> None:
    from types import SimpleNamespace

    site = SimpleNamespace(
        papers={
            "a": paper(id="a", title="Deep learning", authors=("Yann LeCun",), year=2015),
            "b": paper(id="b", title="Deep learning", authors=("Yann LeCun",), year=2015),
            "c": paper(id="c", title="The Æsthetic of Łódź", authors=("Zoë Ñúñez",)),
            "arxiv:2206.11124": paper(
                id="arxiv:2206.11124", title="arXiv:2206.11124", described=False
            ),
        }
    )
    keys = cite_keys(site)  # type: ignore[arg-type]
    assert keys["a"] == "lecun2015deep" and keys["b"] == "lecun2015deepa"
    assert keys["arxiv:2206.11124"] == "arxiv220611124"
    assert all(re.fullmatch(r"[a-z0-9]+", k) for k in keys.values()), keys


def test_escape_leaves_plain_ascii_alone() -> None:
    assert escape("Plain title, with (parentheses).") == "Plain title, with (parentheses)."
