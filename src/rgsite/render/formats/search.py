"""The search index: Pagefind over the staged output, plus one record per paper.

Pagefind (the ``pagefind[bin]`` package) reads the rendered pages and writes a static
index to ``pagefind/`` beside them: the search page fetches only the fragments a query
needs, so search works on any static host and with no network beyond the site.

What is indexed
    Pages whose template marks its main content ``data-pagefind-body``: sessions,
    speakers, proposals, reading lists and free pages. Listing pages (home, archive,
    topics) are left out so results point at the thing itself. Papers have no page of
    their own, so each gets a small record page, written beside the staged output only
    while Pagefind runs, whose ``url`` metadata points at the paper's anchor on the
    papers page.
Filters
    ``type`` (Session, Paper, Speaker, Proposal, Reading list, Page), ``topic``,
    ``speaker`` and ``year``, set with ``data-pagefind-filter`` attributes in the
    templates and in the paper records. A paper's year is its publication year; its
    topics and speakers include those of the sessions that discussed it.

Shards: the pages and records are dealt by URL into up to eight shards of about 256,
each indexed by its own run of Pagefind's command-line binary (in an empty working
folder, so no stray ``pagefind.yml`` changes the index) into a bundle of its own:
shard 0 is ``pagefind/``, the others ``pagefind/shard-N/``, listed in
``pagefind/shards.json`` for the search page, which merges them (Pagefind's
``mergeIndex``). One edited session so re-indexes one shard, not the archive. (Pagefind's
Python API answers one message per 0.1 s, which made a record per paper far too slow.)
A machine without the binary still builds: the index is skipped with a warning, and
the search page says so.

Reproducibility: Pagefind's fragment files are named by content, but its filter and
metadata files differ from run to run (upstream issue #638). So each shard records a
digest of everything it was made from in its ``.rgsite-index``; a shard whose pages and
records give the same digest is linked in from the previous output instead of indexed
again, and an unchanged site writes nothing.
"""

from __future__ import annotations

import errno
import hashlib
import html
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rgsite.errors import Location, Problem, SiteError
from rgsite.output.files import link_or_copy
from rgsite.routes import url_of

if TYPE_CHECKING:
    from rgsite.model import Paper, Site

log = logging.getLogger(__name__)

OUTPUT = "pagefind"
RECORDS = "_rgsite-search-records"
STAMP = ".rgsite-index"
"""In each shard's folder: a digest of what it was made from, to reuse it unchanged."""
BODY = "data-pagefind-body"
"""What marks a page's content for the index; pages without it are not handed to Pagefind."""
SHARDS = "shards.json"
"""In ``pagefind/``: the folders of the other shards, for the search page to merge."""
SHARD_SIZE = 256
"""Pages and records per shard: one edit re-indexes about this many (0.1 s here)."""
MAX_SHARDS = 8
"""At most this many bundles for the search page to load, however large the archive."""
_RECORD_URL = re.compile(r'data-pagefind-meta="url:([^"]*)"')
"""Where the paper records live in the stage while Pagefind runs; removed after."""
TIMEOUT = 600
EXCLUDE = ".headerlink"
"""Left out of the index: the "#" links Markdown adds to headings."""
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class Record:
    url: str
    """Relative to the base path, like routes' URLs."""
    title: str
    content: str
    filters: dict[str, list[str]] = field(default_factory=dict)

    def html(self, base_path: str, language: str) -> str:
        esc = html.escape
        tags = "".join(
            f'<span data-pagefind-filter="{esc(key)}:{esc(value)}"></span>'
            for key, values in self.filters.items()
            for value in values
        )
        return (
            f'<!doctype html>\n<html lang="{esc(language)}"><head><meta charset="utf-8">'
            f"<title>{esc(self.title)}</title></head>\n"
            f'<body><main data-pagefind-body data-pagefind-meta="url:{esc(base_path + self.url)}">'
            f"<h1>{esc(self.title)}</h1>\n<p>{esc(self.content)}</p></main>{tags}</body></html>\n"
        )


