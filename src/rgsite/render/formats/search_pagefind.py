"""Running Pagefind's binary: one run per shard, each writing a bundle of the index.

Owns :class:`Shard` (the pages and paper records one run indexes), finding the binary
that ``pagefind[bin]`` installed, running it on each shard from a folder of its own, and
checking that what it wrote is whole: a failure is a :class:`SiteError`, so the build
writes nothing.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
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
    """The Pagefind binary that ``pagefind[bin]`` installed, or one on PATH."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        found = shutil.which("pagefind")
        return Path(found) if found else None
    return get_executable()


def run_pagefind(
    staged: Path,
    index: Path,
    binary: Path,
    language: str,
    todo: list[tuple[Shard, str]],
    jobs: int,
) -> None:
    """Index each shard of ``todo`` into its folder of ``index``, ``jobs`` at a time, each
    from a folder of its own pages (hard links into the stage) and records, removed after;
    a shard indexed whole gets its digest as its stamp."""
    work = Path(tempfile.mkdtemp(prefix=".rgsite-search-", dir=staged.parent))
    try:
        for start in range(0, len(todo), jobs):
            batch = todo[start : start + jobs]
            running = [
                (shard, digest, _start_pagefind(staged, index, work, binary, language, shard))
                for shard, digest in batch
            ]
            for shard, digest, process in running:
                folder = shard.folder(index)
                _finish_pagefind(process, folder)
                (folder / STAMP).write_text(digest + "\n", encoding="utf-8")
    except OSError as exc:
        if exc.errno in _DISK_ERRNOS:
            raise  # the disk, not Pagefind: the build reports it as an output error
        raise failure(str(exc)) from exc
    except subprocess.SubprocessError as exc:
        raise failure(str(exc)) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _start_pagefind(
    staged: Path, index: Path, work: Path, binary: Path, language: str, shard: Shard
) -> subprocess.Popen[str]:
    site = work / shard.name
    for rel in shard.pages:
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(staged / rel, target)
    records = site / RECORDS
    records.mkdir(parents=True, exist_ok=True)
    for number, record in enumerate(shard.records):
        (records / f"{number}.html").write_text(record, encoding="utf-8")
    # An empty working folder, so no stray pagefind.yml changes the index.
    cwd = work / f"{shard.name}.cwd"
    cwd.mkdir()
    return subprocess.Popen(
        [
            str(binary),
            "--site",
            str(site),
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
