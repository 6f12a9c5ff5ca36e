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

Pagefind runs as its command-line binary, in an empty working folder so no stray
``pagefind.yml`` changes the index. (Its Python API answers one message per 0.1 s,
which made a record per paper far too slow.) A machine without the binary still
builds: the index is skipped with a warning, and the search page says so.

Reproducibility: Pagefind's fragment files are named by content, but its filter and
metadata files differ from run to run (upstream issue #638). So the index records a
digest of everything it was made from in ``pagefind/.rgsite-index``; a build whose
pages and records give the same digest links the previous index in unchanged instead
of running Pagefind, and an unchanged site writes nothing.
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Location, Problem, SiteError
from .routes import url_of

if TYPE_CHECKING:
    from .graph import Site
    from .models import Paper

log = logging.getLogger(__name__)

OUTPUT = "pagefind"
RECORDS = "_rgsite-search-records"
STAMP = ".rgsite-index"
"""In ``pagefind/``: a digest of what the index was made from, to reuse it unchanged."""
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
    previous: Path | None = None,
    pages_digest: str | None = None,
    reuse_any: bool = False,
) -> bool:
    """Index the staged output into ``staged/pagefind``; False if Pagefind is missing.

    When ``previous`` (the output folder being replaced) holds an index made from the
    same pages and records, its files are linked in instead: Pagefind's filter files
    differ from run to run, and an unchanged site should write nothing. A Pagefind
    failure raises :class:`SiteError`, so the build writes nothing.

    ``pages_digest`` stands for the pages' content (the build's page signatures), so
    no page has to be read again to know; ``reuse_any`` keeps the previous index even
    when pages changed, for the preview server.
    """
    binary = executable()
    if binary is None:
        log.warning(
            "search: Pagefind is not installed, so the search page will not work; "
            "install it with: pip install 'pagefind[bin]'"
        )
        return False
    for taken in (OUTPUT, RECORDS):
        if (staged / taken).exists():
            raise _failure(f"the site publishes a {taken}/ folder, which the search index needs")
    language = site.config.language.lower()
    records = [r.html(site.config.base_path, language) for r in paper_records(site)]
    digest = _digest(staged, binary, language, records, pages_digest)
    if previous is not None and _reuse(
        previous / OUTPUT, staged / OUTPUT, None if reuse_any else digest
    ):
        return True
    _run_pagefind(staged, binary, language, records)
    (staged / OUTPUT / STAMP).write_text(digest + "\n", encoding="utf-8")
    return True


def _digest(
    staged: Path, binary: Path, language: str, records: list[str], pages: str | None
) -> str:
    """What the index is made of: every page, every record, the binary and options."""
    hasher = hashlib.blake2b(digest_size=16)
    info = binary.stat()
    hasher.update(f"{binary}|{info.st_size}|{language}|{EXCLUDE}\n".encode())
    if pages is not None:
        hasher.update(pages.encode() + b"\0")
    for page in sorted(staged.rglob("*.html")) if pages is None else ():
        hasher.update(page.relative_to(staged).as_posix().encode() + b"\0")
        hasher.update(page.read_bytes() + b"\0")
    for record in records:
        hasher.update(record.encode() + b"\0")
    return hasher.hexdigest()


def _reuse(old: Path, new: Path, digest: str | None) -> bool:
    """Link the previous index into the stage if it was made from the same input.

    With ``digest`` None any previous index is kept, stamp and all, so the next build
    that asks for a fresh index makes one.
    """
    try:
        stamp = (old / STAMP).read_text(encoding="utf-8").strip()
        if digest is not None and stamp != digest:
            return False
        files = [p for p in old.rglob("*") if p.is_file()]
        for path in files:
            target = new / path.relative_to(old)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, target)
            except OSError:
                shutil.copy2(path, target)
    except OSError:
        shutil.rmtree(new, ignore_errors=True)
        return False
    return True


def _run_pagefind(staged: Path, binary: Path, language: str, records: list[str]) -> None:
    records_dir = staged / RECORDS
    try:
        records_dir.mkdir()
        for number, record in enumerate(records):
            (records_dir / f"{number}.html").write_text(record, encoding="utf-8")
        with tempfile.TemporaryDirectory(prefix="rgsite-pagefind-") as cwd:
            result = subprocess.run(
                [
                    str(binary),
                    "--site",
                    str(staged),
                    "--output-path",
                    str(staged / OUTPUT),
                    "--force-language",
                    language,
                    "--exclude-selectors",
                    EXCLUDE,
                    "--quiet",
                ],
                cwd=cwd,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                check=False,
            )
        if result.returncode == 0:
            _check_whole(staged)
    except OSError as exc:
        if exc.errno in _DISK_ERRNOS:
            raise  # the disk, not Pagefind: the build reports it as an output error
        raise _failure(str(exc)) from exc
    except subprocess.SubprocessError as exc:
        raise _failure(str(exc)) from exc
    finally:
        shutil.rmtree(records_dir, ignore_errors=True)
    if result.returncode != 0:
        raise _failure((result.stderr or result.stdout).strip() or f"exit {result.returncode}")
    for line in (result.stderr + result.stdout).splitlines():
        if line.strip():
            log.info("pagefind: %s", line.strip())


_DISK_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)
NEARLY_FULL = 64 * 1024
"""Bytes free below which an index Pagefind just wrote is not trusted."""


def _check_whole(staged: Path) -> None:
    """Raise OSError unless Pagefind's index was written whole.

    Pagefind reports success even when its writes fail (a full disk leaves an empty
    pagefind-entry.json), so look: the disk must still have room, and the entry file
    must parse and name the metadata file of every language it lists.
    """
    if shutil.disk_usage(staged).free < NEARLY_FULL:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(staged / OUTPUT))
    entry = staged / OUTPUT / "pagefind-entry.json"
    try:
        languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
        metas = [
            staged / OUTPUT / f"pagefind.{lang['hash']}.pf_meta" for lang in languages.values()
        ]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise OSError(errno.EIO, f"{entry.name} is incomplete ({exc})", str(entry)) from None
    for meta in metas:
        if not meta.is_file() or meta.stat().st_size == 0:
            raise OSError(errno.EIO, f"{meta.name} is missing or empty", str(meta))


def _failure(detail: str) -> SiteError:
    return SiteError(
        [Problem(Location("(search index)"), f"Pagefind could not index the site: {detail}")]
    )