def paper_records(site: Site) -> list[Record]:
    """A search record per paper, in a stable order."""
    return [
        _paper_record(site, paper) for paper in sorted(site.papers.values(), key=lambda p: p.id)
    ]


def _paper_record(site: Site, paper: Paper) -> Record:
    sessions = site.by_paper.get(paper.id, [])
    lists = site.lists_of_paper.get(paper.id, [])
    speakers = dict.fromkeys(
        site.speakers[s].name
        for session in sessions
        for s in session.speakers
        if s in site.speakers
    )
    topics = dict.fromkeys(
        site.topic_of(t).name for t in [*paper.topics, *(t for s in sessions for t in s.topics)]
    )
    parts = [", ".join(paper.authors), str(paper.year or "")]
    if paper.arxiv:
        parts.append(f"arXiv:{paper.arxiv}")
    if paper.doi:
        parts.append(f"doi:{paper.doi}")
    parts += [paper.tldr, _text(paper.notes_html)]
    parts += [f"Discussed in {s.title}." for s in sessions]
    parts += [f"Listed in {r.title}." for r in lists]
    filters: dict[str, list[str]] = {"type": ["Paper"]}
    if topics:
        filters["topic"] = list(topics)
    if speakers:
        filters["speaker"] = list(speakers)
    if paper.year:
        filters["year"] = [str(paper.year)]
    return Record(
        url=url_of("paper", paper.id),
        title=paper.title,
        content=" ".join(p for p in parts if p),
        filters=filters,
    )


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAGS.sub(" ", fragment)).split())


