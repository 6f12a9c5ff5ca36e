"""The output folder: refusals, atomic replacement, and unchanged files left alone; and
replacing one file atomically.

Everything runs against the real file system in ``tmp_path``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from rgsite.errors import OutputError
from rgsite.output import stage as stage_module
from rgsite.output.files import copy_atomic, write_atomic
from rgsite.output.safety import MARKER, MARKER_TEXT, check_output_folder
from rgsite.output.stage import CommitStats, Stage
from rgsite.read.discover import ignored

OLD = 1_000_000_000_000_000_000  # 2001-09-09 in ns: an mtime no fresh write can have


def make_site(root: Path) -> Path:
    for name in ("content", "templates", "static"):
        (root / name).mkdir(parents=True)
    (root / "content" / "about.md").write_text("# About\n")
    return root


def build(out: Path, files: dict[str, bytes]) -> CommitStats:
    with Stage(out) as stage:
        for rel, data in files.items():
            stage.write(rel, data)
        return stage.commit()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if ".rgsite-" in p.name)


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture(params=["exchange", "two-renames"])
def swap(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with the one-call atomic swap and with the portable two-rename swap."""
    if request.param == "two-renames":
        monkeypatch.setattr(stage_module, "_rename_exchange", lambda a, b: False)
    elif stage_module._renameat2() is None:
        pytest.skip("renameat2 is not available on this system")
    return str(request.param)


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    """An output folder holding a previous build."""
    out = tmp_path / "_site"
    build(out, {"index.html": b"<h1>home</h1>", "sessions/a/index.html": b"<p>a</p>"})
    return out


# -- which output folders are refused ----------------------------------------------------


@pytest.mark.parametrize(
    ("out", "says"),
    [
        (".", "is the site folder"),
        ("..", "contains the site folder"),
        ("content", "lies inside the site's content/"),
        ("content/out", "lies inside the site's content/"),
        ("templates/out", "lies inside the site's templates/"),
        ("static/css/out", "lies inside the site's static/"),
    ],
)
def test_refuses_output_that_would_overwrite_the_site(tmp_path: Path, out: str, says: str) -> None:
    site = make_site(tmp_path / "site")
    with pytest.raises(OutputError, match=says):
        check_output_folder(site, site / out)


