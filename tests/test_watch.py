"""The watcher against the real watchdog observer: editors' save patterns give one batch."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rgsite.preview.watch import Watcher, relevant
from sitekit import write_site

QUIET = 0.1


class Batches:
    """Collects the watcher's batches; waits for them with a deadline."""

    def __init__(self) -> None:
        self.items: list[frozenset[str]] = []
        self.cond = threading.Condition()

    def __call__(self, batch: frozenset[str]) -> None:
        with self.cond:
            self.items.append(batch)
            self.cond.notify_all()

    def wait(self, count: int = 1, timeout: float = 5.0) -> list[frozenset[str]]:
        with self.cond:
            assert self.cond.wait_for(lambda: len(self.items) >= count, timeout), self.items
            return list(self.items)

    def settle(self, seconds: float = 0.6) -> list[frozenset[str]]:
        """Every batch after nothing more has come for ``seconds``."""
        time.sleep(seconds)
        with self.cond:
            return list(self.items)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site")


@pytest.fixture
def theme(tmp_path: Path) -> Path:
    (tmp_path / "theme/templates").mkdir(parents=True)
    (tmp_path / "theme/static/css").mkdir(parents=True)
    (tmp_path / "theme/templates/base.html").write_text("<html></html>")
    (tmp_path / "theme/static/css/site.css").write_text("body {}")
    return tmp_path / "theme"


@pytest.fixture
def watch(site: Path, theme: Path) -> Iterator[tuple[Watcher, Batches]]:
    batches = Batches()
    watcher = Watcher(site, batches, quiet=QUIET, theme=theme)
    with watcher:
        time.sleep(0.1)  # let inotify set its watches up
        yield watcher, batches


SESSION = "content/sessions/2023-01-21-tickets.md"


def test_one_write_is_one_batch(site: Path, watch: tuple[Watcher, Batches]) -> None:
    _, batches = watch
    path = site / SESSION
    path.write_text(path.read_text() + "\nMore.\n")
    assert batches.wait() == [frozenset({SESSION})]
    assert batches.settle() == [frozenset({SESSION})]


def test_vim_save_is_one_batch_without_droppings(
    site: Path, watch: tuple[Watcher, Batches]
) -> None:
    """vim: probe file 4913, original renamed to a backup, new file written, backup deleted."""
    _, batches = watch
    folder = site / "content/sessions"
    path = folder / "2023-01-21-tickets.md"
    swap = folder / ".2023-01-21-tickets.md.swp"
    swap.write_bytes(b"swap")
    probe = folder / "4913"
    probe.write_bytes(b"")
    probe.unlink()
    backup = folder / "2023-01-21-tickets.md~"
    os.rename(path, backup)
    with open(path, "w", encoding="utf-8") as f:
        f.write(backup.read_text() + "\nEdited in vim.\n")
        f.flush()
        os.fsync(f.fileno())
    os.chmod(path, 0o644)
    backup.unlink()
    swap.write_bytes(b"swap 2")
    swap.unlink()
    found = batches.settle()
    assert found == [frozenset({SESSION})]


def test_atomic_rename_shows_only_as_a_move(site: Path, watch: tuple[Watcher, Batches]) -> None:
    _, batches = watch
    folder = site / "content/sessions"
    temp = folder / ".2023-01-21-tickets.md.tmp.1234"
    temp.write_text((folder / "2023-01-21-tickets.md").read_text() + "\nSaved atomically.\n")
    os.replace(temp, folder / "2023-01-21-tickets.md")
    assert batches.wait() == [frozenset({SESSION})]


def test_git_checkout_burst_is_one_batch(site: Path, watch: tuple[Watcher, Batches]) -> None:
    _, batches = watch
    names = [f"content/sessions/2023-03-{day:02d}-burst.md" for day in range(1, 29)]
    for name in names:
        (site / name).write_text("---\ntitle: Burst\n---\nText.\n")
        time.sleep(0.005)
    (site / "content/speakers.yaml").write_text("ada:\n  name: Ada\n")
    (site / SESSION).unlink()
    found = batches.settle()
    assert len(found) == 1
    assert found[0] == frozenset({*names, "content/speakers.yaml", SESSION})


def test_editor_droppings_alone_give_no_batch(site: Path, watch: tuple[Watcher, Batches]) -> None:
    _, batches = watch
    folder = site / "content/sessions"
    for name in (
        "2023-01-21-tickets.md~",
        ".#2023-01-21-tickets.md",
        "#2023-01-21-tickets.md#",
        ".2023-01-21-tickets.md.swp",
        "4913",
        "notes.tmp",
        ".DS_Store",
    ):
        (folder / name).write_text("x")
        (folder / name).unlink()
    (site / "content/README.txt").write_text("not content")
    assert batches.settle() == []


