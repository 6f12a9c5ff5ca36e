"""Running Pagefind's binary: one run per shard, each writing a bundle of the index.

Owns :class:`Shard` (the pages and paper records one run indexes), finding the binary
that ``pagefind[bin]`` installed, running it on each shard from a folder of its own, and
checking that what it wrote is whole: a failure is a :class:`SiteError`, so the build
writes nothing.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import importlib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rgsite.errors import Location, Problem, SiteError
from rgsite.output.files import link_or_copy

log = logging.getLogger(__name__)

RECORDS = "_rgsite-search-records"
"""Where a shard's paper records live beside its pages while Pagefind runs; removed after."""
STAMP = ".rgsite-index"
"""In each shard's folder: a digest of what it was made from, to reuse it unchanged."""
TIMEOUT = 600
EXCLUDE = ".headerlink"
"""Left out of the index: the "#" links Markdown adds to headings."""


@dataclass(slots=True)
class Shard:
    """One Pagefind bundle: some pages (output path -> size and mtime) and paper records."""

    number: int
    pages: dict[str, str] = field(default_factory=dict)
    records: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"shard-{self.number}"

    def folder(self, index: Path) -> Path:
        """Shard 0 is ``pagefind/`` itself, so the UI's files keep their usual place."""
        return index if self.number == 0 else index / self.name

    def digest(self, salt: str) -> str:
        hasher = hashlib.blake2b(salt.encode(), digest_size=16)
        for rel, sig in sorted(self.pages.items()):
            hasher.update(f"\0{rel}={sig}".encode())
        for record in self.records:
            hasher.update(b"\0" + record.encode())
        return hasher.hexdigest()


def executable() -> Path | None:
    """The Pagefind binary that ``pagefind[bin]`` installed, or one on PATH: looked for
    as ``pagefind.service.get_executable`` does, without importing the service, which
    costs a build 10 ms."""
    given = os.environ.get("PAGEFIND_BINARY_PATH")
    if given is not None:
        return Path(given)
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            found: Path = importlib.import_module(package).get_executable()
        except ImportError:
            continue
        return found
    on_path = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(on_path) if on_path else None


class Runs:
    """Pagefind runs, ``jobs`` at a time: each indexes one shard into its folder of
    ``index`` from a folder of its own pages (hard links into the stage) and records,
    removed after; a shard indexed whole gets its digest as its stamp. Shards may be
    started while pages are still being rendered: :meth:`pump` starts the next as one
    ends, :meth:`wait` waits for them all, :meth:`close` stops any left and cleans up.
    """

    def __init__(self, staged: Path, index: Path, binary: Path, language: str, jobs: int):
        self.staged, self.index, self.binary, self.language = staged, index, binary, language
        self.jobs = max(1, jobs)
        self.queue: list[tuple[Shard, str]] = []
        self.running: list[tuple[Shard, str, subprocess.Popen[str]]] = []
        self.work: Path | None = None

    def start(self, shard: Shard, digest: str) -> None:
        self.queue.append((shard, digest))
        self.pump()

    def pump(self) -> None:
        """Finish the runs that have ended and start queued ones in their place."""
        with _reported():
            for run in [run for run in self.running if run[2].poll() is not None]:
                self._finish(run)
            while self.queue and len(self.running) < self.jobs:
                shard, digest = self.queue.pop(0)
                if self.work is None:
                    self.work = Path(
                        tempfile.mkdtemp(prefix=".rgsite-search-", dir=self.staged.parent)
                    )
                process = _start_pagefind(
                    self.staged, self.index, self.work, self.binary, self.language, shard
                )
                self.running.append((shard, digest, process))

    def wait(self) -> None:
        while self.running or self.queue:
            if self.running:
                with _reported():
                    self._finish(self.running[0])
            self.pump()
        self.close()

    def close(self) -> None:
        for _, _, process in self.running:
            process.kill()
            process.communicate()
        self.running = []
        shutil.rmtree(self.staged / RECORDS, ignore_errors=True)
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)
            self.work = None

    def _finish(self, run: tuple[Shard, str, subprocess.Popen[str]]) -> None:
        self.running.remove(run)
        shard, digest, process = run
        folder = shard.folder(self.index)
        _finish_pagefind(process, folder)
        (folder / STAMP).write_text(digest + "\n", encoding="utf-8")


