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
    STAMP,
    Shard,
    executable,
    failure,
    run_pagefind,
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
        raise failure(f"the site publishes a {OUTPUT}/ folder, which the search index needs")
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
    run_pagefind(staged, staged / OUTPUT, binary, language, todo, max(1, jobs))
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
