"""Renderings with their links filled in, kept in ``.rgsite-cache/``: a build reuses one
only while the rendering and every link in it are as they were."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from rgsite.build.builder import build
from rgsite.build.cache import FOLDER
from rgsite.options import Options
from sitekit import write_site

NOW = datetime.fromisoformat("2023-01-25T12:00-07:00")
SESSION = "content/sessions/2023-01-21-tickets.md"
PAGE = "sessions/2023-01-21-tickets/index.html"


def run(site: Path) -> str:
    build(Options(site=site, now=NOW, jobs=1, cache=True))
    return (site / "_site" / PAGE).read_text(encoding="utf-8")


def edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_renamed_speaker_is_named_anew_in_every_link_to_them(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    assert ">Alan Turing</a>" in run(site)
    edit(site, "content/speakers.yaml", "name: Alan Turing", "name: Alan M. Turing")
    page = run(site)
    assert ">Alan M. Turing</a>" in page
    assert ">Alan Turing<" not in page


def test_a_link_to_another_part_of_a_page_follows_its_fragment(tmp_path: Path) -> None:
    """The same HTML with a link to another heading of the same page is another result."""
    site = write_site(tmp_path / "site")
    edit(site, SESSION, "with [[speaker:alan]]", "with [[session:2023-02-04-engines#aa|x]]")
    assert "2023-02-04-engines/#aa" in run(site)
    edit(site, SESSION, "engines#aa|x]]", "engines#bb|x]]")
    page = run(site)
    assert "2023-02-04-engines/#bb" in page
    assert "#aa" not in page


def test_a_damaged_store_is_resolved_again(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    clean = run(site)
    with sqlite3.connect(site / FOLDER / "cache.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM resolved").fetchone()[0] > 0
        db.execute("UPDATE resolved SET value = substr(value, 1, 40) || 'damaged'")
    assert run(site) == clean