def test_refuses_symlink_that_points_inside_content(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    link = tmp_path / "out"
    link.symlink_to(site / "content")
    with pytest.raises(OutputError, match="content/"):
        check_output_folder(site, link)


def test_refuses_folder_containing_a_symlinked_content_folder(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    (tmp_path / "elsewhere").mkdir()
    (site / "content").rename(tmp_path / "elsewhere" / "content")
    (site / "content").symlink_to(tmp_path / "elsewhere" / "content")
    with pytest.raises(OutputError, match="contains the site's content/"):
        check_output_folder(site, tmp_path / "elsewhere")


@pytest.mark.parametrize("out", ["../site-out", "_site", "content-out", "static2/out"])
def test_allows_lookalike_names(tmp_path: Path, out: str) -> None:
    site = make_site(tmp_path / "site")
    check_output_folder(site, site / out)  # `site-out` merely starts with `site`


def test_refuses_root_and_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path / "site")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    with pytest.raises(OutputError, match="root of the file system"):
        check_output_folder(site, Path("/"))
    with pytest.raises(OutputError, match="is your home folder"):
        check_output_folder(site, home)
    with pytest.raises(OutputError, match="is your home folder"):
        Stage(home)


def test_refuses_a_file_as_output(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(OutputError, match="is a file"):
        check_output_folder(site, tmp_path / "out")
    with pytest.raises(OutputError, match="is a file"):
        Stage(tmp_path / "out")


def test_refuses_non_empty_folder_rgsite_did_not_write(tmp_path: Path) -> None:
    docs = tmp_path / "Documents"
    docs.mkdir()
    (docs / "thesis.tex").write_text("years of work")
    with pytest.raises(OutputError, match="not empty and was not written by rgsite"):
        Stage(docs)
    assert snapshot(docs) == {"thesis.tex": b"years of work"}
    assert leftovers(docs) == []


def test_builds_into_an_empty_existing_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    build(out, {"index.html": b"hi"})
    assert snapshot(out) == {MARKER: MARKER_TEXT, "index.html": b"hi"}


@pytest.mark.parametrize(
    "rel",
    ["../escape.html", "a/../../escape.html", "/etc/passwd", "a\\..\\b", "", "a//b", "a/", MARKER],
)
def test_refuses_paths_outside_the_output(previous: Path, rel: str) -> None:
    before = snapshot(previous)
    with Stage(previous) as stage, pytest.raises(OutputError, match="refusing to write"):
        stage.write(rel, b"x")
    assert not (previous.parent / "escape.html").exists()
    assert snapshot(previous) == before


# -- replacing the output ----------------------------------------------------------------


def test_first_build_creates_output_with_marker(tmp_path: Path, swap: str) -> None:
    out = tmp_path / "deep" / "_site"
    stats = build(out, {"index.html": b"home", "sessions/x/index.html": b"x"})
    assert stats == CommitStats(written=2, unchanged=0, removed=0)
    assert snapshot(out) == {
        MARKER: MARKER_TEXT,
        "index.html": b"home",
        "sessions/x/index.html": b"x",
    }
    assert leftovers(out) == []


def test_rebuild_writes_only_what_changed(previous: Path, tmp_path: Path, swap: str) -> None:
    for path in previous.rglob("*"):
        os.utime(path, ns=(OLD, OLD))
    home_before = os.stat(previous / "index.html")
    css = tmp_path / "site.css"
    css.write_bytes(b"body{}")

    with Stage(previous) as stage:
        stage.write("index.html", b"<h1>home</h1>")  # same bytes
        stage.write("sessions/b/index.html", b"<p>b</p>")  # new
        stage.copy("site.css", css)  # new, copied
        stats = stage.commit()

    assert stats == CommitStats(written=2, unchanged=1, removed=1)
    home = os.stat(previous / "index.html")
    assert (home.st_ino, home.st_mtime_ns) == (home_before.st_ino, OLD)
    assert snapshot(previous) == {
        MARKER: MARKER_TEXT,
        "index.html": b"<h1>home</h1>",
        "sessions/b/index.html": b"<p>b</p>",
        "site.css": b"body{}",
    }
    assert not (previous / "sessions" / "a").exists()
    assert leftovers(previous) == []

    # Second round: a changed file gets new bytes and a new mtime; a copied file that is
    # unchanged keeps its inode.
    for path in previous.rglob("*"):
        os.utime(path, ns=(OLD, OLD))
    css_before = os.stat(previous / "site.css")
    with Stage(previous) as stage:
        stage.write("index.html", b"<h1>home, changed</h1>")
        stage.write("sessions/b/index.html", b"<p>b</p>")
        stage.copy("site.css", css)
        stats = stage.commit()
    assert stats == CommitStats(written=1, unchanged=2, removed=0)
    assert (previous / "index.html").read_bytes() == b"<h1>home, changed</h1>"
    assert os.stat(previous / "index.html").st_mtime_ns != OLD
    assert os.stat(previous / "site.css").st_ino == css_before.st_ino


def test_copy_copies_bytes_not_a_link(tmp_path: Path) -> None:
    src = tmp_path / "logo.svg"
    src.write_bytes(b"<svg/>")
    out = tmp_path / "_site"
    with Stage(out) as stage:
        stage.copy("img/logo.svg", src)
        stage.commit()
    src.write_bytes(b"<svg>edited</svg>")  # editing the source must not edit the output
    assert (out / "img" / "logo.svg").read_bytes() == b"<svg/>"


def test_output_through_a_symlink_updates_the_target(tmp_path: Path, swap: str) -> None:
    real = tmp_path / "www"
    build(real, {"index.html": b"old"})
    link = tmp_path / "_site"
    link.symlink_to(real)
    build(link, {"index.html": b"new"})
    assert link.is_symlink()
    assert (real / "index.html").read_bytes() == b"new"


# -- a failed build leaves the previous output ---------------------------------------------


def test_abort_leaves_previous_output_byte_for_byte(previous: Path) -> None:
    before = snapshot(previous)
    stage = Stage(previous)
    stage.write("index.html", b"half-built")
    stage.write("sessions/a/index.html", b"<p>a</p>")
    stage.abort()
    assert snapshot(previous) == before
    assert leftovers(previous) == []


def test_exception_during_build_leaves_previous_output(previous: Path) -> None:
    before = snapshot(previous)
    with pytest.raises(KeyError), Stage(previous) as stage:
        stage.write("index.html", b"half-built")
        raise KeyError("a template failed")
    assert snapshot(previous) == before
    assert leftovers(previous) == []


def test_leaving_the_block_without_commit_changes_nothing(previous: Path) -> None:
    before = snapshot(previous)
    with Stage(previous) as stage:
        stage.write("index.html", b"never committed")
    assert snapshot(previous) == before
    assert leftovers(previous) == []


def test_rewriting_a_kept_file_never_touches_the_previous_output(previous: Path) -> None:
    before = snapshot(previous)
    with Stage(previous) as stage:
        stage.write("index.html", b"<h1>home</h1>")  # kept: a link to the previous file
        stage.write("index.html", b"<h1>overridden</h1>")
    assert snapshot(previous) == before


def test_file_and_folder_with_one_name_fails_cleanly(previous: Path) -> None:
    before = snapshot(previous)
    with Stage(previous) as stage:
        stage.write("sessions", b"a file")
        with pytest.raises(OutputError, match="same name"):
            stage.write("sessions/a/index.html", b"<p>a</p>")
    assert snapshot(previous) == before
    assert leftovers(previous) == []


def fail_renames(monkeypatch: pytest.MonkeyPatch, failing: str) -> None:
    """Make renames whose source name contains ``failing`` fail as if the disk were full."""
    real_rename = os.rename

    def rename(src: str | Path, dst: str | Path) -> None:
        if failing in Path(src).name:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_rename(src, dst)

    monkeypatch.setattr(stage_module, "_rename_exchange", lambda a, b: False)
    monkeypatch.setattr(os, "rename", rename)


def test_failed_swap_leaves_previous_output(
    previous: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(previous)
    fail_renames(monkeypatch, "rgsite-tmp")
    with Stage(previous) as stage:
        stage.write("index.html", b"new")
        with pytest.raises(OutputError, match=r"disk is full.*previous output was left as it was"):
            stage.commit()
    monkeypatch.undo()
    assert snapshot(previous) == before
    assert leftovers(previous) == []


def test_failed_swap_and_failed_undo_say_where_the_output_is(
    previous: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(previous)
    fail_renames(monkeypatch, ".rgsite-")  # the stage's rename and the undo both fail
    with Stage(previous) as stage:
        stage.write("index.html", b"new")
        with pytest.raises(OutputError, match="rename it back") as caught:
            stage.commit()
    monkeypatch.undo()
    moved = re.search(r"previous output is now in (.+): rename it back", str(caught.value))
    assert moved is not None
    assert snapshot(Path(moved[1])) == before


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root, which ignores file permissions",
)
def test_unwritable_parent_gives_output_error(tmp_path: Path) -> None:
    parent = tmp_path / "locked"
    build(parent / "_site", {"index.html": b"old"})
    parent.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="permission denied"):
            build(parent / "_site", {"index.html": b"new"})
        assert (parent / "_site" / "index.html").read_bytes() == b"old"
    finally:
        parent.chmod(0o755)


# -- leftovers of crashed builds -----------------------------------------------------------


def test_stale_leftovers_removed_and_nothing_else(previous: Path) -> None:
    parent = previous.parent
    gone = dead_pid()
    stale = [f"._site.rgsite-tmp-{gone}-ab12", f"._site.rgsite-old-{gone}-cd34"]
    kept = [
        f"._site.rgsite-tmp-{os.getppid()}-ab12",  # its build is still running
        f".blog.rgsite-tmp-{gone}-ab12",  # another output folder's
        "._site.rgsite-tmp-notapid",
        "._site.backup",
        "site-out",
    ]
    for name in stale + kept:
        (parent / name).mkdir()
        (parent / name / "page.html").write_text(name)
    (parent / f"._site.rgsite-tmp-{gone}-ef56").symlink_to(parent / "site-out")

    build(previous, {"index.html": b"new"})

    for name in stale:
        assert not (parent / name).exists(), name
    for name in kept:
        assert (parent / name / "page.html").read_text() == name
    assert (parent / f"._site.rgsite-tmp-{gone}-ef56").is_symlink()  # rgsite makes no links
    assert (parent / "site-out" / "page.html").exists()


def test_a_stage_in_use_is_not_cleaned_up(previous: Path) -> None:
    with Stage(previous) as first:
        first.write("index.html", b"first")
        build(previous, {"index.html": b"second"})
        assert first.path.exists()
        first.commit()
    assert (previous / "index.html").read_bytes() == b"first"
    assert leftovers(previous) == []


# -- replacing one file atomically ---------------------------------------------------------


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextlib.contextmanager
def file_size_limit(limit: int) -> Iterator[None]:
    """Make writes past ``limit`` bytes fail for real, with EFBIG, as a full disk would."""
    import resource

    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # else the signal kills us
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)


@pytest.mark.parametrize("durable", [True, False])
def test_write_atomic_replaces_the_file_and_leaves_nothing_beside_it(
    tmp_path: Path, durable: bool
) -> None:
    target = tmp_path / "papers.yaml"
    target.write_bytes(b"old")
    write_atomic(target, b"new", durable=durable)
    write_atomic(tmp_path / "links.json", b"{}", durable=durable)
    assert target.read_bytes() == b"new"
    assert (tmp_path / "links.json").read_bytes() == b"{}"
    assert sorted(os.listdir(tmp_path)) == ["links.json", "papers.yaml"]


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="no file size limits here")
@pytest.mark.parametrize("how", ["write", "copy"])
def test_a_write_that_fails_midway_leaves_the_old_bytes(tmp_path: Path, how: str) -> None:
    target = tmp_path / "last-build.json"
    target.write_bytes(b"old")
    data = b"x" * (1 << 18)
    source = tmp_path / "big.bin"
    source.write_bytes(data)
    with file_size_limit(1 << 16), pytest.raises(OSError) as caught:
        if how == "write":
            write_atomic(target, data)
        else:
            copy_atomic(source, target)
    assert caught.value.errno == errno.EFBIG  # after the first 64 KiB were written
    assert target.read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["big.bin", "last-build.json"]


