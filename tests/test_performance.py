"""The fast paths give the same site as the slow ones: parallel, cached, incremental."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from benchmarks.generate import generate

from rgsite.build.builder import Builder, build
from rgsite.cli import main
from rgsite.options import Options
from sitekit import write_site

NOW = "2023-01-25T12:00-07:00"


def tree(root: Path) -> dict[str, bytes]:
    """Every output file but Pagefind's index, whose chunk names change from run to run."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).as_posix().startswith("pagefind/")
    }


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("archive"), 150)


@pytest.mark.slow
def test_parallel_build_is_identical_to_one_process(archive: Path, tmp_path: Path) -> None:
    assert (
        main(
            [
                "build",
                str(archive),
                "-o",
                str(tmp_path / "one"),
                "--jobs",
                "1",
                "--no-cache",
                "-q",
                "--now",
                NOW,
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "build",
                str(archive),
                "-o",
                str(tmp_path / "two"),
                "--jobs",
                "2",
                "--no-cache",
                "-q",
                "--now",
                NOW,
            ]
        )
        == 0
    )
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert one.keys() == two.keys()
    assert one == two


def test_a_warm_build_renders_nothing_and_writes_nothing(tmp_path: Path) -> None:
    write_site(tmp_path)
    options = Options(site=tmp_path, out=tmp_path / "_site")
    first = build(options)
    assert first.rendered == first.pages
    mtimes = {p: p.stat().st_mtime_ns for p in (tmp_path / "_site").rglob("*") if p.is_file()}
    second = build(options)
    assert (second.rendered, second.written) == (0, 0)
    assert mtimes == {
        p: p.stat().st_mtime_ns for p in (tmp_path / "_site").rglob("*") if p.is_file()
    }


@pytest.mark.slow
def test_one_edit_rerenders_only_what_shows_it(archive: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    generate(site, 150)
    out = tmp_path / "out"
    options = Options(site=site, out=out, jobs=1)
    build(options)
    session = sorted((site / "content/sessions").glob("*.md"))[70]
    session.write_text(session.read_text() + "\nA new closing remark.\n")
    result = build(options)
    assert 1 <= result.rendered < 10
    assert result.written == result.rendered - (result.rendered - result.written)
    clean = tmp_path / "clean"
    build(Options(site=site, out=clean, cache=False))
    assert tree(out) == tree(clean)


def test_no_cache_ignores_and_leaves_the_cache(tmp_path: Path) -> None:
    write_site(tmp_path)
    build(Options(site=tmp_path, cache=False))
    assert not (tmp_path / ".rgsite-cache").exists()


def test_a_corrupt_cache_is_ignored_and_the_output_is_right(tmp_path: Path) -> None:
    write_site(tmp_path)
    build(Options(site=tmp_path))
    expected = tree(tmp_path / "_site")
    (tmp_path / ".rgsite-cache" / "cache.sqlite").write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        (tmp_path / ".rgsite-cache" / f"cache.sqlite{suffix}").unlink(missing_ok=True)
    write_site(tmp_path, changes={"content/pages/about.md": "---\ntitle: About\n---\nNew words.\n"})
    result = build(Options(site=tmp_path))
    assert result.rendered > 0
    assert b"New words." in (tmp_path / "_site/about/index.html").read_bytes()
    assert tree(tmp_path / "_site").keys() == expected.keys()


def test_a_foreign_cache_entry_is_never_trusted(tmp_path: Path) -> None:
    write_site(tmp_path)
    build(Options(site=tmp_path))
    db = sqlite3.connect(tmp_path / ".rgsite-cache" / "cache.sqlite")
    with db:
        db.execute("UPDATE markdown SET value = '[\"<p>forged</p>\", 1, 2]'")
        db.execute("UPDATE pages SET sig = 'forged'")
    db.close()
    (tmp_path / "_site").rename(tmp_path / "old")
    build(Options(site=tmp_path))
    assert b"forged" not in b"".join(tree(tmp_path / "_site").values())
    clean = tmp_path / "clean"
    build(Options(site=tmp_path, out=clean, cache=False))
    assert tree(tmp_path / "_site") == tree(clean)


def test_a_page_edited_by_hand_in_the_output_is_rendered_again(tmp_path: Path) -> None:
    write_site(tmp_path)
    build(Options(site=tmp_path))
    page = tmp_path / "_site/about/index.html"
    original = page.read_bytes()
    page.write_bytes(b"vandalised")
    result = Builder(Options(site=tmp_path)).build()
    assert result.rendered == 1
    assert page.read_bytes() == original
