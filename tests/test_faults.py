"""Faults: a build killed at random moments, an output it may not write, a full disk.

Each test drives the real CLI in a separate process, as an organiser would run it, and
checks the promise of SPEC §4: a build that cannot finish leaves the previous output
byte-for-byte as it was, says why in one clear line, and the next build is correct.

Some faults need root (a read-only bind mount, a size-limited tmpfs) or the power to drop
root's (permission checks); without them those tests skip and say why.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from benchmarks.generate import generate

from sitekit import write_site

NOW = "2023-02-10T00:00-07:00"
KILL_TRIALS = 10
STAGE_PREFIX = ".out.rgsite-"


def rgsite(*args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "rgsite", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def build_args(site: Path, out: Path, *extra: str) -> list[str]:
    return ["build", str(site), "-o", str(out), "--now", NOW, "-q", *extra]


def digests(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by relative path, with a digest of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.blake2b(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def without_search(files: dict[str, str]) -> dict[str, str]:
    """Pagefind's index differs from run to run (its filter files are not reproducible)."""
    return {rel: d for rel, d in files.items() if not rel.startswith("pagefind/")}


def leftovers(out: Path, *, expected: frozenset[str] = frozenset()) -> list[str]:
    """Stage and old-tree folders beside ``out`` besides ``expected``, once settled.

    A command-line build hands the previous tree to a detached process to delete, so it
    may still be there, going, for a moment after the build returns.
    """
    deadline = time.monotonic() + 15
    while True:
        found = sorted(
            p.name
            for p in out.parent.iterdir()
            if p.name.startswith(STAGE_PREFIX) and p.name not in expected
        )
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def without_root_powers() -> tuple[str, ...]:
    """A command prefix under which file permissions apply, also when running as root.

    ``setpriv`` drops the two capabilities that let root ignore permissions from the
    bounding set, so the build it starts never has them.
    """
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv, so permissions cannot be enforced")
    drop = (setpriv, "--bounding-set=-dac_override,-dac_read_search")
    if subprocess.run([*drop, "true"], check=False).returncode != 0:
        pytest.skip("setpriv cannot drop root's capabilities here")
    return drop


