"""``content/papers.yaml``: written deterministically and atomically, read with located
errors, and used by the build under the hand-written reading lists."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rgsite.cli import main
from rgsite.errors import Problems, sorted_problems
from rgsite.model import Site
from rgsite.options import Options
from rgsite.papers.store import PATH, Entry, PaperDB, dumps, load_papers, merge, quote, save
from rgsite.read.archive import read_site
from rgsite.read.decode import decode, load_yaml
from sitekit import write_site

SGD = Entry(
    key="arxiv:2206.11124",
    title="A view of mini-batch SGD via generating functions",
    authors=("Maksim Velikanov", "Denis Kuznedelev", "Dmitry Yarotsky"),
    year=2022,
    arxiv="2206.11124",
)
RICCI = Entry(
    key="arxiv:math/0211159",
    title="The entropy formula for the Ricci flow and its geometric applications",
    authors=("Grisha Perelman",),
    year=2002,
    arxiv="math/0211159",
)


def reload(text: str) -> tuple[PaperDB, Problems]:
    problems = Problems()
    db = load_papers(load_yaml(PATH, decode(PATH, text.encode())), problems)
    return db, problems


def read(site: Path, **options: object) -> tuple[Site, Problems]:
    problems = Problems()
    return read_site(site, problems, Options(site=site, cache=False, **options)), problems  # type: ignore[arg-type]


# -- the file -----------------------------------------------------------------------------


def test_the_same_store_always_gives_the_same_bytes() -> None:
    one = dumps(PaperDB([SGD, RICCI]))
    assert one == dumps(PaperDB([RICCI, SGD]))
    assert one.index('"arxiv:2206.11124"') < one.index('"arxiv:math/0211159"')
    assert one.endswith('  year: 2002\n  arxiv: "math/0211159"\n')
    db, problems = reload(one)
    assert not problems.items
    assert list(db) == [SGD, RICCI]


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "no",
        "null",
        "~",
        "1.5e3",
        "0x1F",
        "2023-01-21",
        "14:00",
        "- x",
        "# x",
        "a: b",
        '"quoted"',
        "back\\slash",
        "tab\there",
        "line\nbreak",
        "nel\x85",
        "ls\u2028",
        "bom\ufeff",
        "del\x7f",
        "Erdős–Rényi",
        "∑ $\\ell_1$ 🎲",
        "{[&*!|>'%@`]}",
    ],
)
def test_every_text_reads_back_exactly(text: str) -> None:
    record = load_yaml(PATH, decode(PATH, f"value: {quote(text)}\n".encode()))
    assert record.data == {"value": text}


_TEXT = st.text(min_size=1).map(lambda t: " ".join(t.split())).filter(bool)


@pytest.mark.slow
@given(
    title=_TEXT,
    authors=st.lists(_TEXT, max_size=4),
    year=st.none() | st.integers(1000, 9999),
)
def test_entries_round_trip(title: str, authors: list[str], year: int | None) -> None:
    entry = Entry(
        key="doi:10.5555/x", title=title, authors=tuple(authors), year=year, doi="10.5555/X"
    )
    db, problems = reload(dumps(PaperDB([entry])))
    assert not problems.items
    assert list(db) == [entry]


def test_mistakes_are_reported_with_their_lines() -> None:
    text = (
        '"arxiv:2206.11124":\n'  # 1
        "  title: Fine\n"  # 2
        "  year: soon\n"  # 3
        "  venue: NeurIPS\n"  # 4
        '"isbn:978-3-16": {title: A book}\n'  # 5
        '"doi:nope": {title: X}\n'  # 6
        '"arxiv:2206.11124v2": {title: Again}\n'  # 7
        '"doi:10.5555/y": [not, a, mapping]\n'  # 8
        '"doi:10.5555/z": {arxiv: "12345"}\n'  # 9
    )
    db, problems = reload(text)
    assert [str(p) for p in sorted_problems(problems.items)] == [
        "content/papers.yaml:3: 'year' must be a whole number, not text",
        "content/papers.yaml:4: unknown key 'venue' in paper 'arxiv:2206.11124'; "
        "known keys: title, authors, year, arxiv, doi",
        "content/papers.yaml:5: 'isbn:978-3-16' is not a paper reference; keys of papers.yaml "
        "are arxiv:ID or doi:ID",
        "content/papers.yaml:6: 'doi:nope' is not a DOI like doi:10.1000/xyz123",
        "content/papers.yaml:7: 'arxiv:2206.11124v2' is stored twice; keep one entry per paper",
        "content/papers.yaml:8: 'doi:10.5555/y' must be a mapping with 'title:', 'authors:', "
        "'year:'",
        "content/papers.yaml:9: 'arxiv:12345' is not an arXiv id like arxiv:2206.11124 or "
        "arxiv:math/0211159",
    ]
    assert db.get("arxiv:2206.11124") == Entry(key="arxiv:2206.11124", title="Fine")


def test_a_broken_papers_yaml_fails_the_build_with_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(tmp_path, changes={PATH: '"arxiv:2206.11124":\n  title: [1, 2]\n'})
    assert main(["build", str(site)]) == 1
    assert "content/papers.yaml:2: 'title' must be text, not a list" in capsys.readouterr().err


def test_save_writes_only_a_change_and_keeps_the_mode(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    path = tmp_path / PATH
    assert save(tmp_path, PaperDB([SGD]))
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    path.chmod(0o600)
    before = path.stat().st_mtime_ns
    assert not save(tmp_path, PaperDB([SGD]))
    assert path.stat().st_mtime_ns == before
    assert save(tmp_path, PaperDB([SGD, RICCI]))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in (tmp_path / "content").iterdir()] == ["papers.yaml"]


# -- one paper, several names --------------------------------------------------------------


def test_entries_are_found_by_any_name_of_their_paper() -> None:
    published = Entry(key="doi:10.5555/sgd", title="Published", year=2023, doi="10.5555/SGD")
    preprint = Entry(
        key="arxiv:2206.11124",
        title="Preprint",
        authors=("M. V.",),
        year=2022,
        arxiv="2206.11124",
        doi="10.5555/SGD",
    )
    db = PaperDB([preprint, published])
    assert len(db) == 1
    one = db.get("arxiv:2206.11124v3")
    assert one == Entry(
        key="doi:10.5555/sgd",
        title="Published",
        authors=("M. V.",),
        year=2023,
        arxiv="2206.11124",
        doi="10.5555/SGD",
    )
    assert db.get("doi:10.5555/SGD") is one
    assert merge(preprint, published) == merge(published, preprint) == one
    assert db.discard("doi:10.5555/sgd") == one and len(db) == 0
    assert db.get("arxiv:2206.11124") is None


def test_an_arxiv_doi_names_the_preprint() -> None:
    entry = Entry(key="doi:10.48550/arxiv.1803.03635", title="T", doi="10.48550/arXiv.1803.03635")
    assert PaperDB([entry]).get("arxiv:1803.03635") == entry


# -- the build -----------------------------------------------------------------------------

STORE = (
    '"arxiv:2206.11124":\n'
    '  title: "A view of mini-batch SGD"\n'
    '  authors: ["Maksim Velikanov", "Denis Kuznedelev"]\n'
    "  year: 2022\n"
    '  arxiv: "2206.11124"\n'
    '"arxiv:1803.03635":\n'
    '  title: "Fetched lottery title"\n'
    '  authors: ["Someone Else"]\n'
    "  year: 1999\n"
    '  arxiv: "1803.03635"\n'
    '  doi: "10.5555/LOTTERY"\n'
    '"arxiv:math/0211159": {title: "Ricci flow", authors: [Grisha Perelman], year: 2002, '
    'arxiv: "math/0211159"}\n'
    '"doi:10.5555/uncited": {title: "Nobody cites this", year: 2001}\n'
)


def test_the_build_fills_papers_cited_by_identifier(tmp_path: Path) -> None:
    site_root = write_site(
        tmp_path,
        changes={
            PATH: STORE,
            "content/reading-lists/more.yaml": (
                "title: More\nsections:\n  - title: Bare references\n    items:\n"
                "      - arxiv:math/0211159\n      - doi:10.5555/lottery\n"
            ),
            "content/pages/about.md": "---\ntitle: About\n---\nSee [[paper:arxiv:2206.11124v1]].\n",
        },
    )
    site, problems = read(site_root)
    assert not problems.errors
    sgd = site.papers["arxiv:2206.11124"]
    assert (sgd.title, sgd.authors, sgd.year) == (
        "A view of mini-batch SGD",
        ("Maksim Velikanov", "Denis Kuznedelev"),
        2022,
    )
    assert sgd.described  # by the store: BibTeX gives it an author-year key
    assert site.papers["arxiv:math/0211159"].authors == ("Grisha Perelman",)
    # the described paper keeps every field written by hand; the DOI it lacked is added,
    # and the bare doi: item in the other list is that same paper
    lottery = site.papers["lottery-ticket"]
    assert (lottery.title, lottery.authors, lottery.year) == (
        "The lottery ticket hypothesis",
        ("Jonathan Frankle", "Michael Carbin"),
        2019,
    )
    assert lottery.doi == "10.5555/LOTTERY"
    assert site.lists["more"].sections[0].papers == ("arxiv:math/0211159", "lottery-ticket")
    assert "doi:10.5555/uncited" not in site.papers
    assert 'href="/club/papers/#paper-arxiv-2206-11124">A view of mini-batch SGD</a>' in (
        site.pages["about"].body_html
    )

    bare, _ = read(site_root, papers=False)
    assert bare.papers["arxiv:2206.11124"].title == "arXiv:2206.11124"
    assert bare.papers["doi:10.5555/lottery"].title == "doi:10.5555/lottery"