def executable() -> Path | None:
    """The Pagefind binary that ``pagefind[bin]`` installed, or one on PATH."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        found = shutil.which("pagefind")
        return Path(found) if found else None
    return get_executable()


def build_index(
    staged: Path,
    site: Site,
    pages: list[str],
    previous: Path | None = None,
    reuse_any: bool = False,
    jobs: int = 1,
) -> bool:
    """Index the staged output into ``staged/pagefind``; False if Pagefind is missing.

    ``pages`` are the output paths of the pages to index. A page's size and mtime stand
    for its content (the stage keeps an unchanged file's), so none is read to know
    whether it changed. The pages and paper records are dealt into shards by URL
    (:func:`shard_of`); each shard is a Pagefind bundle, and the search page merges them.
    A shard made from the same pages and records as one in ``previous`` (the output
    folder being replaced) is linked in from there instead of indexed again, so one
    edited session re-indexes one shard, and an unchanged site writes nothing.
    ``reuse_any`` keeps the whole previous index even when pages changed, for the
    preview server. A Pagefind failure raises :class:`SiteError`, so the build writes
    nothing.
    """
    binary = executable()
    if binary is None:
        log.warning(
            "search: Pagefind is not installed, so the search page will not work; "
            "install it with: pip install 'pagefind[bin]'"
        )
        return False
    if (staged / OUTPUT).exists():
        raise _failure(f"the site publishes a {OUTPUT}/ folder, which the search index needs")
    old = previous / OUTPUT if previous is not None else None
    if old is not None and reuse_any and _link_tree(old, staged / OUTPUT):
        return True
    language = site.config.language.lower()
    records = [r.html(site.config.base_path, language) for r in paper_records(site)]
    shards = _shards(staged, pages, records)
    info = binary.stat()
    salt = f"{binary}|{info.st_size}|{language}|{EXCLUDE}|{len(shards)}"
    todo: list[tuple[Shard, str]] = []
    for shard in shards:
        digest = shard.digest(salt)
        folder = shard.folder(staged / OUTPUT)
        if old is None or not _reuse(shard.folder(old), folder, digest):
            todo.append((shard, digest))
    _run_pagefind(staged, binary, language, todo, max(1, jobs))
    listing = json.dumps([shard.name + "/" for shard in shards[1:]]) + "\n"
    try:
        same = old is not None and (old / SHARDS).read_text(encoding="utf-8") == listing
    except OSError:
        same = False
    if same and old is not None:
        link_or_copy(old / SHARDS, staged / OUTPUT / SHARDS)
    else:
        (staged / OUTPUT / SHARDS).write_text(listing, encoding="utf-8")
    return True


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


def shard_count(documents: int) -> int:
    return max(1, min(MAX_SHARDS, -(-documents // SHARD_SIZE)))


def shard_of(url: str, count: int) -> int:
    """A stable shard for a URL: the same page stays in the same shard between builds."""
    digest = hashlib.blake2b(url.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % count


def _shards(staged: Path, pages: list[str], records: list[str]) -> list[Shard]:
    count = shard_count(len(pages) + len(records))
    shards = [Shard(n) for n in range(count)]
    for rel in pages:
        info = (staged / rel).stat()
        shards[shard_of(rel, count)].pages[rel] = f"{info.st_size}:{info.st_mtime_ns}"
    for record in records:
        url = _RECORD_URL.search(record)
        shards[shard_of(url[1] if url else record, count)].records.append(record)
    return shards


def _link_tree(old: Path, new: Path) -> bool:
    """Link the whole previous index, every shard, into the stage; False if there is none."""
    try:
        if not (old / STAMP).is_file():
            return False
        _link_tree_files(old, new, lambda top: True)
    except OSError:
        shutil.rmtree(new, ignore_errors=True)
        return False
    return True


def _reuse(old: Path, new: Path, digest: str) -> bool:
    """Link one shard of the previous index into the stage if it was made from the same
    pages and records. Shard 0's folder also holds the other shards: not its files."""
    try:
        if (old / STAMP).read_text(encoding="utf-8").strip() != digest:
            return False
        _link_tree_files(old, new, _own)
    except OSError:
        # Shards are linked in order, shard 0 first, so ``new`` holds only this shard.
        shutil.rmtree(new, ignore_errors=True)
        return False
    return True


def _own(top: str) -> bool:
    """Whether a name in shard 0's folder is its own, not another shard's or the listing."""
    return not top.startswith("shard-") and top != SHARDS


def _link_tree_files(old: Path, new: Path, take: Callable[[str], bool]) -> None:
    """Link every file under ``old`` into ``new`` whose first path part ``take`` accepts.

    os.walk on strings, not pathlib: this runs over a thousand files per shard per build.
    """
    source, target = os.fspath(old), os.fspath(new)
    for folder, dirs, files in os.walk(source):
        rel = os.path.relpath(folder, source)
        if rel == ".":
            dirs[:] = [d for d in dirs if take(d)]
            files = [f for f in files if take(f)]
        into = target if rel == "." else os.path.join(target, rel)
        os.makedirs(into, exist_ok=True)
        for name in files:
            link_or_copy(os.path.join(folder, name), os.path.join(into, name))


def _run_pagefind(
    staged: Path, binary: Path, language: str, todo: list[tuple[Shard, str]], jobs: int
) -> None:
    """Index each shard of ``todo``, ``jobs`` at a time, each from a folder of its own
    pages (hard links into the stage) and records, removed after."""
    work = Path(tempfile.mkdtemp(prefix=".rgsite-search-", dir=staged.parent))
    try:
        for start in range(0, len(todo), jobs):
            batch = todo[start : start + jobs]
            running = [
                (shard, digest, _start_pagefind(staged, work, binary, language, shard))
                for shard, digest in batch
            ]
            for shard, digest, process in running:
                folder = shard.folder(staged / OUTPUT)
                _finish_pagefind(process, folder)
                (folder / STAMP).write_text(digest + "\n", encoding="utf-8")
    except OSError as exc:
        if exc.errno in _DISK_ERRNOS:
            raise  # the disk, not Pagefind: the build reports it as an output error
        raise _failure(str(exc)) from exc
    except subprocess.SubprocessError as exc:
        raise _failure(str(exc)) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _start_pagefind(
    staged: Path, work: Path, binary: Path, language: str, shard: Shard
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
            str(shard.folder(staged / OUTPUT)),
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
        raise _failure((stderr or stdout).strip() or f"exit {process.returncode}")
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


def _failure(detail: str) -> SiteError:
    return SiteError(
        [Problem(Location("(search index)"), f"Pagefind could not index the site: {detail}")]
    )