def test_reading_files_gives_no_batch(site: Path, watch: tuple[Watcher, Batches]) -> None:
    """A build opens every file; opened and closed-without-writing events are ignored."""
    _, batches = watch
    for path in (site / "content").rglob("*"):
        if path.is_file():
            path.read_bytes()
    assert batches.settle() == []


def test_folders_deleted_created_and_moved(site: Path, watch: tuple[Watcher, Batches]) -> None:
    _, batches = watch
    bundle = site / "content/sessions/2023-03-04-bundle"
    bundle.mkdir()
    (bundle / "index.md").write_text("---\ntitle: Bundle\n---\n")
    (bundle / "slides.pdf").write_bytes(b"%PDF")
    first = batches.wait()[0]
    assert "content/sessions/2023-03-04-bundle/index.md" in first
    elsewhere = site / "moved-away"
    os.rename(bundle, elsewhere)
    found = batches.wait(2)
    assert "content/sessions/2023-03-04-bundle" in found[1]


def test_templates_folder_created_after_start(site: Path, watch: tuple[Watcher, Batches]) -> None:
    _, batches = watch
    (site / "templates").mkdir()
    batches.wait()
    time.sleep(0.2)
    (site / "templates/session.html").write_text("{% extends 'base.html' %}")
    found = batches.wait(2)
    assert any("templates/session.html" in batch for batch in found)


def test_theme_files_are_watched(theme: Path, watch: tuple[Watcher, Batches]) -> None:
    _, batches = watch
    (theme / "static/css/site.css").write_text("body { color: red }")
    (theme / "templates/base.html").write_text("<html><body></body></html>")
    assert batches.settle() == [
        frozenset({"theme:static/css/site.css", "theme:templates/base.html"})
    ]


def test_a_failing_handler_does_not_stop_watching(site: Path, theme: Path) -> None:
    seen: list[frozenset[str]] = []

    def handler(batch: frozenset[str]) -> None:
        seen.append(batch)
        if len(seen) == 1:
            raise RuntimeError("a rebuild blew up")

    with Watcher(site, handler, quiet=QUIET, theme=theme):
        time.sleep(0.1)
        (site / SESSION).write_text("---\ntitle: One\n---\n")
        time.sleep(0.5)
        (site / SESSION).write_text("---\ntitle: Two\n---\n")
        deadline = time.monotonic() + 5
        while len(seen) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert seen == [frozenset({SESSION}), frozenset({SESSION})]


@pytest.mark.slow
def test_changes_during_a_slow_handler_make_the_next_batch(site: Path, theme: Path) -> None:
    seen: list[frozenset[str]] = []
    started = threading.Event()

    def handler(batch: frozenset[str]) -> None:
        seen.append(batch)
        started.set()
        time.sleep(0.5)

    with Watcher(site, handler, quiet=QUIET, theme=theme):
        time.sleep(0.1)
        (site / SESSION).write_text("---\ntitle: One\n---\n")
        assert started.wait(5)
        (site / "content/speakers.yaml").write_text("ada:\n  name: Ada\n")
        (site / "content/pages/about.md").write_text("---\ntitle: About us\n---\n")
        deadline = time.monotonic() + 5
        while len(seen) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
    assert seen == [
        frozenset({SESSION}),
        frozenset({"content/speakers.yaml", "content/pages/about.md"}),
    ]


@pytest.mark.parametrize(
    ("label", "directory", "expected"),
    [
        ("content/sessions/2023-01-21-x.md", False, True),
        ("content/sessions/2023-01-21-x.md~", False, False),
        ("content/sessions/.2023-01-21-x.md.swp", False, False),
        ("content/sessions/4913", False, False),
        ("content/notes.txt", False, False),
        ("content/site.yaml", False, True),
        ("templates/base.html", False, True),
        ("static/css/site.css", False, True),
        ("static/css/.site.css.swp", False, False),
        ("content/sessions/2023-01-21-x", True, True),
        ("content/.git", True, False),
        ("_site/index.html", False, False),
        ("theme:templates/base.html", False, True),
        ("theme:templates/#base.html#", False, False),
    ],
)
def test_relevant(label: str, directory: bool, expected: bool) -> None:
    assert relevant(label, is_directory=directory) is expected
