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

This module deals the pages and records into shards and reuses unchanged ones;
:mod:`.search_records` makes the paper records and :mod:`.search_pagefind` runs Pagefind.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rgsite.output.files import link_or_copy
from rgsite.render.formats.search_pagefind import (
    EXCLUDE,
    RECORDS,
    STAMP,
    Runs,
    Shard,
    executable,
    failure,
)
from rgsite.render.formats.search_records import paper_records

if TYPE_CHECKING:
    from rgsite.model import Site

log = logging.getLogger(__name__)

OUTPUT = "pagefind"
BODY = "data-pagefind-body"
"""What marks a page's content for the index; pages without it are not handed to Pagefind."""
SHARDS = "shards.json"
"""In ``pagefind/``: the folders of the other shards, for the search page to merge."""
SHARD_SIZE = 256
"""Pages and records per shard: one edit re-indexes about this many (0.1 s here)."""
MAX_SHARDS = 8
"""At most this many bundles for the search page to load, however large the archive."""
_RECORD_URL = re.compile(r'data-pagefind-meta="url:([^"]*)"')


def build_index(
    staged: Path,
    site: Site,
    pages: list[str],
    previous: Path | None = None,
    reuse_any: bool = False,
    jobs: int = 1,
) -> bool:
    """Index the staged ``pages`` (output paths), all written already, into
    ``staged/pagefind``; False if Pagefind is missing. See :class:`Index`."""
    index = Index(staged, site, pages, previous, reuse_any, jobs)
    try:
        for rel in pages:
            index.written(rel)
        return index.finish()
    finally:
        index.close()


class Index:
    """The search index of the staged output, made while its pages are written.

    ``pages`` are the output paths of the pages to index. They are dealt with the paper
    records into shards by URL (:func:`shard_of`); each shard is a Pagefind bundle, and
    the search page merges them. Tell :meth:`written` each page once it is in the stage:
    when the last page of a shard is, its Pagefind run starts, while the other pages are
    still rendering (:meth:`order` sorts pages so shards fill one after another). A
    page's size and mtime stand for its content (the stage keeps an unchanged file's),
    so none is read to know whether it changed. A shard made from the same pages and
    records as one in ``previous`` (the output folder being replaced) is linked in from
    there instead of indexed again, so one edited session re-indexes one shard, and an
    unchanged site writes nothing. ``reuse_any`` keeps the whole previous index even
    when pages changed, for the preview server. :meth:`finish` waits for every run; a
    Pagefind failure raises :class:`SiteError`, so the build writes nothing. Always
    :meth:`close` it, which stops runs left over by a failed build.
    """

    def __init__(
        self,
        staged: Path,
        site: Site,
        pages: list[str],
        previous: Path | None = None,
        reuse_any: bool = False,
        jobs: int = 1,
    ) -> None:
        self.staged = staged
        self.shards: list[Shard] = []
        self.where: dict[str, int] = {}
        self.waiting: list[set[str]] = []
        self.deferred: list[int] = []
        self.first_ready = False
        self.runs: Runs | None = None
        self.made = False
        binary = executable()
        if binary is None:
            log.warning(
                "search: Pagefind is not installed, so the search page will not work; "
                "install it with: pip install 'pagefind[bin]'"
            )
            return
        self.made = True
        if (staged / OUTPUT).exists():
            raise failure(f"the site publishes a {OUTPUT}/ folder, which the search index needs")
        self.old = previous / OUTPUT if previous is not None else None
        if self.old is not None and reuse_any and _link_tree(self.old, staged / OUTPUT):
            return
        language = site.config.language.lower()
        records = [r.html(site.config.base_path, language) for r in paper_records(site)]
        count = shard_count(len(pages) + len(records))
        self.shards = [Shard(n) for n in range(count)]
        self.waiting = [set() for _ in range(count)]
        for rel in pages:
            self.where[rel] = number = shard_of(rel, count)
            self.shards[number].pages[rel] = ""
            self.waiting[number].add(rel)
        for record in records:
            url = _RECORD_URL.search(record)
            self.shards[shard_of(url[1] if url else record, count)].records.append(record)
        info = binary.stat()
        self.salt = f"{binary}|{info.st_size}|{language}|{EXCLUDE}|{count}"
        self.runs = Runs(staged, staged / OUTPUT, binary, language, jobs)
        for number, waiting in enumerate(self.waiting):
            if not waiting:  # paper records alone
                self._ready(number)

    folders = (OUTPUT, RECORDS)
    """The stage's folders the index writes into while its runs last."""

    def order(self, rel: str) -> int:
        """Where a page comes in the rendering: by shard, pages not indexed last."""
        return self.where.get(rel, len(self.shards))

    def written(self, rel: str) -> None:
        number = self.where.get(rel)
        if number is None or self.runs is None:
            return
        waiting = self.waiting[number]
        waiting.discard(rel)
        if not waiting:
            self._ready(number)
        self.runs.pump()

    def _ready(self, number: int) -> None:
        """A shard's pages are all written: reuse it or start indexing it. Shard 0 goes
        first, as its folder holds the others' (a shard 0 reused in part is removed)."""
        if number != 0 and not self.first_ready:
            self.deferred.append(number)
            return
        assert self.runs is not None
        shard = self.shards[number]
        for rel in shard.pages:
            info = (self.staged / rel).stat()
            shard.pages[rel] = f"{info.st_size}:{info.st_mtime_ns}"
        digest = shard.digest(self.salt)
        folder = shard.folder(self.staged / OUTPUT)
        if self.old is None or not _reuse(shard.folder(self.old), folder, digest):
            self.runs.start(shard, digest)
        if number == 0:
            self.first_ready = True
            for later in self.deferred:
                self._ready(later)

    def finish(self) -> bool:
        """Wait for every run and write the list of shards; False without Pagefind."""
        if self.runs is None:
            return self.made
        self.runs.wait()
        listing = json.dumps([shard.name + "/" for shard in self.shards[1:]]) + "\n"
        old = self.old
        try:
            same = old is not None and (old / SHARDS).read_text(encoding="utf-8") == listing
        except OSError:
            same = False
        if same and old is not None:
            link_or_copy(old / SHARDS, self.staged / OUTPUT / SHARDS)
        else:
            (self.staged / OUTPUT / SHARDS).write_text(listing, encoding="utf-8")
        return True

    def close(self) -> None:
        if self.runs is not None:
            self.runs.close()


def shard_count(documents: int) -> int:
    return max(1, min(MAX_SHARDS, -(-documents // SHARD_SIZE)))


def shard_of(url: str, count: int) -> int:
    """A stable shard for a URL: the same page stays in the same shard between builds."""
    digest = hashlib.blake2b(url.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % count


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