def test_a_failed_sync_leaves_the_old_bytes_and_the_temporary_file_was_hidden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "papers.yaml"
    target.write_bytes(b"old")
    during: list[str] = []

    def disk_full(fd: int) -> None:
        during.extend(os.listdir(tmp_path))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left on device"):
        write_atomic(target, b"new", durable=True)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["papers.yaml"]
    [temp] = [name for name in during if name != "papers.yaml"]
    assert temp.startswith(".papers.yaml.")
    assert ignored(temp)  # the site's watcher and discovery never see it


def test_a_failed_copy_leaves_the_old_bytes(tmp_path: Path) -> None:
    target = tmp_path / "site.css"
    target.write_bytes(b"old")
    with pytest.raises(IsADirectoryError):
        copy_atomic(tmp_path, target)  # opened only once the temporary file exists
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["site.css"]


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o444])
def test_write_atomic_keeps_the_mode_of_an_existing_file(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "papers.yaml"
    target.write_bytes(b"old")
    target.chmod(mode)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert mode_of(target) == mode


def test_a_new_file_gets_the_permissions_open_would_give_it(tmp_path: Path) -> None:
    write_atomic(tmp_path / "written", b"x")
    (tmp_path / "opened").write_bytes(b"x")
    assert mode_of(tmp_path / "written") == mode_of(tmp_path / "opened")


# -- folders made ahead of the files ------------------------------------------------------


def folders(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_dir())


def test_folders_made_ahead_that_stay_empty_are_not_published(previous: Path) -> None:
    """A session removed since the last build leaves no empty folder behind."""
    with Stage(previous) as stage:
        stage.prepare(["index.html", "sessions/a/index.html", "sessions/b/c/event.ics"])
        stage.write("index.html", b"<h1>home</h1>")
        stats = stage.commit()
    assert snapshot(previous) == {".rgsite-output": MARKER_TEXT, "index.html": b"<h1>home</h1>"}
    assert folders(previous) == []
    assert stats.removed == 1


def test_a_folder_made_ahead_can_become_a_file(previous: Path) -> None:
    """What was a folder of the last build may be a file of this one."""
    with Stage(previous) as stage:
        stage.prepare(["index.html", "sessions/a/index.html"])
        stage.write("sessions/a", b"now a file")
        stage.write("index.html", b"<h1>home</h1>")
        stage.commit()
    assert snapshot(previous)["sessions/a"] == b"now a file"
    assert folders(previous) == ["sessions"]


def test_aborting_while_folders_are_made_ahead_leaves_nothing(previous: Path) -> None:
    before = snapshot(previous)
    many = [f"sessions/s{i}/index.html" for i in range(3000)]
    with Stage(previous) as stage:
        stage.prepare(many)
    assert snapshot(previous) == before
    assert leftovers(previous) == []


def test_folders_made_ahead_hold_the_files_written_into_them(previous: Path) -> None:
    many = {f"sessions/s{i}/index.html": f"<p>{i}</p>".encode() for i in range(2500)}
    with Stage(previous) as stage:
        stage.prepare(many)
        for rel, data in many.items():
            stage.write(rel, data)
        stage.commit()
    assert snapshot(previous) == {".rgsite-output": MARKER_TEXT} | many


# -- the previous output linked in ahead --------------------------------------------------


def test_a_linked_stage_keeps_replaces_and_removes_files(previous: Path, swap: str) -> None:
    build(
        previous,
        {
            "index.html": b"<h1>home</h1>",
            "sessions/a/index.html": b"<p>a</p>",
            "sessions/b/index.html": b"<p>b</p>",
            "search/index.json": b"{}",
        },
    )
    for path in previous.rglob("*"):
        os.utime(path, ns=(OLD, OLD))
    kept = os.stat(previous / "sessions/a/index.html").st_ino
    with Stage(previous) as stage:
        assert stage.link_previous(["search"])
        assert stage.keep("sessions/a/index.html", len(b"<p>a</p>"), OLD)
        assert not stage.keep("index.html", 1, OLD)  # not what was recorded: made again
        stage.write("index.html", b"<h1>new home</h1>")
        stage.settle()
        assert not (stage.path / "search").exists()  # left to the finishing step
        (stage.path / "search").mkdir()
        (stage.path / "search/index.json").write_bytes(b"{ }")
        stats = stage.commit()
    assert stats == CommitStats(written=1, unchanged=1, removed=1)
    assert snapshot(previous) == {
        MARKER: MARKER_TEXT,
        "index.html": b"<h1>new home</h1>",
        "sessions/a/index.html": b"<p>a</p>",
        "search/index.json": b"{ }",
    }
    assert folders(previous) == ["search", "sessions", "sessions/a"]
    assert os.stat(previous / "sessions/a/index.html").st_ino == kept
    assert leftovers(previous) == []


def test_writes_into_a_linked_stage_never_touch_the_previous_output(previous: Path) -> None:
    before = snapshot(previous)
    with Stage(previous) as stage:
        assert stage.link_previous()
        stage.write("sessions/a/index.html", b"<p>changed</p>")
        stage.write("sessions/a/index.html", b"<p>changed again</p>")
        stage.write("index.html/x", b"a folder where a file was")
        stage.settle()
    assert snapshot(previous) == before
    assert leftovers(previous) == []


def test_folders_and_files_trade_places_in_a_linked_stage(previous: Path) -> None:
    with Stage(previous) as stage:
        assert stage.link_previous()
        stage.write("sessions/a", b"now a file")
        stage.write("index.html/index.html", b"now a folder")
        stage.commit()
    assert snapshot(previous) == {
        MARKER: MARKER_TEXT,
        "sessions/a": b"now a file",
        "index.html/index.html": b"now a folder",
    }


def test_two_files_on_one_name_still_fail_in_a_linked_stage(previous: Path) -> None:
    before = snapshot(previous)
    with Stage(previous) as stage:
        assert stage.link_previous()
        stage.write("sessions", b"a file")
        with pytest.raises(OutputError, match="same name"):
            stage.write("sessions/a/index.html", b"<p>a</p>")
    with Stage(previous) as stage:
        assert stage.link_previous()
        stage.write("sessions/a/index.html", b"<p>a</p>")
        with pytest.raises(OutputError):
            stage.write("sessions", b"a file")
    assert snapshot(previous) == before
    assert leftovers(previous) == []


def test_a_link_that_fails_half_way_leaves_a_stage_filled_file_by_file(
    previous: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def half(previous: str, stage: str, leave_out: object) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            ["sh", "-c", 'cp -R -l -- "$0/sessions" "$1/" && exit 1', previous, stage]
        )

    monkeypatch.setattr(stage_module.ahead, "link_tree", half)
    with Stage(previous) as stage:
        assert stage.link_previous()
        stage.write("index.html", b"<h1>home</h1>")
        stats = stage.commit()
    assert stats == CommitStats(written=0, unchanged=1, removed=1)
    assert snapshot(previous) == {MARKER: MARKER_TEXT, "index.html": b"<h1>home</h1>"}
    assert folders(previous) == []


def test_aborting_while_the_previous_output_is_linked_in_leaves_it(previous: Path) -> None:
    build(previous, {f"sessions/s{i}/index.html": b"<p>s</p>" for i in range(3000)})
    before = snapshot(previous)
    with Stage(previous) as stage:
        assert stage.link_previous()
    assert snapshot(previous) == before
    assert leftovers(previous) == []
