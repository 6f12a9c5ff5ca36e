"""Parsed files kept in ``.rgsite-cache/``: a build uses one only for the very file it
was parsed from, so no edit is ever missed."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from rgsite.build.builder import build
from rgsite.build.cache import FOLDER, Cache
from rgsite.options import Options
from rgsite.read import stored
from sitekit import write_site

NOW = datetime.fromisoformat("2023-01-25T12:00-07:00")
SESSION = "content/sessions/2023-01-21-tickets.md"
PAGE = "sessions/2023-01-21-tickets/index.html"


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files the test has just written count as settled, so their parses are stored."""
    monkeypatch.setattr(stored, "SETTLED_NS", 0)


def run(site: Path, cache: bool = True) -> str:
    build(Options(site=site, now=NOW, jobs=1, cache=cache))
    return (site / "_site" / PAGE).read_text(encoding="utf-8")


def stored_paths(site: Path) -> set[str]:
    cache = Cache(site / FOLDER)
    try:
        return set(cache.get_records())
    finally:
        cache.close()


def rewrite_keeping_stamps(path: Path, old: str, new: str) -> None:
    """Change the text in place, same size, and put its mtime back: what a careless tool
    or a quick second save within one clock tick can leave."""
    assert len(old) == len(new)
    info = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size


@pytest.mark.usefixtures("settled")
def test_an_edit_that_keeps_size_and_mtime_is_still_seen(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    assert "Lottery tickets" in run(site)
    assert SESSION in stored_paths(site)
    rewrite_keeping_stamps(site / SESSION, "Lottery tickets", "Lottery rockets")
    page = run(site)
    assert "Lottery rockets" in page
    assert "Lottery tickets" not in page


@pytest.mark.usefixtures("settled")
def test_a_file_replaced_by_one_of_the_same_size_and_mtime_is_read(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    run(site)
    path = site / SESSION
    info = path.stat()
    other = path.with_name(".replacement")
    other.write_text(path.read_text(encoding="utf-8").replace("tickets", "rockets", 1))
    os.utime(other, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(other, path)  # an editor's save by rename
    assert "Lottery rockets" in run(site)


@pytest.mark.usefixtures("settled")
def test_speakers_and_reading_lists_come_from_the_store_and_change_with_their_files(
    tmp_path: Path,
) -> None:
    site = write_site(tmp_path / "site")
    run(site)
    assert {"content/speakers.yaml", "content/reading-lists/foundations.yaml"} <= stored_paths(site)
    assert "Ada Lovelace" in run(site)
    rewrite_keeping_stamps(site / "content/speakers.yaml", "Ada Lovelace", "Ada Byron K.")
    assert "Ada Byron K." in run(site)


@pytest.mark.usefixtures("settled")
def test_a_damaged_store_is_parsed_again(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    clean = run(site)
    with sqlite3.connect(site / FOLDER / "cache.sqlite") as db:
        db.execute("UPDATE records SET value = '[\"x\", true' WHERE key LIKE '%tickets%'")
        db.execute("UPDATE records SET value = '[1, 2, 3]' WHERE key LIKE '%speakers%'")
    assert run(site) == clean


def test_a_file_changed_just_before_it_is_read_is_not_kept(tmp_path: Path) -> None:
    """Its stamps could stay the same through a second save in the same clock tick."""
    site = write_site(tmp_path / "site")
    run(site)
    assert SESSION not in stored_paths(site)


@pytest.mark.usefixtures("settled")
def test_a_removed_file_is_forgotten_and_no_cache_stores_nothing(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    run(site)
    (site / "content/sessions/2023-02-04-engines.md").unlink()
    run(site)
    assert "content/sessions/2023-02-04-engines.md" not in stored_paths(site)
    assert SESSION in stored_paths(site)
    bare = write_site(tmp_path / "bare")
    run(bare, cache=False)
    assert not (bare / FOLDER).exists()