@contextlib.contextmanager
def _reported() -> Iterator[None]:
    """A failure of Pagefind as the build's error; a full disk as an output error."""
    try:
        yield
    except OSError as exc:
        if exc.errno in _DISK_ERRNOS:
            raise  # the disk, not Pagefind: the build reports it as an output error
        raise failure(str(exc)) from exc
    except subprocess.SubprocessError as exc:
        raise failure(str(exc)) from exc


_GLOB_SPECIAL = re.compile(r"[*?\[\]{},\\!<>:#]")
GLOB_LIMIT = 100_000
"""Characters in one ``--glob``: Linux takes at most 128 KiB in one argument."""


def _start_pagefind(
    staged: Path, index: Path, work: Path, binary: Path, language: str, shard: Shard
) -> subprocess.Popen[str]:
    """Index the shard's pages where they are in the stage, chosen by a ``--glob`` that
    names each; its records are written beside them, in a folder of the shard's own.
    Where a name cannot go in a glob, the pages are linked into a folder of their own:
    making and removing one folder per page cost more than Pagefind's run."""
    records = [f"{RECORDS}/{shard.name}/{n}.html" for n in range(len(shard.records))]
    named = list(shard.pages) + records
    pattern = "{" + ",".join(named) + "}"
    if named and len(pattern) < GLOB_LIMIT and not any(map(_GLOB_SPECIAL.search, named)):
        site, options = staged, ["--glob", pattern]
    else:
        site, options = work / shard.name, []
        for rel in shard.pages:
            target = site / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(staged / rel, target)
    for rel, record in zip(records, shard.records, strict=True):
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(record, encoding="utf-8")
    # An empty working folder, so no stray pagefind.yml changes the index.
    cwd = work / f"{shard.name}.cwd"
    cwd.mkdir()
    return subprocess.Popen(
        [
            str(binary),
            "--site",
            str(site),
            *options,
            "--output-path",
            str(shard.folder(index)),
            "--force-language",
            language,
            "--exclude-selectors",
            EXCLUDE,
            "--quiet",
        ],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish_pagefind(process: subprocess.Popen[str], folder: Path) -> None:
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    if process.returncode != 0:
        raise failure((stderr or stdout).strip() or f"exit {process.returncode}")
    _check_whole(folder)
    for line in (stderr + stdout).splitlines():
        if line.strip():
            log.info("pagefind: %s", line.strip())


_DISK_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)
NEARLY_FULL = 64 * 1024
"""Bytes free below which an index Pagefind just wrote is not trusted."""


def _check_whole(folder: Path) -> None:
    """Raise OSError unless Pagefind's index was written whole.

    Pagefind reports success even when its writes fail (a full disk leaves an empty
    pagefind-entry.json), so look: the disk must still have room, and the entry file
    must parse and name the metadata file of every language it lists.
    """
    if shutil.disk_usage(folder).free < NEARLY_FULL:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder))
    entry = folder / "pagefind-entry.json"
    try:
        languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
        metas = [folder / f"pagefind.{lang['hash']}.pf_meta" for lang in languages.values()]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise OSError(errno.EIO, f"{entry.name} is incomplete ({exc})", str(entry)) from None
    for meta in metas:
        if not meta.is_file() or meta.stat().st_size == 0:
            raise OSError(errno.EIO, f"{meta.name} is missing or empty", str(meta))


def failure(detail: str) -> SiteError:
    """The error that stops the build when Pagefind cannot index the site."""
    return SiteError(
        [Problem(Location("(search index)"), f"Pagefind could not index the site: {detail}")]
    )