@contextmanager
def mounted(target: Path, *args: str) -> Iterator[None]:
    """``mount ARGS TARGET`` for the block, unmounted after; skip where mounting fails."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small or read-only file system needs root")
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    done = subprocess.run(["mount", *args, str(target)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", str(target)], check=True)


# -- SIGKILL at random moments -------------------------------------------------------------


@pytest.mark.slow
def test_a_build_killed_at_random_moments_loses_nothing(tmp_path: Path) -> None:
    """Ten builds killed with SIGKILL after random delays, each after an edit.

    After each kill the output is exactly the last good build or exactly the new one (if
    the kill came after the swap), never a mix; the next build removes what the killed
    one left behind and gives the new site. At the end the output, built through all
    those kills and a cache they may have interrupted, equals a clean build.
    """
    site = generate(tmp_path / "site", 300, seed=8)
    out = tmp_path / "out"
    (tmp_path / "unrelated").mkdir()
    (tmp_path / "unrelated" / "keep.txt").write_text("not rgsite's\n")
    assert rgsite(*build_args(site, out)).returncode == 0
    rng = random.Random(20230121)
    sessions = sorted((site / "content/sessions").glob("*.md"))

    def edit(trial: int) -> None:
        with rng.choice(sessions).open("a", encoding="utf-8") as f:
            f.write(f"\nTrial {trial}: a new paragraph for [[speaker:{_a_speaker(site)}]].\n")

    edit(-1)  # time a build like the ones to kill: one edit, with the cache warm
    started = time.perf_counter()
    done = rgsite(*build_args(site, out))
    assert done.returncode == 0, done.stderr
    span = time.perf_counter() - started
    previous = digests(out)
    outcomes: list[str] = []
    for trial in range(KILL_TRIALS):
        edit(trial)
        delay = rng.uniform(0.0, span)
        proc = subprocess.Popen(
            [sys.executable, "-m", "rgsite", *build_args(site, out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its worker processes die with it
        )
        time.sleep(delay)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert proc.stderr is not None
        killed = proc.returncode == -signal.SIGKILL
        assert killed or proc.returncode == 0, proc.stderr.read()
        proc.stderr.close()
        after_kill = digests(out)
        done = rgsite(*build_args(site, out))
        assert done.returncode == 0, done.stderr
        now = digests(out)
        if after_kill == previous:
            outcomes.append(f"killed after {delay:.2f} s: previous output intact")
        else:
            assert after_kill == now, f"trial {trial}: a killed build left a mixed output"
            outcomes.append(f"{'killed' if killed else 'finished'} after {delay:.2f} s: new output")
        assert now != previous, "the edit must show in the output"
        assert leftovers(out) == []
        previous = now
    assert (tmp_path / "unrelated" / "keep.txt").read_text() == "not rgsite's\n"
    clean = tmp_path / "clean"
    done = rgsite(*build_args(site, clean, "--no-cache"))
    assert done.returncode == 0, done.stderr
    assert without_search(digests(out)) == without_search(digests(clean))
    assert sum("killed" in o for o in outcomes) >= KILL_TRIALS // 2, outcomes
    print("\n".join(outcomes))


def _a_speaker(site: Path) -> str:
    first = (site / "content/speakers.yaml").read_text().split(":", 1)[0]
    return first.strip()


# -- stale folders left by a crash -----------------------------------------------------------


def test_stale_stage_folders_are_removed_and_nothing_else(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    area = tmp_path / "area"
    out = area / "out"
    assert rgsite(*build_args(site, out)).returncode == 0
    dead = dead_pid()
    stale = [f"{STAGE_PREFIX}tmp-{dead}-0a1b2c3d", f"{STAGE_PREFIX}old-{dead}-deadbeef"]
    for name in stale:
        (area / name / "sessions").mkdir(parents=True)
        (area / name / "sessions" / "half.html").write_text("<p>half a build")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work\n")
    kept = {
        # A build still running (this test's own process is alive).
        f"{STAGE_PREFIX}tmp-{os.getpid()}-cafe0001": "dir",
        # Names that only look like rgsite's.
        f"{STAGE_PREFIX}tmp-{dead}-not-hex": "dir",
        f"{STAGE_PREFIX}tmp-{dead}": "dir",
        f".other.rgsite-tmp-{dead}-0a1b2c3d": "dir",
        "out.rgsite-tmp-1-00": "dir",
        "unrelated": "dir",
        # A file, and a symlink to someone's folder, named exactly like a stale stage.
        f"{STAGE_PREFIX}tmp-{dead}-00000001": "file",
        f"{STAGE_PREFIX}old-{dead}-00000002": "link",
    }
    for name, kind in kept.items():
        if kind == "dir":
            (area / name).mkdir()
            (area / name / "keep.txt").write_text("keep\n")
        elif kind == "file":
            (area / name).write_text("keep\n")
        else:
            (area / name).symlink_to(precious, target_is_directory=True)
    done = rgsite(*build_args(site, out))
    assert done.returncode == 0, done.stderr
    assert leftovers(out, expected=frozenset(kept)) == []
    names = {p.name for p in area.iterdir()}
    assert names == {"out", *kept}
    assert (precious / "thesis.tex").read_text() == "years of work\n"
    for name, kind in kept.items():
        if kind == "dir":
            assert (area / name / "keep.txt").read_text() == "keep\n"


# -- an output folder rgsite may not write -----------------------------------------------------


def _published(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    site = write_site(tmp_path / "site")
    area = tmp_path / "area"
    area.mkdir()
    out = area / "out"
    done = rgsite(*build_args(site, out))
    assert done.returncode == 0, done.stderr
    with (site / "content/pages/about.md").open("a") as f:
        f.write("\nAn edit the failed build must not publish.\n")
    return site, out, digests(out)


@pytest.mark.slow
def test_an_output_folder_without_write_permission(tmp_path: Path) -> None:
    prefix = without_root_powers()
    site, out, before = _published(tmp_path)
    out.parent.chmod(0o555)
    try:
        done = rgsite(*build_args(site, out), prefix=prefix)
    finally:
        out.parent.chmod(0o755)
    assert (done.returncode, done.stderr) == (
        1,
        f"rgsite build: cannot create a folder in {out.parent}: permission denied; fix the "
        "folder's permissions or choose another with -o\n",
    )
    assert digests(out) == before
    assert leftovers(out) == []


@pytest.mark.slow
def test_an_output_folder_on_a_read_only_file_system(tmp_path: Path) -> None:
    site, out, before = _published(tmp_path)
    area = out.parent
    with mounted(area, "--bind", str(area)):
        subprocess.run(["mount", "-o", "remount,bind,ro", str(area)], check=True)
        done = rgsite(*build_args(site, out))
    assert (done.returncode, done.stderr) == (
        1,
        f"rgsite build: cannot create a folder in {area}: the file system is read-only; "
        "choose an output folder on a writable disk (-o)\n",
    )
    assert digests(out) == before
    assert leftovers(out) == []


# -- a full disk ------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_full_disk_gives_a_clear_error_and_keeps_the_output(tmp_path: Path) -> None:
    """On a 3 MiB tmpfs: a static file too big for it, then a search index too big for it."""
    site = write_site(tmp_path / "site")
    disk = tmp_path / "disk"
    disk.mkdir()
    with mounted(disk, "-t", "tmpfs", "-o", "size=3m", "tmpfs"):
        out = disk / "out"
        done = rgsite(*build_args(site, out, "--no-cache"))
        assert done.returncode == 0, done.stderr
        before = digests(out)
        used = shutil.disk_usage(disk).used

        big = site / "static" / "recording.bin"
        big.parent.mkdir()
        big.write_bytes(os.urandom(2_500_000))
        done = rgsite(*build_args(site, out, "--no-cache"))
        assert (done.returncode, done.stderr) == (
            1,
            f"rgsite build: cannot copy {big} to {out}/recording.bin: the disk is full; free "
            "some space and build again; the previous output was left as it was\n",
        )
        assert digests(out) == before
        assert leftovers(out) == [] and shutil.disk_usage(disk).used == used
        big.unlink()

        # Almost full: the pages fit, Pagefind's index does not. Pagefind itself says
        # nothing and exits 0; rgsite must notice and keep the old index.
        filler = disk / "filler"
        filler.write_bytes(b"\0" * (shutil.disk_usage(disk).free - 300_000))
        with (site / "content/pages/about.md").open("a") as f:
            f.write("\nA change, so the search index is made again.\n")
        done = rgsite(*build_args(site, out, "--no-cache"))
        assert (done.returncode, done.stderr) == (
            1,
            f"rgsite build: cannot write the search index into {out}: the disk is full; free "
            "some space and build again; the previous output was left as it was\n",
        )
        assert digests(out) == before
        assert leftovers(out) == []

        filler.unlink()
        done = rgsite(*build_args(site, out, "--no-cache"))
        assert done.returncode == 0, done.stderr
        assert (
            "A change, so the search index is made again." in (out / "about/index.html").read_text()
        )
